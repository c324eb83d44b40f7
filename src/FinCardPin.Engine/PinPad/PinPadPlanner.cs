using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// Decides whether an operation can go on a reader's keypad for a card family, and how:
    /// identity cards take the 12-byte 00-padded ASCII frame on every keypad (OpenSC, DigiDoc4 and libelectronic-id
    /// send the same); organisation/SOTE cards take codes unpadded, so a PIN is checked on a keypad only where the
    /// reader sets the length itself (<see cref="VariableLengthReaders"/>), the activation code (always 8 digits) as a
    /// fixed 8-digit frame; and their change is never made on a keypad, because the card splits current‖new at the
    /// length it stores (a keypad cannot check the current code first, as the keyboard path does): a current code of
    /// another length would set a new code nobody chose. A refusal is an exception with an id, before anything is sent.
    /// </summary>
    internal static class PinPadPlanner
    {
        public static PinPadPlan Plan(PinPadInfo pad, CardKind kind, PinPadOperation operation, PinCode code, string? readerName)
        {
            if (pad == null)
            {
                throw new ArgumentNullException(nameof(pad));
            }

            if (pad.Capability == PinPadCapability.None)
            {
                throw new FinCardPinException(ErrorIds.PinPadNotAvailable, FailureKind.ResourceUnavailable) { ReaderName = readerName };
            }

            if (operation != PinPadOperation.Verify && pad.Capability != PinPadCapability.VerifyAndChange)
            {
                throw new FinCardPinException(ErrorIds.PinPadCannotChange, FailureKind.InvalidOperation) { ReaderName = readerName };
            }

            if (kind == CardKind.IdentityCard)
            {
                var rule = operation == PinPadOperation.Verify
                    ? PinRules.LengthOf(kind, code, CodeRole.Given)
                    : operation == PinPadOperation.Change
                        ? Common(PinRules.LengthOf(kind, code, CodeRole.Current), PinRules.LengthOf(kind, code, CodeRole.New))
                        : Common(PinRules.LengthOf(kind, PinCode.ActivationCode, CodeRole.Given), PinRules.LengthOf(kind, code, CodeRole.New));
                return Within(pad, PinPadFrame.TwelveZeroPadded, rule, false, readerName);
            }

            if (kind != CardKind.OrganisationOrSoteCard)
            {
                throw new FinCardPinException(ErrorIds.PinPadNotAvailable, FailureKind.ResourceUnavailable, ErrorIds.PinPadNotAvailable + ".Card") { ReaderName = readerName };
            }

            if (operation == PinPadOperation.Change)
            {
                throw new FinCardPinException(ErrorIds.PinPadNotForThisCard, FailureKind.InvalidOperation, ErrorIds.PinPadNotForThisCard + ".Change") { ReaderName = readerName }
                    .With("code", code);
            }

            if (!VariableLengthReaders.IsKnown(pad, out var lcZero))
            {
                throw new FinCardPinException(ErrorIds.PinPadNotForThisCard, FailureKind.InvalidOperation, ErrorIds.PinPadNotForThisCard + ".FixedOnly") { ReaderName = readerName }
                    .With("code", code);
            }

            var plan = Within(pad, PinPadFrame.Variable, PinRules.LengthOf(kind, code, operation == PinPadOperation.Verify ? CodeRole.Given : CodeRole.New), lcZero, readerName);
            if (operation == PinPadOperation.Unblock)
            {
                plan.ActivationCodePlan = Within(pad, PinPadFrame.EightDigits, PinRules.LengthOf(kind, PinCode.ActivationCode, CodeRole.Given), false, readerName);
            }

            return plan;
        }

        // A block has one length range for all its entries, so it takes only the lengths every entry allows: an
        // activation code of a new PIN's length, or a new code longer than the DVV's rule, is the reader's refusal
        // (no try spent) instead of the card's. The price: on a keypad an identity card's unblock takes new codes of
        // the activation code's length (7-8 digits), and a change current codes of the new rule's (DVV: at most 8).
        private static LengthRule Common(LengthRule a, LengthRule b) =>
            new LengthRule(Math.Max(a.Minimum, b.Minimum), Math.Min(a.Maximum, b.Maximum));

        // The block asks for the card's range within the reader's own (a CT700 takes 4-8): a reader that cannot take
        // the card's shortest code, or an 8-digit frame it cannot fill, is refused here rather than by the reader.
        private static PinPadPlan Within(PinPadInfo pad, PinPadFrame frame, LengthRule rule, bool lcZero, string? readerName)
        {
            var min = Math.Max(rule.Minimum, pad.MinDigits ?? 0);
            var max = pad.MaxDigits.HasValue && pad.MaxDigits.Value > 0 ? Math.Min(rule.Maximum, pad.MaxDigits.Value) : rule.Maximum;
            if (frame.BlockSize != 0)
            {
                max = Math.Min(max, frame.BlockSize);
            }

            if (min > max || (frame == PinPadFrame.EightDigits && max < 8))
            {
                throw new FinCardPinException(ErrorIds.PinPadNotAvailable, FailureKind.ResourceUnavailable, ErrorIds.PinPadNotAvailable + ".Length") { ReaderName = readerName }
                    .With("min", pad.MinDigits).With("max", pad.MaxDigits);
            }

            return new PinPadPlan(pad, frame, min, max, lcZero);
        }
    }
}
