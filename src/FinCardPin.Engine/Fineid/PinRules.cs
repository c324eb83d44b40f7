using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The DVV's rules for the codes (the DVV's PIN code pages for the identity, organisation and SOTE cards; the
    /// cards' own PKCS#15 limits narrow them), checked before the card sees anything: a refused code costs no try.
    /// </summary>
    public static class PinRules
    {
        public const int MaxTries = 5;

        /// <summary>The largest maximum a card may report (IDEMIA's 9A); 63Cx cannot say more than 15 either.</summary>
        public const int MaxReportableTries = 15;

        /// <summary>
        /// Whether a tries count the card reported can be true: 0 to the code's maximum (the card's own, where it told
        /// it, e.g. IDEMIA's 9A; otherwise the built-in 5). A count above it (a DF21 of 6-255, a 63C6-63CF on a card
        /// whose codes allow 5) says the card is not what the module expects, so it is no count at all and the code's
        /// state is unknown, which the last-try guard treats like a last try.
        /// </summary>
        public static bool IsPossibleTriesCount(int tries, int maximum) => tries >= 0 && tries <= maximum;

        /// <summary>A maximum a card can have: 1 to 15.</summary>
        public static bool IsPossibleMaximum(int maximum) => maximum >= 1 && maximum <= MaxReportableTries;

        private static readonly LengthRule Pin1 = new LengthRule(4, 8);
        private static readonly LengthRule Pin2Identity = new LengthRule(6, 8);
        private static readonly LengthRule Pin2OrganisationOrSote = new LengthRule(4, 8, LengthNote.OrganisationOrSote);
        // 8 digits; identity cards issued from 13.1.2026 have 7. Organisation and SOTE code letters have 8.
        private static readonly LengthRule ActivationCodeIdentity = new LengthRule(7, 8);
        private static readonly LengthRule ActivationCodeOrganisationOrSote = new LengthRule(8, 8);

        public static LengthRule LengthOf(CardKind kind, PinCode code)
        {
            switch (code)
            {
                case PinCode.Pin1:
                    return Pin1;
                case PinCode.Pin2:
                    return kind == CardKind.OrganisationOrSoteCard ? Pin2OrganisationOrSote : Pin2Identity;
                case PinCode.ActivationCode:
                    return kind == CardKind.OrganisationOrSoteCard ? ActivationCodeOrganisationOrSote : ActivationCodeIdentity;
                default:
                    throw new ArgumentOutOfRangeException(nameof(code));
            }
        }

        /// <summary>Throws a clear refusal when <paramref name="value"/> breaks the rules for that code on that card.</summary>
        /// <param name="role">Which entry the value is (the message names it).</param>
        public static void Check(CardKind kind, PinCode code, PinBuffer value, CodeRole role)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var variant = role == CodeRole.Given ? string.Empty : "." + role;
            if (!value.IsAllAsciiDigits)
            {
                throw new FinCardPinException(ErrorIds.InvalidPinCharacters, FailureKind.InvalidArgument, ErrorIds.InvalidPinCharacters + variant)
                    .With("code", code);
            }

            var rule = LengthOf(kind, code);
            if (!rule.Allows(value.Length))
            {
                throw new FinCardPinException(ErrorIds.InvalidPinLength, FailureKind.InvalidArgument, ErrorIds.InvalidPinLength + variant)
                    .With("code", code)
                    .With("rule", rule);
            }
        }
    }
}
