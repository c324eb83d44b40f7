using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The FINEID-level failures: each its stable id, the variant (message key) and the facts. The cmdlet assembly
    /// words them, with the next step, in the user's language.
    /// </summary>
    internal static class CardErrors
    {
        public static FinCardPinException NotFineid(string readerName) =>
            new FinCardPinException(ErrorIds.NotFineidCard, FailureKind.InvalidOperation) { ReaderName = readerName };

        public static FinCardPinException Contactless(string readerName) =>
            new FinCardPinException(ErrorIds.ContactlessNotSupported, FailureKind.InvalidOperation) { ReaderName = readerName };

        public static FinCardPinException UnexpectedAnswer(string readerName, StatusWord sw, CardOperation operation, PinCode? code = null) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.ProtocolError) { ReaderName = readerName }
                .With("sw", sw.ToString())
                .With("operation", operation)
                .With("code", code);

        public static FinCardPinException CardChanged(string readerName, string? expected, string? found) =>
            new FinCardPinException(ErrorIds.CardChanged, FailureKind.InvalidOperation) { ReaderName = readerName }
                .With("expected", expected)
                .With("found", found);

        public static FinCardPinException Blocked(string readerName, PinCode code) =>
            code == PinCode.ActivationCode
                ? new FinCardPinException(ErrorIds.ActivationCodeBlocked, FailureKind.AuthenticationError) { ReaderName = readerName }.With("code", code)
                : new FinCardPinException(ErrorIds.PinBlocked, FailureKind.AuthenticationError) { ReaderName = readerName }.With("code", code);

        public static FinCardPinException NotActivated(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.PinNotActivated, FailureKind.InvalidOperation) { ReaderName = readerName }.With("code", code);

        /// <summary>6984 on an organisation/SOTE card: blocked or never activated; the activation code sets it either way.</summary>
        public static FinCardPinException BlockedOrNotActivated(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.PinBlocked, FailureKind.AuthenticationError, ErrorIds.PinBlocked + ".OrNotActivated") { ReaderName = readerName }
                .With("code", code);

        /// <summary>A 2026 card's code still preset to the code letter's code: activated with Set-CardPin, never unblocked.</summary>
        public static FinCardPinException PresetNotActivated(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.PinNotActivated, FailureKind.InvalidOperation, ErrorIds.PinNotActivated + ".Preset") { ReaderName = readerName }
                .With("code", code);

        public static FinCardPinException LastTry(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.LastTryProtected, FailureKind.SecurityError,
                code == PinCode.ActivationCode ? ErrorIds.LastTryProtected + ".ActivationCode" : ErrorIds.LastTryProtected)
            { ReaderName = readerName }.With("code", code);

        public static FinCardPinException TriesUnknown(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.LastTryProtected, FailureKind.SecurityError, ErrorIds.LastTryProtected + ".TriesUnknown") { ReaderName = readerName }
                .With("code", code);

        public static FinCardPinException Unanswerable(string readerName, PinCode code, PinOutcome outcome) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.ProtocolError, ErrorIds.UnexpectedCardAnswer + ".Refused") { ReaderName = readerName }
                .With("code", code)
                .With("outcome", outcome.ToString());

        public static FinCardPinException Wrong(string readerName, PinCode code, int? triesLeft)
        {
            var id = code == PinCode.ActivationCode ? ErrorIds.WrongActivationCode : ErrorIds.WrongPin;
            string variant;
            if (triesLeft == 0)
            {
                variant = ".NowBlocked";
            }
            else if (triesLeft == null)
            {
                variant = ".TriesUnknown";
            }
            else
            {
                variant = triesLeft == 1 ? ".OneTryLeft" : ".TriesLeft";
            }

            return new FinCardPinException(id, FailureKind.AuthenticationError, id + variant) { ReaderName = readerName }
                .With("code", code)
                .With("triesLeft", triesLeft);
        }

        public static FinCardPinException NewCodeRejected(string readerName, PinCode code, CardKind kind)
        {
            var rule = PinRules.LengthOf(kind, code);
            var organisationPin2 = kind == CardKind.OrganisationOrSoteCard && code == PinCode.Pin2;
            return new FinCardPinException(ErrorIds.CardRejectedNewPin, FailureKind.InvalidArgument,
                organisationPin2 ? ErrorIds.CardRejectedNewPin + ".OrganisationPin2" : ErrorIds.CardRejectedNewPin)
            { ReaderName = readerName }
                .With("code", code)
                .With("min", rule.Minimum)
                .With("max", rule.Maximum);
        }

        public static FinCardPinException NewCodeRejectedOrSame(string readerName, PinCode code, CardKind kind)
        {
            var rule = PinRules.LengthOf(kind, code);
            var key = ErrorIds.CardRejectedNewPin + ".OrSame";
            return new FinCardPinException(ErrorIds.CardRejectedNewPin, FailureKind.InvalidArgument,
                kind == CardKind.OrganisationOrSoteCard && code == PinCode.Pin2 ? key + ".OrganisationPin2" : key)
            { ReaderName = readerName }
                .With("code", code)
                .With("min", rule.Minimum)
                .With("max", rule.Maximum);
        }

        public static FinCardPinException CheckedCodeRejected(string readerName, PinCode code) =>
            new FinCardPinException(code == PinCode.ActivationCode ? ErrorIds.CardRejectedActivationCode : ErrorIds.CardRejectedPinLength,
                FailureKind.InvalidArgument) { ReaderName = readerName }
                .With("code", code);

        /// <summary>The card describes a code otherwise than the profile; the facts of <paramref name="mismatch"/> follow with With.</summary>
        public static FinCardPinException RulesMismatch(string readerName, PinCode code, RulesMismatch mismatch) =>
            new FinCardPinException(ErrorIds.CardPinRulesMismatch, FailureKind.InvalidData) { ReaderName = readerName }
                .With("code", code)
                .With("mismatch", mismatch);

        public static FinCardPinException SameAsCurrent(PinCode code) =>
            new FinCardPinException(ErrorIds.NewPinSameAsCurrent, FailureKind.InvalidArgument).With("code", code);

        public static FinCardPinException NotAllowed(string readerName, PinCode code) =>
            new FinCardPinException(ErrorIds.UnexpectedCardAnswer, FailureKind.PermissionDenied, ErrorIds.UnexpectedCardAnswer + ".NotAllowed") { ReaderName = readerName }
                .With("code", code);
    }
}
