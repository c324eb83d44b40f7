using System;
using System.Collections.Generic;
using System.Globalization;
using System.Resources;
using System.Text;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Localization
{
    /// <summary>
    /// Every word the module shows, from its resources (Resources/Texts.resx in English, Texts.fi.resx and
    /// Texts.sv.resx beside it), in the session's UI language ($PSUICulture; English when there is no text in it).
    /// A text names its facts as {placeholders}: {code} is replaced by the fact "code" as the language names it,
    /// {Code} the same with a capital first letter, {code:the} by its definite form where the language has one.
    /// </summary>
    internal static class Texts
    {
        /// <summary>The resources' base name (the .resx files under Resources/).</summary>
        public const string ResourceName = "FinCardPin.Resources.Texts";

        private static readonly ResourceManager Resources = new ResourceManager(ResourceName, typeof(Texts).Assembly);

        /// <summary>The text of <paramref name="key"/> in the current UI language, its placeholders filled from <paramref name="facts"/>.</summary>
        public static string Get(string key, params object?[] facts) => Format(key, Facts(facts), null);

        /// <summary>The text of <paramref name="key"/> in <paramref name="culture"/> (null: the current UI language).</summary>
        public static string Format(string key, IReadOnlyDictionary<string, object?> facts, CultureInfo? culture)
        {
            var template = Find(key, culture) ?? throw new KeyNotFoundException("No text '" + key + "'.");
            return Fill(template, facts, culture);
        }

        /// <summary>The raw text of <paramref name="key"/> (placeholders unfilled), or null when there is none.</summary>
        public static string? Find(string key, CultureInfo? culture)
        {
            var text = Resources.GetString(key, culture ?? CultureInfo.CurrentUICulture);
            if (text != null && text.StartsWith("@", StringComparison.Ordinal))
            {
                // One text said in two places (the next step of a blocked code is also the advice of its status).
                return Find(text.Substring(1), culture);
            }

            return text;
        }

        /// <summary>The raw texts of one language as written in its own resource (no fallback to English), for the tests.</summary>
        public static IDictionary<string, string> OwnTexts(CultureInfo culture)
        {
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            // fi-FI and sv-SE have no resources of their own: theirs are those of the neutral fi and sv.
            var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
                ?? (culture.IsNeutralCulture || culture.Equals(CultureInfo.InvariantCulture) ? null : Resources.GetResourceSet(culture.Parent, createIfNotExists: true, tryParents: false));
            if (set == null)
            {
                return texts;
            }

            foreach (System.Collections.DictionaryEntry entry in set)
            {
                texts[(string)entry.Key] = (string)entry.Value!;
            }

            return texts;
        }

        /// <summary>How the language names a code, e.g. "signature code (PIN2)" / "allekirjoitustunnusluku (PIN2)".</summary>
        public static string CodeName(PinCode code, CultureInfo? culture = null) => Value(code, null, culture, EmptyFacts);

        /// <summary>A length rule in words, e.g. "4-8 digits (6-8 on organisation cards, 4-8 on SOTE cards)".</summary>
        public static string LengthRule(LengthRule rule, CultureInfo? culture = null) => Value(rule, null, culture, EmptyFacts);

        private static readonly IReadOnlyDictionary<string, object?> EmptyFacts = new Dictionary<string, object?>();

        /// <summary>Facts given as name, value, name, value …</summary>
        public static IReadOnlyDictionary<string, object?> Facts(params object?[] namesAndValues)
        {
            var facts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < namesAndValues.Length; i += 2)
            {
                facts[(string)namesAndValues[i]!] = namesAndValues[i + 1];
            }

            return facts;
        }

        /// <summary>The names of the placeholders in a text, lower case, without forms (for the tests).</summary>
        public static ISet<string> Placeholders(string template)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, _) in Scan(template))
            {
                names.Add(name.ToLowerInvariant());
            }

            return names;
        }

        internal static string Fill(string template, IReadOnlyDictionary<string, object?> facts, CultureInfo? culture)
        {
            var text = new StringBuilder();
            var at = 0;
            while (at < template.Length)
            {
                var open = template.IndexOf('{', at);
                var close = open < 0 ? -1 : template.IndexOf('}', open);
                if (open < 0 || close < 0)
                {
                    text.Append(template, at, template.Length - at);
                    break;
                }

                text.Append(template, at, open - at);
                var placeholder = template.Substring(open + 1, close - open - 1);
                var colon = placeholder.IndexOf(':');
                var name = colon < 0 ? placeholder : placeholder.Substring(0, colon);
                var form = colon < 0 ? null : placeholder.Substring(colon + 1);
                facts.TryGetValue(name, out var value);
                var shown = Value(value, form, culture, facts);
                text.Append(name.Length > 0 && char.IsUpper(name[0]) ? Capitalised(shown, culture) : shown);
                at = close + 1;
            }

            return text.ToString();
        }

        private static IEnumerable<(string Name, string? Form)> Scan(string template)
        {
            var at = 0;
            while (true)
            {
                var open = template.IndexOf('{', at);
                var close = open < 0 ? -1 : template.IndexOf('}', open);
                if (open < 0 || close < 0)
                {
                    yield break;
                }

                var placeholder = template.Substring(open + 1, close - open - 1);
                var colon = placeholder.IndexOf(':');
                yield return colon < 0 ? (placeholder, null) : (placeholder.Substring(0, colon), placeholder.Substring(colon + 1));
                at = close + 1;
            }
        }

        private static string Value(object? value, string? form, CultureInfo? culture, IReadOnlyDictionary<string, object?> facts)
        {
            switch (value)
            {
                case null:
                    return Find("Fact.Unknown", culture) ?? "?";
                case string text:
                    return text;
                case TimeSpan span:
                    return span.TotalSeconds.ToString("0.#", culture ?? CultureInfo.CurrentUICulture);
                case FinCardPinException error:
                    return ErrorTexts.MessageOf(error, culture);
                case LengthRule rule:
                    var range = Fill(Find(rule.Minimum == rule.Maximum ? "LengthRule.Exact" : "LengthRule.Range", culture)!,
                        Facts("min", rule.Minimum, "max", rule.Maximum), culture);
                    return rule.Note == LengthNote.None ? range : range + " (" + Find("LengthNote." + rule.Note, culture) + ")";
                case Enum named:
                    var key = named.GetType().Name + "." + named;
                    var worded = (form == null ? null : Find(key + "." + form, culture)) ?? Find(key, culture);
                    return worded == null ? named.ToString() : Fill(worded, facts, culture);
                case IFormattable number:
                    return number.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return value.ToString() ?? string.Empty;
            }
        }

        private static string Capitalised(string text, CultureInfo? culture) =>
            text.Length == 0 ? text : char.ToUpper(text[0], culture ?? CultureInfo.CurrentUICulture) + text.Substring(1);
    }
}
