using System;
using System.Linq;
using System.Reflection;
using FinCardPin.Cmdlets;
using FinCardPin.Engine.Errors;
using Xunit;

namespace FinCardPin.UnitTests
{
    /// <summary>
    /// Public is only what users see, because every public type becomes a contract once the module is published and
    /// any script can call it: the cmdlets and what they write (output objects and the enums on them), what
    /// ErrorRecords carry (the error ids, FinCardPinException and its PC/SC subclasses), the helpers the format views and
    /// the Intune samples call. Everything else is internal, for our own assemblies (InternalsVisibleTo).
    /// </summary>
    public class PublicSurfaceTests
    {
        [Fact]
        public void Engine_ExportsOnlyTheErrorRecordsTypesAndTheOutputEnums()
        {
            Assert.Equal(
                new[]
                {
                    "FinCardPin.Engine.Errors.CardOperation",
                    "FinCardPin.Engine.Errors.CardRemovedException",
                    "FinCardPin.Engine.Errors.ErrorIds",
                    "FinCardPin.Engine.Errors.FailureKind",
                    "FinCardPin.Engine.Errors.FinCardPinException",
                    "FinCardPin.Engine.Errors.NoCardException",
                    "FinCardPin.Engine.Errors.OperationStoppedException",
                    "FinCardPin.Engine.Errors.PcscException",
                    "FinCardPin.Engine.Errors.ReaderBusyException",
                    "FinCardPin.Engine.Errors.ReaderNotFoundException",
                    "FinCardPin.Engine.Errors.SmartCardServiceException",
                    "FinCardPin.Engine.Fineid.CardKind",
                    "FinCardPin.Engine.Fineid.PinCode",
                    "FinCardPin.Engine.Fineid.PinState",
                    "FinCardPin.Engine.Interop.PcscResult",
                },
                Exported(typeof(ErrorIds).Assembly));
        }

        [Fact]
        public void Cmdlets_ExportsOnlyTheCmdletsTheirOutputAndWhatViewsAndSamplesCall()
        {
            Assert.Equal(
                new[]
                {
                    "FinCardPin.CardDiagnostic",
                    "FinCardPin.CardReader",
                    "FinCardPin.Cmdlets.CardCmdlet",
                    "FinCardPin.Cmdlets.ExportCardDiagnosticCommand",
                    "FinCardPin.Cmdlets.GetCardPinStatusCommand",
                    "FinCardPin.Cmdlets.GetCardReaderCommand",
                    "FinCardPin.Cmdlets.NewVirtualCardCommand",
                    "FinCardPin.Cmdlets.PinCmdlet",
                    "FinCardPin.Cmdlets.SetCardPinCommand",
                    "FinCardPin.Cmdlets.TestCardPinCommand",
                    "FinCardPin.Cmdlets.UnlockCardPinCommand",
                    "FinCardPin.Cmdlets.UseVirtualCardCommand",
                    "FinCardPin.Formatting",
                    "FinCardPin.Localization.HolderNotice",
                    "FinCardPin.PinEntry",
                    "FinCardPin.PinPadSupport",
                    "FinCardPin.PinStatus",
                    "FinCardPin.PinTestResult",
                    "FinCardPin.ReaderPinPad",
                    "FinCardPin.ReaderState",
                    "FinCardPin.ReaderType",
                    "FinCardPin.VirtualCardFile",
                    "FinCardPin.VirtualCardKind",
                },
                Exported(typeof(PinCmdlet).Assembly));
        }

        [Fact]
        public void VirtualCardAndItsHost_ExportNothing()
        {
            Assert.Empty(Exported(typeof(FinCardPin.VirtualCard.VirtualPcscApi).Assembly));
            Assert.Empty(Exported(typeof(FinCardPin.VirtualCard.Host.CommandLoop).Assembly));
        }

        private static string[] Exported(Assembly assembly) =>
            assembly.GetExportedTypes().Select(type => type.FullName!).OrderBy(name => name, StringComparer.Ordinal).ToArray();
    }
}
