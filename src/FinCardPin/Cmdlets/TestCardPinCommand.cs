using System.Management.Automation;
using System.Security;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// "Kontrollera PIN": checks whether a code is right. A wrong code spends one try, as on DigiSign; a blocked
    /// code is reported without trying, and the last try is kept unless -Force.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CardPin")]
    [OutputType(typeof(PinTestResult), typeof(bool))]
    public sealed class TestCardPinCommand : PinCmdlet
    {
        /// <summary>The code to check; asked for when missing (never in a non-interactive session).</summary>
        [Parameter(Position = 1)]
        public SecureString? Pin { get; set; }

        /// <summary>Returns only $true or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        internal override bool HasCodeParameter => Pin != null;

        internal override void Run(ReaderSnapshot reader, CardKind kind)
        {
            using var pin = Take(Pin, kind, SelectedCode, string.Empty, char.ToUpperInvariant(PinRules.DisplayName(SelectedCode)[0]) + PinRules.DisplayName(SelectedCode).Substring(1));
            var code = SelectedCode;
            var force = Force.IsPresent;
            var (readerName, serial, result) = OnSession(reader, session => (session.ReaderName, session.Serial, PinOperations.Test(session, code, pin, force)));
            if (Quiet)
            {
                WriteObject(result.Verified);
                return;
            }

            WriteObject(new PinTestResult(readerName, serial, SelectedCode, result, Explain(result)));
        }

        private string Explain(PinCheckResult result)
        {
            var name = PinRules.DisplayName(SelectedCode);
            if (result.Verified)
            {
                return "The " + name + " is correct.";
            }

            switch (result.State)
            {
                case PinState.Blocked:
                    return "The " + name + " is blocked. " + CardErrors.UnblockAdvice;
                case PinState.NotActivated when result.TriesLeft == 0:
                    return "The " + name + " has not been activated yet. " + CardErrors.ActivateByUnlockAdvice;
                default:
                    return result.TriesLeft.HasValue
                        ? "Wrong " + name + ": " + result.TriesLeft + (result.TriesLeft == 1 ? " try" : " tries") + " left."
                        : "Wrong " + name + ". The card did not say how many tries are left: check with Get-CardPinStatus.";
            }
        }
    }
}
