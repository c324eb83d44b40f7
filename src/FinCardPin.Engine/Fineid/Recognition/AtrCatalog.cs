using System.Collections.Generic;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Recognises FINEID cards from their ATR (the ATRs as libelectronic-id, OpenSC's FinEID driver and the DVV's list
    /// quoted by ReFineID give them): first the known ATRs, then the Thales v5 mask that libelectronic-id uses (bytes 12–13 vary between revisions), then the family markers in the
    /// historical bytes, so that a new chip revision of a known family is still recognised.
    /// </summary>
    internal static class AtrCatalog
    {
        private static readonly KnownAtr[] Known =
        {
            new KnownAtr("3B 7F 96 00 00 80 31 B8 65 B0 85 03 00 EF 12 00 F6 82 90 00", CardKind.IdentityCard, "Gemalto MultiApp v3.0"),
            new KnownAtr("3B 7F 96 00 00 80 31 B8 65 B0 85 04 02 1B 12 00 F6 82 90 00", CardKind.IdentityCard, "Gemalto MultiApp v4.2"),
            new KnownAtr("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00", CardKind.IdentityCard, "Thales MultiApp v5.0"),
            new KnownAtr("3B 7F 96 00 00 80 31 B8 65 B0 85 05 10 24 12 24 60 82 90 00", CardKind.IdentityCard, "Thales MultiApp v5.0 (2025 revision)"),
            new KnownAtr("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48", CardKind.OrganisationOrSoteCard, "IDEMIA ID.me"),
            new KnownAtr("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 83 49", CardKind.OrganisationOrSoteCard, "IDEMIA Cosmo X"),
            new KnownAtr("3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 90 00 DA", CardKind.OrganisationOrSoteCard, "Oberthur Cosmo v7"),
        };

        // The ID.me chip through a contactless reader (DVV's ATR list, as quoted by ReFineID): a PC/SC pseudo-ATR with no
        // family marker, so it is known by its bytes. PIN commands need PACE there.
        private static readonly byte[] IdMeContactless = Hex.Parse("3B 89 80 01 80 57 43 49 54 49 5A 32 31 91");

        private static readonly byte[] ThalesV5 = Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00");
        private static readonly byte[] IdentityMarker = Hex.Parse("80 31 B8 65 B0 85");
        private static readonly byte[] OrganisationMarker = Hex.Parse("00 31 B8 64 04 29 EC C1 73 94 01 80");

        public static CardIdentity Identify(byte[] atr)
        {
            if (atr == null || atr.Length == 0)
            {
                return new CardIdentity(CardKind.None, null);
            }

            foreach (var known in Known)
            {
                if (SameBytes(atr, known.Atr))
                {
                    return new CardIdentity(known.Kind, known.Chip);
                }
            }

            if (SameBytes(atr, IdMeContactless))
            {
                return new CardIdentity(CardKind.OrganisationOrSoteCard, "IDEMIA ID.me (contactless interface)", isContactless: true);
            }

            if (MatchesThalesV5Mask(atr))
            {
                return new CardIdentity(CardKind.IdentityCard, "Thales MultiApp v5 (unlisted revision)");
            }

            var contactless = IsContactlessPseudoAtr(atr);
            var identity = IndexOf(atr, IdentityMarker);
            if (identity >= 0 && identity + IdentityMarker.Length < atr.Length && atr[identity + IdentityMarker.Length] is 0x03 or 0x04 or 0x05)
            {
                return new CardIdentity(CardKind.IdentityCard, null, contactless);
            }

            var organisation = IndexOf(atr, OrganisationMarker);
            if (organisation >= 0 && organisation + OrganisationMarker.Length < atr.Length
                && atr[organisation + OrganisationMarker.Length] is 0x82 or 0x83)
            {
                return new CardIdentity(CardKind.OrganisationOrSoteCard, null, contactless);
            }

            return new CardIdentity(CardKind.OtherCard, null, contactless);
        }

        // PC/SC part 3 pseudo-ATR of an ISO 14443-4 card: 3B 8n 80 01 …
        private static bool IsContactlessPseudoAtr(byte[] atr) =>
            atr.Length >= 4 && atr[0] == 0x3B && (atr[1] & 0xF0) == 0x80 && atr[2] == 0x80 && atr[3] == 0x01;

        private static bool MatchesThalesV5Mask(byte[] atr)
        {
            if (atr.Length != ThalesV5.Length)
            {
                return false;
            }

            for (var i = 0; i < atr.Length; i++)
            {
                if (i != 12 && i != 13 && atr[i] != ThalesV5[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameBytes(byte[] left, byte[] right)
        {
            if (left.Length != right.Length)
            {
                return false;
            }

            for (var i = 0; i < left.Length; i++)
            {
                if (left[i] != right[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var start = 0; start + needle.Length <= haystack.Length; start++)
            {
                var found = true;
                for (var i = 0; i < needle.Length && found; i++)
                {
                    found = haystack[start + i] == needle[i];
                }

                if (found)
                {
                    return start;
                }
            }

            return -1;
        }

        private sealed class KnownAtr
        {
            public KnownAtr(string atr, CardKind kind, string chip)
            {
                Atr = Hex.Parse(atr);
                Kind = kind;
                Chip = chip;
            }

            public byte[] Atr { get; }
            public CardKind Kind { get; }
            public string Chip { get; }
        }

        /// <summary>The ATRs this catalogue knows, for tests and documentation.</summary>
        public static IEnumerable<string> KnownAtrs()
        {
            foreach (var known in Known)
            {
                yield return Hex.Format(known.Atr);
            }
        }
    }
}
