using System;
using System.Collections.Generic;
using System.Linq;
using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The names people use for the codes: the DVV's and DigiSign's (basic/signature code, authentication/signature
    /// PIN), in English, Swedish and Finnish, all meaning PIN1, PIN2 or the activation code.
    /// </summary>
    internal static class PinCodeNames
    {
        /// <summary>A name tab completion offers, and the code it means.</summary>
        internal sealed class Suggestion
        {
            public Suggestion(string name, PinCode code)
            {
                Name = name;
                Code = code;
            }

            public string Name { get; }

            public PinCode Code { get; }

            /// <summary>The tooltip: which code the name means, in the words of the DVV's instructions.</summary>
            public string Description => Texts.Get("Completion.CodeTooltip", "name", Name, "code", Code, "purpose", Texts.Get("Purpose." + Code));
        }

        /// <summary>The names tab completion offers, most familiar first (English, then Swedish, then Finnish).</summary>
        public static readonly IReadOnlyList<Suggestion> Suggested = new[]
        {
            new Suggestion("Pin1", PinCode.Pin1),
            new Suggestion("Pin2", PinCode.Pin2),
            new Suggestion("Basic", PinCode.Pin1),
            new Suggestion("Authentication", PinCode.Pin1),
            new Suggestion("Signature", PinCode.Pin2),
            new Suggestion("ActivationCode", PinCode.ActivationCode),
            new Suggestion("Puk", PinCode.ActivationCode),
            new Suggestion("grundkod", PinCode.Pin1),
            new Suggestion("baskod", PinCode.Pin1),
            new Suggestion("signaturkod", PinCode.Pin2),
            new Suggestion("aktiveringskod", PinCode.ActivationCode),
            new Suggestion("perustunnusluku", PinCode.Pin1),
            new Suggestion("allekirjoitustunnusluku", PinCode.Pin2),
            new Suggestion("aktivointitunnusluku", PinCode.ActivationCode),
        };

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
            ["3"] = PinCode.ActivationCode,
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

        /// <summary>The code a name already checked by the -Code transformation means.</summary>
        public static PinCode Parse(string name) =>
            TryParse(name, out var code) ? code : throw new ArgumentException("'" + name + "' is not a code name.", nameof(name));

        /// <summary>The suggestions for one cmdlet: the names of the codes its -Code takes (see PinCodeTransformationAttribute).</summary>
        public static IEnumerable<Suggestion> SuggestedFor(string? commandName)
        {
            var accepted = PinCodeTransformationAttribute.AcceptedBy(CmdletType(commandName));
            return Suggested.Where(s => accepted.Contains(s.Code));
        }

        // The module's cmdlet classes by "Verb-Noun", found once: completion asks on every Tab.
        private static readonly Lazy<Dictionary<string, Type>> Cmdlets = new Lazy<Dictionary<string, Type>>(() =>
            typeof(PinCodeNames).Assembly.GetTypes()
                .Select(t => (Type: t, Attribute: (System.Management.Automation.CmdletAttribute?)Attribute.GetCustomAttribute(t, typeof(System.Management.Automation.CmdletAttribute), false)))
                .Where(c => c.Attribute != null)
                .ToDictionary(c => c.Attribute!.VerbName + "-" + c.Attribute.NounName, c => c.Type, StringComparer.OrdinalIgnoreCase));

        // The cmdlet class of this module named "Verb-Noun" (or "FinCardPin\Verb-Noun"), or null.
        private static Type? CmdletType(string? commandName)
        {
            var name = commandName?.Split('\\').Last();
            return name != null && Cmdlets.Value.TryGetValue(name, out var type) ? type : null;
        }
    }
}
