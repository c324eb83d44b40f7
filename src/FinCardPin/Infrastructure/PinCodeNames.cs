using System;
using System.Collections.Generic;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The names people use for the codes: the DVV's and DigiSign's (basic/signature code, authentication/signature
    /// PIN), in English, Swedish and Finnish, all meaning PIN1, PIN2 or the activation code.
    /// </summary>
    internal static class PinCodeNames
    {
        /// <summary>The names tab completion offers, most familiar first.</summary>
        public static readonly string[] Suggested = { "Pin1", "Pin2", "Basic", "Signature", "Authentication", "ActivationCode" };

        private static readonly Dictionary<string, PinCode> Names = new Dictionary<string, PinCode>(StringComparer.OrdinalIgnoreCase)
        {
            ["Pin1"] = PinCode.Pin1,
            ["1"] = PinCode.Pin1,
            ["Basic"] = PinCode.Pin1,
            ["BasicCode"] = PinCode.Pin1,
            ["BasicPin"] = PinCode.Pin1,
            ["Authentication"] = PinCode.Pin1,
            ["AuthenticationCode"] = PinCode.Pin1,
            ["AuthenticationPin"] = PinCode.Pin1,
            ["Grundkod"] = PinCode.Pin1,
            ["Baskod"] = PinCode.Pin1,
            ["Perustunnusluku"] = PinCode.Pin1,
            ["Pin2"] = PinCode.Pin2,
            ["2"] = PinCode.Pin2,
            ["Signature"] = PinCode.Pin2,
            ["SignatureCode"] = PinCode.Pin2,
            ["SignaturePin"] = PinCode.Pin2,
            ["Signaturkod"] = PinCode.Pin2,
            ["Allekirjoitustunnusluku"] = PinCode.Pin2,
            ["ActivationCode"] = PinCode.ActivationCode,
            ["Puk"] = PinCode.ActivationCode,
            ["Aktiveringskod"] = PinCode.ActivationCode,
            ["Aktivointitunnusluku"] = PinCode.ActivationCode,
        };

        public static bool TryParse(string? name, out PinCode code)
        {
            code = default;
            if (name == null)
            {
                return false;
            }

            var trimmed = name.Trim().Replace(" ", string.Empty).Replace("-", string.Empty);
            return Names.TryGetValue(trimmed, out code);
        }
    }
}
