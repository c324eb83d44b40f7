using System.Management.Automation;
using System.Security;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.Secrets;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// "Byt PIN": changes PIN1 or PIN2 with the current code. Also activates a card issued from 13.1.2026, whose
    /// current code is the 7-digit activation code from the code letter.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CardPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PinStatus))]
    public sealed class SetCardPinCommand : PinCmdlet
    {
        /// <summary>The current code (on a new 2026 card: the activation code); asked for when missing.</summary>
        [Parameter(Position = 1)]
        [SecretTransformation]
        public SecureString? CurrentPin { get; set; }

        /// <summary>The new code; asked for twice when missing.</summary>
        [Parameter(Position = 2)]
        [SecretTransformation]
        public SecureString? NewPin { get; set; }

        /// <summary>Writes the code's new status.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override bool HasCodeParameter => CurrentPin != null || NewPin != null;

        internal override void Run(ReaderSnapshot reader, CardKind kind)
        {
            var plan = ChoosePinPad(reader, kind, Engine.PinPad.PinPadOperation.Change, SelectedCode);
            if (plan != null)
            {
                // -WhatIf and -Confirm before the reader asks anything; the codes never pass through this computer.
                if (ShouldChange(Describe(reader), Texts.Get("Confirm.Change")))
                {
                    var selected = SelectedCode;
                    var forced = Force.IsPresent;
                    ApplyOnCard(reader, session => session.ChangePinOnPinPad(selected, plan, forced), "Verbose.CodeChanged", PassThru, null);
                }

                return;
            }

            CheckedPin? current = null;
            CheckedPin? next = null;
            try
            {
                // Codes given as parameters are checked before -WhatIf/-Confirm and before the card is opened.
                current = CurrentPin == null ? null : Take(CurrentPin, kind, SelectedCode, CodeRole.Current, string.Empty, nameof(CurrentPin));
                next = NewPin == null ? null : TakeNew(NewPin, kind, current);
                if (!ShouldChange(Describe(reader), Texts.Get("Confirm.Change")))
                {
                    return;
                }

                current ??= Take(null, kind, SelectedCode, CodeRole.Current, CurrentCodePrompt(reader, kind), nameof(CurrentPin));
                next ??= TakeNew(null, kind, current);
                RefuseSameAsCurrent(next, current); // -NewPin given, the current code prompted

                var code = SelectedCode;
                var force = Force.IsPresent;
                ApplyOnCard(reader, session => session.ChangePin(code, current, next, force), "Verbose.CodeChanged", PassThru, next.Value);
            }
            finally
            {
                current?.Dispose();
                next?.Dispose();
            }
        }

        /// <summary>
        /// What to ask for as the current code. An identity card issued from 13.1.2026 that is not activated yet has
        /// no code its holder chose: its current code is the activation code from the code letter, and that is what
        /// the prompt names. Only when the cmdlet must ask anyway does it read the code's state for this (a status
        /// read: no code sent, no try spent), after every code given as a parameter has been checked and -WhatIf and
        /// -Confirm have had their say; where nobody can answer, nothing is read and the prompt is refused as before.
        /// </summary>
        private string CurrentCodePrompt(ReaderSnapshot reader, CardKind kind)
        {
            if (kind == CardKind.IdentityCard && new SecretPrompt(Host).CanAsk)
            {
                var code = SelectedCode;
                var status = OnSession(reader, session => session.ReadStatus(code));
                if (NextStep.For(status) == PinAdvice.ActivateBySet)
                {
                    return Texts.Get("Prompt.ActivationCodeAsCurrent", "code", code);
                }
            }

            return Texts.Get("Prompt.CurrentCode", "code", SelectedCode);
        }
    }
}
