using System;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.VirtualCard;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Chooses the PC/SC implementation for one cmdlet call: the virtual readers when a Use-VirtualCard block runs in
    /// the cmdlet's runspace or FINCARDPIN_VIRTUAL_CARDS names card files (read at every call, so a script or a Pester
    /// test can switch it after Import-Module), otherwise the platform's native smart card service.
    /// </summary>
    internal static class PcscProvider
    {
        // FINCARDPIN_VIRTUAL_CARDS is named by VirtualPcscApi.CardsEnvironmentVariable alone: a constant is compiled into
        // this assembly, so naming it loads no type of FinCardPin.VirtualCard.dll.
        public static IPcscApi Current(out bool isVirtual)
        {
            // The runspace's own Use-VirtualCard block, if one runs in it (see VirtualCardScopes).
            var cards = VirtualCardScopes.CardsFor(Runspace.DefaultRunspace);
            isVirtual = !string.IsNullOrWhiteSpace(cards);
            if (isVirtual)
            {
                return VirtualReaders(cards!);
            }

            try
            {
                return PcscPlatform.Native;
            }
            catch (PlatformNotSupportedException e)
            {
                throw new FinCardPinException(ErrorIds.PlatformNotSupported, FailureKind.NotInstalled,
                        e.Message.EndsWith("/32-bit", StringComparison.Ordinal) ? ErrorIds.PlatformNotSupported + ".Bitness" : ErrorIds.PlatformNotSupported, e)
                    .With("platform", e.Message)
                    .With("variable", VirtualPcscApi.CardsEnvironmentVariable);
            }
        }

        // A method of its own so that FinCardPin.VirtualCard.dll is loaded only when virtual readers are asked for.
        // Every card file is read here, once per call: a file that is no card state is refused before anything else.
        [MethodImpl(MethodImplOptions.NoInlining)]
        [SuppressMessage("Performance", "CA1859:Use concrete types when possible for improved performance", Justification =
            "Its signature names only the engine's interface, so that no caller's signature or body refers to a type of " +
            "FinCardPin.VirtualCard.dll, which is to load only when virtual readers are asked for.")]
        private static IPcscApi VirtualReaders(string cards)
        {
            VirtualPcscApi? api;
            try
            {
                api = VirtualPcscApi.FromEnvironment(name => name == VirtualPcscApi.CardsEnvironmentVariable ? cards : Environment.GetEnvironmentVariable(name));
            }
            catch (VirtualCardFileException e)
            {
                // The file and what is wrong with it, as facts; what a JSON reader said stays inside, out of the message.
                throw new FinCardPinException(ErrorIds.VirtualCardFileInvalid, FailureKind.InvalidData,
                        e.Problem == VirtualCardFileProblem.NotACardFile ? ErrorIds.VirtualCardFileInvalid : ErrorIds.VirtualCardFileInvalid + "." + e.Problem, e)
                    .With("path", e.FilePath)
                    .With("variable", VirtualPcscApi.CardsEnvironmentVariable);
            }
            catch (Exception e) when (e is System.IO.IOException || e is System.IO.InvalidDataException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                // A list that names no usable path at all (a malformed path, a folder): no file to name, no system text.
                throw new FinCardPinException(ErrorIds.VirtualCardFileInvalid, FailureKind.InvalidData, ErrorIds.VirtualCardFileInvalid + ".List", e)
                    .With("variable", VirtualPcscApi.CardsEnvironmentVariable);
            }

            // Set but naming no file (only separators) is a machine without readers, as Use-VirtualCard with no card means.
            return api ?? new VirtualPcscApi(0);
        }
    }
}
