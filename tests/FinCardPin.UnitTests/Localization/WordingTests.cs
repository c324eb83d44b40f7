using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FinCardPin.Localization;
using Xunit;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// Words a native reader stumbled on: a card reset is "nollata" in Finnish (not "palauttaa", which reads as
    /// "return the card"), an error id is "fel-ID" in Swedish (not the calque "felidentitet"), the module does not
    /// "speak" a language, and English texts give English words with the DVV's Swedish labels in brackets.
    /// </summary>
    public class WordingTests
    {
        private static readonly string[] SwedishLabels = { "Kontrollera PIN", "Byt PIN", "Frigör låst PIN", "Om PIN-koden är låst" };

        [Fact]
        public void Finnish_CardReset_IsNollata()
        {
            var fi = new CultureInfo("fi-FI");
            foreach (var key in new[] { "Error.CardReset", "Error.CardReset.NoReader" })
            {
                var text = Texts.Find(key, fi)!;
                Assert.Contains("nollasi", text, StringComparison.Ordinal);
                Assert.DoesNotContain("palautti", text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("palauttaa kortin", About("fi-FI"), StringComparison.Ordinal);
        }

        [Fact]
        public void Swedish_SaysFelId_NotFelidentitet()
        {
            foreach (var text in Texts.OwnTexts(new CultureInfo("sv-SE")).Values.Append(About("sv-SE")).Append(Help("sv-SE")))
            {
                Assert.DoesNotMatch(new Regex("felidentitet", RegexOptions.IgnoreCase), text);
            }
        }

        [Theory]
        [InlineData("fi-FI", "FinCardPin puhuu")]
        [InlineData("sv-SE", "FinCardPin talar")]
        [InlineData("sv-SE", "den talar med smartkort")]
        public void TheModule_DoesNotSpeak(string culture, string literal)
        {
            var texts = Texts.OwnTexts(new CultureInfo(culture)).Values.Append(About(culture)).Append(Help(culture));

            Assert.DoesNotContain(texts, t => t.Contains(literal, StringComparison.Ordinal));
        }

        [Fact]
        public void English_GivesTheDvvsSwedishLabels_InBrackets()
        {
            var english = Texts.OwnTexts(CultureInfo.InvariantCulture).Values
                .Append(About("en-US")).Append(Help("en-US")).Append(File.ReadAllText(Path.Combine(Root(), "README.md")));
            foreach (var text in english)
            {
                foreach (var label in SwedishLabels)
                {
                    // A label outside brackets or quotes-after-a-colon ("Kontrollera PIN: Test-CardPin") is used as if it were English.
                    Assert.DoesNotMatch(new Regex("(^|[\\s>#])\"?" + Regex.Escape(label) + "\"?:", RegexOptions.Multiline), text);
                }
            }
        }

        private static string About(string culture) => File.ReadAllText(Path.Combine(Root(), "src", "FinCardPin", culture, "about_FinCardPin.help.txt"));

        private static string Help(string culture) => File.ReadAllText(Path.Combine(Root(), "src", "FinCardPin", culture, "FinCardPin.dll-Help.xml"));

        private static string Root()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root != null && !File.Exists(Path.Combine(root.FullName, "FinCardPin.sln")))
            {
                root = root.Parent;
            }

            return root!.FullName;
        }
    }
}
