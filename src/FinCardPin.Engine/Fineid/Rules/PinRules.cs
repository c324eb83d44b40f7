using System;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The length rules, checked before the card sees anything: a refused code costs no try. A NEW code follows the
    /// DVV's rule (the DVV's PIN code pages for the identity, organisation and SOTE cards; the cards' own PKCS#15 limits
    /// narrow it). A code the holder ALREADY HAS (the code checked, the current code, the activation or unblocking code)
    /// is accepted up to what the card stores: other card software (libelectronic-id FinEID.hpp {4,12}/{6,12}, OpenSC
    /// pkcs15-esteid2025.c max_length 12, ReFineID 4-12/6-12) lets holders set identity-card codes of up to 12 digits,
    /// and refusing such a code would lock its holder out; organisation/SOTE cards store at most 8 (FINEID S4-2 as
    /// ReFineID cites it).
    /// </summary>
    internal static class PinRules
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

        // What the identity card stores: 12 bytes. The separately ordered unblocking code of a 2026 card is 7-8 or
        // 8-12 digits depending on the source, so every length from the letter's 7 to the card's 12 is accepted.
        private static readonly LengthRule HeldPin1Identity = new LengthRule(4, 12);
        private static readonly LengthRule HeldPin2Identity = new LengthRule(6, 12);
        private static readonly LengthRule HeldActivationCodeIdentity = new LengthRule(7, 12);

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

        /// <summary>
        /// The rule for one entry: a new code's is the DVV's (<see cref="LengthOf(CardKind, PinCode)"/>); a code the
        /// holder already has may be as long as the card stores it.
        /// </summary>
        public static LengthRule LengthOf(CardKind kind, PinCode code, CodeRole role)
        {
            if (role == CodeRole.New || kind == CardKind.OrganisationOrSoteCard)
            {
                // Organisation and SOTE cards store at most 8 digits: the DVV's rule is also what they hold.
                return LengthOf(kind, code);
            }

            switch (code)
            {
                case PinCode.Pin1:
                    return HeldPin1Identity;
                case PinCode.Pin2:
                    return HeldPin2Identity;
                case PinCode.ActivationCode:
                    return HeldActivationCodeIdentity;
                default:
                    throw new ArgumentOutOfRangeException(nameof(code));
            }
        }
    }
}
