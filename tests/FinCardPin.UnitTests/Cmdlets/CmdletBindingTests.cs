using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FinCardPin.Cmdlets;
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
        [InlineData("Test-CardPin -Code Pin3 -ReaderName 'Reader A'", "ParameterArgumentTransformationError,FinCardPin.Cmdlets.TestCardPinCommand")]
        [InlineData("Set-CardPin -Code ActivationCode2 -ReaderName 'Reader A'", "ParameterArgumentTransformationError,FinCardPin.Cmdlets.SetCardPinCommand")]
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
