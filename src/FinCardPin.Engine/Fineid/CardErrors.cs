using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>The FINEID-level failures, worded for a card holder, each with its stable id and next step.</summary>
    public static class CardErrors
    {
        public const string UnblockAdvice = "Unblock it with Unlock-CardPin and the activation code from your PIN code letter.";
        public const string ActivateBySetAdvice =
            "Activate it with Set-CardPin: give the activation code from your code letter as the current code, and choose a new code.";
        public const string ActivateByUnlockAdvice =
            "Activate it with Unlock-CardPin: give the activation code from your code letter, and choose a new code.";
        public const string ActivationCodeUsedUpAdvice =
            "The card cannot be unblocked any more: order a new card or a new code letter from the card issuer.";

        /// <summary>What a user should do about a code in this state; null when nothing needs doing.</summary>
        public static string? NextStep(PinStatusInfo status)
        {
            if (status == null)
            {
                throw new System.ArgumentNullException(nameof(status));
            }

            switch (status.State)
            {
                case PinState.Blocked:
                    return status.Code == PinCode.ActivationCode ? ActivationCodeUsedUpAdvice : UnblockAdvice;
                case PinState.NotActivated:
                    // Cards from 13.1.2026 preset the PINs to the activation code (tries left); older ones ship them blocked.
                    return status.TriesLeft == 0 ? ActivateByUnlockAdvice : ActivateBySetAdvice;
                default:
                    return null;
            }
        }

        public static FinCardPinException NotFineid(string readerName) =>
            new FinCardPinException(ErrorIds.NotFineidCard, FailureKind.InvalidOperation,
                "The card in reader '" + readerName + "' is not a Finnish certificate card (FINEID identity, organisation or SOTE card).",
                "Insert your certificate card, or name the reader that holds it with -ReaderName.") { ReaderName = readerName };

        public static FinCardPinException Contactless(string readerName) =>
            new FinCardPinException(ErrorIds.ContactlessNotSupported, FailureKind.InvalidOperation,
                "The card in reader '" + readerName + "' is read without contact; the card does not allow PIN commands that way.",
                "Put the card into a contact reader (chip first) and try again.") { ReaderName = readerName };

        public static FinCardPinException UnexpectedAnswer(string readerName, StatusWord sw, string operation) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.ProtocolError,
                "The card in reader '" + readerName + "' answered " + sw + " while " + operation + ", which FinCardPin does not expect.",
                "Check the code's state with Get-CardPinStatus. If this repeats, report the answer code with your card type.") { ReaderName = readerName };

        public static FinCardPinException CardChanged(string readerName, string? expected, string? found) =>
            new FinCardPinException(ErrorIds.CardChanged, FailureKind.InvalidOperation,
                "Reader '" + readerName + "' now holds another card (serial " + (found ?? "unknown") + ") than the one chosen (serial "
                + expected + "). No PIN command was sent to it.",
                "Run Get-CardReader or Get-CardPinStatus again and choose the card that is in the reader now.") { ReaderName = readerName };

        public static FinCardPinException Blocked(string readerName, PinCode code) =>
            code == PinCode.ActivationCode
                ? new FinCardPinException(ErrorIds.ActivationCodeBlocked, FailureKind.AuthenticationError,
                    "The activation code (PUK) on the card in reader '" + readerName + "' is used up: five wrong entries blocked it for good.",
                    ActivationCodeUsedUpAdvice) { ReaderName = readerName }
                : new FinCardPinException(ErrorIds.PinBlocked, FailureKind.AuthenticationError,
                    "The " + PinRules.DisplayName(code) + " on the card in reader '" + readerName + "' is blocked.",
                    UnblockAdvice) { ReaderName = readerName };

        public static FinCardPinException NotActivated(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.PinNotActivated, FailureKind.InvalidOperation,
                "The " + PinRules.DisplayName(code) + " on the card in reader '" + readerName + "' has not been activated yet.",
                ActivateByUnlockAdvice) { ReaderName = readerName };

        public static FinCardPinException LastTry(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.LastTryProtected, FailureKind.SecurityError,
                code == PinCode.ActivationCode
                    ? "The activation code (PUK) on the card in reader '" + readerName + "' has only one try left. A wrong entry would use it up for good: "
                      + "a used-up activation code cannot be restored, and the card or the code letter would have to be replaced. No code was sent."
                    : "The " + PinRules.DisplayName(code) + " on the card in reader '" + readerName + "' has only one try left. "
                      + "A wrong entry would block it. No code was sent.",
                "If you are sure of the code, run the command again with -Force.") { ReaderName = readerName };

        public static FinCardPinException TriesUnknown(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.LastTryProtected, FailureKind.SecurityError,
                "The card in reader '" + readerName + "' does not tell how many tries the " + PinRules.DisplayName(code)
                + " has left, so a wrong entry might be its last. No code was sent.",
                "If you are sure of the code, run the command again with -Force.") { ReaderName = readerName };

        public static FinCardPinException Unanswerable(string readerName, PinCode code, PinOutcome outcome) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.ProtocolError,
                "The card in reader '" + readerName + "' refused the " + PinRules.DisplayName(code) + " in a way FinCardPin does not expect ("
                + outcome + ").",
                "Check the code's state with Get-CardPinStatus. If this repeats, report it with your card type.") { ReaderName = readerName };

        public static FinCardPinException Wrong(string readerName, PinCode code, int? triesLeft)
        {
            var id = code == PinCode.ActivationCode ? ErrorIds.WrongActivationCode : ErrorIds.WrongPin;
            var what = PinRules.DisplayName(code);
            string message;
            string action;
            if (triesLeft == 0)
            {
                message = "Wrong " + what + ". The code is now blocked.";
                action = code == PinCode.ActivationCode ? ActivationCodeUsedUpAdvice : UnblockAdvice;
            }
            else
            {
                message = "Wrong " + what + ": " + (triesLeft.HasValue ? triesLeft + (triesLeft == 1 ? " try" : " tries") : "some tries") + " left.";
                action = "Check the code and try again; five wrong entries in a row block it.";
            }

            return new FinCardPinException(id, FailureKind.AuthenticationError, message, action) { ReaderName = readerName };
        }

        public static FinCardPinException NewCodeRejected(string readerName, PinCode code, CardKind kind) =>
            new FinCardPinException(ErrorIds.CardRejectedNewPin, FailureKind.InvalidArgument,
                "The card in reader '" + readerName + "' refused the new " + PinRules.DisplayName(code) + "'s length or form. Nothing was changed."
                + (kind == CardKind.OrganisationOrSoteCard && code == PinCode.Pin2
                    ? " Organisation cards need a signature code of 6-8 digits (SOTE cards accept 4-8)."
                    : string.Empty),
                "Choose a new code of " + PinRules.LengthOf(kind, code).Minimum + "-" + PinRules.LengthOf(kind, code).Maximum + " digits"
                + (kind == CardKind.OrganisationOrSoteCard && code == PinCode.Pin2 ? " (at least 6 on an organisation card)." : ".")) { ReaderName = readerName };

        public static FinCardPinException NewCodeRejectedOrSame(string readerName, PinCode code, CardKind kind) =>
            new FinCardPinException(ErrorIds.CardRejectedNewPin, FailureKind.InvalidArgument,
                "The card in reader '" + readerName + "' refused the new " + PinRules.DisplayName(code)
                + " (6A80): its length or form, or it is the same as the code it replaces. Nothing was changed."
                + (kind == CardKind.OrganisationOrSoteCard && code == PinCode.Pin2
                    ? " Organisation cards need a signature code of 6-8 digits (SOTE cards accept 4-8)."
                    : string.Empty),
                "Choose a different new code of " + PinRules.LengthOf(kind, code).Minimum + "-" + PinRules.LengthOf(kind, code).Maximum
                + " digits.") { ReaderName = readerName };

        public static FinCardPinException CheckedCodeRejected(string readerName, PinCode code) =>
            code == PinCode.ActivationCode
                ? new FinCardPinException(ErrorIds.CardRejectedActivationCode, FailureKind.InvalidArgument,
                    "The card in reader '" + readerName + "' refused the activation code (PUK) for its length or form before checking it. "
                    + "Nothing was unblocked.",
                    "Check the activation code on your code letter (organisation and SOTE cards: 8 digits) and try again.") { ReaderName = readerName }
                : new FinCardPinException(ErrorIds.CardRejectedPinLength, FailureKind.InvalidArgument,
                    "The card in reader '" + readerName + "' refused the " + PinRules.DisplayName(code)
                    + " for its length or form before checking it. Nothing was changed.",
                    "Check how many digits your code has and try again.") { ReaderName = readerName };

        public static FinCardPinException RulesMismatch(string readerName, PinCode code, string detail) =>
            new FinCardPinException(ErrorIds.CardPinRulesMismatch, FailureKind.InvalidData,
                "The card in reader '" + readerName + "' describes its " + PinRules.DisplayName(code)
                + " differently from what FinCardPin knows about this card type: " + detail
                + " Sending the code the way FinCardPin would could cost a try, so nothing was sent.",
                "Use the card issuer's software (DigiSign) for this card, and send the report of Export-CardDiagnostic "
                + "to the FinCardPin maintainers so that the card can be supported.") { ReaderName = readerName };

        public static FinCardPinException SameAsCurrent(PinCode code) =>
            new FinCardPinException(ErrorIds.NewPinSameAsCurrent, FailureKind.InvalidArgument,
                "The new " + PinRules.DisplayName(code) + " is the same as the current one.",
                "Choose a different new code.");

        public static FinCardPinException NotAllowed(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.PermissionDenied,
                "The card in reader '" + readerName + "' did not allow the operation on the " + PinRules.DisplayName(code) + " in its current state.",
                "Take the card out, insert it into a contact reader and try again.") { ReaderName = readerName };
    }
}
