using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Remembers, for this PowerShell process, which new PIN1 and PIN2 were set on which card (by the serial read from
    /// the card, never by reader: another card may be in the same reader later) so that setting the other code to the
    /// same digits draws the DVV's warning that PIN1 and PIN2 should differ. What is kept cannot give a code back: an
    /// HMAC-SHA256 under a random key made for this process and kept only in its memory, cut to
    /// <see cref="FingerprintBits"/> bits, so that every value is shared by many codes (about 39 of the 10 000 four-digit
    /// ones, 3 900 of the six-digit ones): even with the key from a memory dump, the fingerprint narrows a code down to
    /// that many. The price is a false warning for one new code in 256, which is only a warning.
    /// </summary>
    internal static class NewCodeMemory
    {
        /// <summary>How many bits of the HMAC are kept.</summary>
        internal const int FingerprintBits = 8;

        private static readonly byte[] Key = NewKey();
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, byte> Fingerprints = new Dictionary<string, byte>(StringComparer.Ordinal);

        /// <summary>Whether the other code (PIN1 for PIN2, PIN2 for PIN1) of the card of this serial was set to the same digits in this process.</summary>
        public static bool MatchesOtherCode(string serial, PinCode code, PinBuffer newCode)
        {
            var other = code == PinCode.Pin1 ? PinCode.Pin2 : PinCode.Pin1;
            byte remembered;
            lock (Gate)
            {
                if (!Fingerprints.TryGetValue(KeyOf(serial, other), out remembered))
                {
                    return false;
                }
            }

            return Fingerprint(newCode) == remembered;
        }

        /// <summary>Notes the code just set on the card of this serial (read from the card in the same session).</summary>
        public static void Remember(string serial, PinCode code, PinBuffer newCode)
        {
            var fingerprint = Fingerprint(newCode);
            lock (Gate)
            {
                Fingerprints[KeyOf(serial, code)] = fingerprint;
            }
        }

        private static string KeyOf(string serial, PinCode code) => serial + "|" + code;

        /// <summary>The first <see cref="FingerprintBits"/> bits of the code's HMAC under this process's key.</summary>
        internal static byte Fingerprint(PinBuffer code)
        {
            if (code == null)
            {
                throw new ArgumentNullException(nameof(code));
            }

            // The digits are copied only into pinned memory, zeroed when done; the full HMAC too is zeroed.
            using var digits = new PinnedBytes(code.Length);
            code.CopyTo(digits.Array, 0);
            using var hmac = new HMACSHA256(Key);
            var hash = hmac.ComputeHash(digits.Array, 0, digits.Length);
            try
            {
                return hash[0];
            }
            finally
            {
                SecureMemory.Zero(hash);
            }
        }

        private static byte[] NewKey()
        {
            var key = new byte[32];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(key);
            return key;
        }
    }
}
