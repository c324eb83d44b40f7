using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FinCardPin.Cmdlets;
using FinCardPin.Engine.Errors;
using Xunit;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>
    /// The cmdlets in a PowerShell runspace of this process (the cmdlet assembly imported as a binary module): what
    /// PowerShell refuses while binding, before any reader is asked. No reader, no card, no environment variable.
    /// </summary>
    public sealed class CmdletBindingTests : IDisposable
    {
        private readonly PowerShell _shell;

        public CmdletBindingTests()
        {
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(typeof(TestCardPinCommand).Assembly.Location);
            _shell = PowerShell.Create(state);
        }

        public void Dispose() => _shell.Dispose();

        [Fact]
        public void Module_ExportsTheEightCmdlets()
        {
            var names = _shell.AddScript("(Get-Command -Module FinCardPin).Name").Invoke().Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal);

            Assert.Equal(
                new[] { "Export-CardDiagnostic", "Get-CardPinStatus", "Get-CardReader", "New-VirtualCard", "Set-CardPin", "Test-CardPin", "Unlock-CardPin", "Use-VirtualCard" },
                names);
        }

        [Theory]
        [InlineData("Get-CardReader -WaitForCard -Timeout 0", "ParameterArgumentValidationError,FinCardPin.Cmdlets.GetCardReaderCommand")]
        [InlineData("Get-CardReader -Name ''", "ParameterArgumentValidationError,FinCardPin.Cmdlets.GetCardReaderCommand")]
        public void Binding_RefusesBeforeAnyReaderIsAsked(string command, string errorId)
        {
            var output = _shell.AddScript(command).Invoke();

            Assert.Empty(output);
            var refused = Assert.Single(_shell.Streams.Error);
            Assert.IsAssignableFrom<ParameterBindingException>(refused.Exception);
            Assert.Equal(errorId, refused.FullyQualifiedErrorId);
        }

        [Theory]
        [InlineData("Test-CardPin -Code Pin3 -ReaderName 'Reader A'", "InvalidCodeName,FinCardPin.Cmdlets.TestCardPinCommand")]
        [InlineData("Set-CardPin -Code ActivationCode2 -ReaderName 'Reader A'", "InvalidCodeName,FinCardPin.Cmdlets.SetCardPinCommand")]
        [InlineData("Unlock-CardPin -Code Pin1, Pin2 -ReaderName 'Reader A'", "InvalidCodeName,FinCardPin.Cmdlets.UnlockCardPinCommand")]
        [InlineData("Get-CardPinStatus -Code Pin1, Pin9 -ReaderName 'Reader A'", "InvalidCodeName,FinCardPin.Cmdlets.GetCardPinStatusCommand")]
        public void CodeName_NoCodesName_RefusedInTheModulesWordsBeforeAnyReaderIsAsked(string command, string errorId)
        {
            ErrorRecord refused;
            try
            {
                Assert.Empty(_shell.AddScript(command).Invoke());
                refused = Assert.Single(_shell.Streams.Error);
            }
            catch (RuntimeException stopped)
            {
                refused = stopped.ErrorRecord;
            }

            // Not PowerShell's binding error, whose message starts with English words in every language.
            Assert.Equal(errorId, refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, refused.CategoryInfo.Category);
            Assert.IsType<FinCardPinException>(refused.Exception);
            Assert.DoesNotContain("Cannot process argument", refused.Exception.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Binding_CodeNameInAnotherLanguage_ReachesTheCmdletCanonical()
        {
            var bound = _shell.AddScript("(Get-Command Test-CardPin).Parameters['Code'].Attributes | ForEach-Object { $_.GetType().Name }").Invoke()
                .Select(o => o.ToString()).ToList();

            Assert.Contains("PinCodeTransformationAttribute", bound);
            Assert.Contains("ArgumentCompleterAttribute", bound);
        }
    }
}
