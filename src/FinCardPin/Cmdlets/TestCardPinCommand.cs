using System.Management.Automation;
using System.Security;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

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
        [SecretTransformation]
        public SecureString? Pin { get; set; }

        /// <summary>Returns only $true or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        internal override bool HasCodeParameter => Pin != null;

        internal override void Run(ReaderSnapshot reader, CardKind kind)
        {
            var code = SelectedCode;
            var force = Force.IsPresent;
            var plan = ChoosePinPad(reader, kind, Engine.PinPad.PinPadOperation.Verify, code);
            string readerName;
            string? serial;
            PinCheckResult result;
            if (plan != null)
            {
                (readerName, serial, result) = OnSession(reader, session => (session.ReaderName, session.Serial, session.TestPinOnPinPad(code, plan, force)));
            }
            else
            {
                using var pin = Take(Pin, kind, SelectedCode, CodeRole.Given, Texts.Get("Prompt.Code", "code", SelectedCode), nameof(Pin));
                (readerName, serial, result) = OnSession(reader, session => (session.ReaderName, session.Serial, session.TestPin(code, pin, force)));
            }

            if (Quiet)
            {
                WriteObject(result.Verified);
                return;
            }

            WriteObject(new PinTestResult(readerName, serial, SelectedCode, result, Explain(result)));
        }

        private string Explain(PinCheckResult result)
        {
            var code = SelectedCode;
            if (result.Verified)
            {
                return Texts.Get("Result.Correct", "code", code);
            }

            switch (result.State)
            {
                case PinState.Blocked:
                    return Texts.Get("Result.Blocked", "code", code) + " " + Texts.Get("Advice." + PinAdvice.Unblock);
                case PinState.BlockedOrNotActivated:
                    return Texts.Get("Result.BlockedOrNotActivated", "code", code) + " " + Texts.Get("Advice." + PinAdvice.UnblockOrActivate);
                case PinState.NotActivated when result.TriesLeft == 0:
                    return Texts.Get("Result.NotActivated", "code", code) + " " + Texts.Get("Advice." + PinAdvice.ActivateByUnlock);
                default:
                    if (!result.TriesLeft.HasValue)
                    {
                        return Texts.Get("Result.WrongTriesUnknown", "code", code);
                    }

                    return Texts.Get(result.TriesLeft == 1 ? "Result.WrongOneTryLeft" : "Result.WrongTriesLeft", "code", code, "triesLeft", result.TriesLeft);
            }
        }
    }
}
