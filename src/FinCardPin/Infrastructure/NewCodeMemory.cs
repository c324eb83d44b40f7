using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Remembers, for this PowerShell process, which new PIN1 and PIN2 were set on which card — as a salted, slow
    /// fingerprint, never the digits — so that setting the other code to the same digits draws the DVV's warning
    /// that PIN1 and PIN2 should differ. The salt is random per process and lives only in memory.
    /// </summary>
    internal static class NewCodeMemory
    {
        private const int Iterations = 20000;
        private static readonly byte[] Salt = NewSalt();
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, byte[]> Fingerprints = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        /// <summary>Whether the other code (PIN1 for PIN2, PIN2 for PIN1) of this card was set to the same digits in this session.</summary>
        public static bool MatchesOtherCode(string cardKey, PinCode code, PinBuffer newCode)
        {
            var other = code == PinCode.Pin1 ? PinCode.Pin2 : PinCode.Pin1;
            byte[]? remembered;
            lock (Gate)
            {
                Fingerprints.TryGetValue(Key(cardKey, other), out remembered);
            }

            if (remembered == null)
            {
                return false;
            }

            var fingerprint = Fingerprint(newCode);
            return SecureMemory.FixedTimeEquals(remembered, fingerprint);
        }

        /// <summary>
        /// Notes the code just set on the card, under its serial and under its reader (a later command that is not
        /// given the serial knows only the reader).
        /// </summary>
        public static void Remember(string readerName, string? serial, PinCode code, PinBuffer newCode)
        {
            var fingerprint = Fingerprint(newCode);
            lock (Gate)
            {
                Fingerprints[Key(CardKey(readerName, null), code)] = fingerprint;
                if (serial != null)
                {
                    Fingerprints[Key(CardKey(readerName, serial), code)] = fingerprint;
                }
            }
        }

        /// <summary>The card a remembered code belongs to: its serial when known, else its reader.</summary>
        public static string CardKey(string readerName, string? serial) => serial != null ? "serial:" + serial : "reader:" + readerName;

        private static string Key(string cardKey, PinCode code) => cardKey + "|" + code;

        [SuppressMessage("Security", "CA5379:Ensure key derivation function algorithm is sufficiently strong", Justification =
            "netstandard2.0 (one DLL for Windows PowerShell 5.1) has only the HMAC-SHA1 PBKDF2, which has no known weakness " +
            "as a slow salted fingerprint; it never leaves this process and is compared only with another of the same salt.")]
        private static byte[] Fingerprint(PinBuffer code)
        {
            var digits = new byte[code.Length];
            try
            {
                code.CopyTo(digits, 0);
                using var derive = new Rfc2898DeriveBytes(digits, Salt, Iterations);
                return derive.GetBytes(32);
            }
            finally
            {
                SecureMemory.Zero(digits);
            }
        }

        private static byte[] NewSalt()
        {
            var salt = new byte[32];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(salt);
            return salt;
        }
    }
}
