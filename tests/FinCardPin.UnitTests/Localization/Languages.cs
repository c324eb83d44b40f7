using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using FinCardPin.Localization;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// The module's languages as its project file names them (NeutralLanguage, SatelliteResourceLanguages), read from
    /// the attribute the build writes into FinCardPin.dll: a language added there is tested everywhere, with no list
    /// written out again in a test.
    /// </summary>
    public static class Languages
    {
        /// <summary>Every language, the neutral one (English) first: "en", "fi", "sv".</summary>
        public static IReadOnlyList<string> All { get; } = Read();

        /// <summary>The translations: every language but English.</summary>
        public static IReadOnlyList<string> Translations { get; } = All.Skip(1).ToArray();

        /// <summary>The culture a test reads a language's texts in (English: the invariant culture, the resources' own).</summary>
        public static CultureInfo Culture(string language) =>
            language == All[0] ? CultureInfo.InvariantCulture : CultureInfo.CreateSpecificCulture(language);

        /// <summary>Each language as xunit member data.</summary>
        public static IEnumerable<object[]> AllData() => All.Select(l => new object[] { l });

        /// <summary>Each translation as xunit member data.</summary>
        public static IEnumerable<object[]> TranslationData() => Translations.Select(l => new object[] { l });

        private static string[] Read()
        {
            var value = typeof(Texts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "FinCardPin.Languages").Value;
            return (value ?? string.Empty).Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
