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
    /// "Frigör låst PIN": sets a new PIN1 or PIN2 with the activation code (PUK) — for a blocked code, a forgotten
    /// one, or the first activation of a card issued before 13.1.2026.
    /// </summary>
    [Cmdlet(VerbsCommon.Unlock, "CardPin", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PinStatus))]
    public sealed class UnlockCardPinCommand : PinCmdlet
    {
        /// <summary>The activation code from the code letter; asked for when missing.</summary>
        [Parameter(Position = 1)]
        [Alias("Puk")]
        [SecretTransformation]
        public SecureString? ActivationCode { get; set; }

        /// <summary>The new code; asked for twice when missing.</summary>
        [Parameter(Position = 2)]
        [SecretTransformation]
        public SecureString? NewPin { get; set; }

        /// <summary>Writes the code's new status.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        internal override bool HasCodeParameter => ActivationCode != null || NewPin != null;

        internal override void Run(ReaderSnapshot reader, CardKind kind)
        {
            var plan = ChoosePinPad(reader, kind, Engine.PinPad.PinPadOperation.Unblock, SelectedCode);
            if (plan != null)
            {
                // -WhatIf and -Confirm before the reader asks anything; the codes never pass through this computer.
                if (ShouldChange(Describe(reader), Texts.Get("Confirm.Unblock")))
                {
                    var selected = SelectedCode;
                    var forced = Force.IsPresent;
                    ApplyOnCard(reader, session => session.UnblockPinOnPinPad(selected, plan, forced), "Verbose.CodeUnblocked", PassThru, null);
                }

                return;
            }

            CheckedPin? activationCode = null;
            CheckedPin? next = null;
            try
            {
                activationCode = ActivationCode == null ? null : Take(ActivationCode, kind, PinCode.ActivationCode, CodeRole.Given, string.Empty, nameof(ActivationCode));
                next = NewPin == null ? null : TakeNew(NewPin, kind, null);
                if (!ShouldChange(Describe(reader), Texts.Get("Confirm.Unblock")))
                {
                    return;
                }

                activationCode ??= Take(null, kind, PinCode.ActivationCode, CodeRole.Given, Texts.Get("Prompt.ActivationCode", "code", PinCode.ActivationCode), nameof(ActivationCode));
                next ??= TakeNew(null, kind, null);

                var code = SelectedCode;
                var force = Force.IsPresent;
                ApplyOnCard(reader, session => session.UnblockPin(code, activationCode, next, force), "Verbose.CodeUnblocked", PassThru, next.Value);
            }
            finally
            {
                activationCode?.Dispose();
                next?.Dispose();
            }
        }
    }
}
