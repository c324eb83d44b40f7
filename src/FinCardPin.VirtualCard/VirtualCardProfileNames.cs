using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// Reads a profile name as people and older card files write it. The identity-card profiles were named
    /// "Citizen…" until 0.1.0 (e.g. CitizenThalesV5, now IdentityThalesV5); card files and scripts written then keep
    /// working. The old names are kept here on purpose: the vocabulary rename script leaves this file alone.
    /// </summary>
    internal static class VirtualCardProfileNames
    {
        private const string OldIdentityPrefix = "Citizen";
        private const string IdentityPrefix = "Identity";

        /// <summary>A profile from its name (case does not matter), also the old "Citizen…" names.</summary>
        public static bool TryParse(string? text, out VirtualCardProfile profile)
        {
            profile = default;
            if (text == null)
            {
                return false;
            }

            string name = text.Trim();
            if (TryParseExact(name, out profile))
            {
                return true;
            }

            return name.StartsWith(OldIdentityPrefix, StringComparison.OrdinalIgnoreCase)
                && TryParseExact(IdentityPrefix + name.Substring(OldIdentityPrefix.Length), out profile);
        }

        private static bool TryParseExact(string name, out VirtualCardProfile profile) =>
            Enum.TryParse(name, true, out profile) && Enum.IsDefined(typeof(VirtualCardProfile), profile);
    }
}
