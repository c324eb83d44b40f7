using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FinCardPin.Engine.Errors;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;
using Xunit;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// A Finnish or Swedish message is the module's own sentence from end to end: no English word of its own template,
    /// and no .NET or PowerShell English text in a placeholder where the module can word the reason itself (a file that
    /// could not be written, a malformed reader pattern, an unexpected failure).
    /// </summary>
    public class WholeMessagesTests
    {
        // English words of .NET's and PowerShell's messages, and of the module's own English texts.
        // Case-sensitive: "SYSTEM" (the Windows account) is a name in every language.
        private static readonly Regex English = new Regex(
            @"\b([Tt]he|[Ii]s|[Ww]as|[Cc]ould|[Nn]ot|[Ff]ailed|unexpectedly|[Pp]ath|part|find|denied|[Aa]ccess|specified|valid|invalid|wildcard|character|pattern|[Cc]annot|[Pp]lease|report|folder|written|write|system)\b");

        // What a text names rather than says: commands and parameters, variables, identifiers in backticks or quotes.
        private static readonly Regex Named = new Regex(@"\{[^}]*\}|\$\S+|-\w[\w:$]*|\b\w+-\w+\b|`[^`]*`|'[^']*'|""[^""]*""|\b[\w.]+\.(json|ps1|txt)\b");

        public static IEnumerable<object[]> Translations() => Languages.TranslationData();

        [Theory]
        [MemberData(nameof(Translations))]
        public void EveryErrorTemplate_IsInItsLanguage(string language)
        {
            var english = Texts.OwnTexts(new CultureInfo(language))
                .Where(t => t.Key.StartsWith("Error.", StringComparison.Ordinal) || t.Key.StartsWith("Action.", StringComparison.Ordinal) || t.Key.StartsWith("FileFailure.", StringComparison.Ordinal))
                .Where(t => English.IsMatch(Named.Replace(t.Value, " ")))
                .Select(t => t.Key + ": " + t.Value)
                .ToList();

            Assert.Empty(english);
        }

        public static IEnumerable<object[]> FileFailuresAndLanguages() =>
            from exception in new Exception[]
            {
                new UnauthorizedAccessException("Access to the path '/x/report.json' is denied."),
                new DirectoryNotFoundException("Could not find a part of the path '/x/report.json'."),
                new PathTooLongException("The path '/x/report.json' is too long."),
                new ArgumentException("The path is not of a legal form."),
                new IOException("No space left on device : '/x/report.json'"),
            }
            from language in Languages.Translations
            select new object[] { exception, language };

        [Theory]
        [MemberData(nameof(FileFailuresAndLanguages))]
        public void AFileNotWritten_IsWordedByTheModule(Exception exception, string language)
        {
            var culture = new CultureInfo(language);
            var reason = FileFailures.Of(exception);
            var report = new FinCardPinException(ErrorIds.DiagnosticWriteFailed, FailureKind.ResourceUnavailable, null, exception)
                .With("path", "/x/raportti.json")
                .With("reason", reason);

            foreach (var message in new[]
            {
                ErrorTexts.MessageOf(report, culture),
                Texts.Format("Error.VirtualCardFileNotWritten", Texts.Facts("path", "/x/kortti.json", "detail", reason), culture),
            })
            {
                Assert.DoesNotContain(exception.Message, message, StringComparison.Ordinal);
                Assert.DoesNotMatch(English, Named.Replace(message, " "));
                Assert.Contains(Texts.Find("FileFailure." + reason, culture)!, message, StringComparison.Ordinal);
            }
        }

        [Theory]
        [MemberData(nameof(Translations))]
        public void AMalformedReaderPattern_IsWordedByTheModule(string language)
        {
            var refused = Assert.Throws<FinCardPinException>(() => ReaderSelection.Pattern("[abc"));

            var message = ErrorTexts.MessageOf(refused, new CultureInfo(language));

            Assert.Equal(ErrorIds.InvalidReaderNamePattern, refused.ErrorId);
            Assert.NotNull(refused.InnerException); // PowerShell's own text stays inside, for whoever looks
            Assert.DoesNotContain(refused.InnerException!.Message, message, StringComparison.Ordinal);
            Assert.DoesNotMatch(English, Named.Replace(message, " "));
        }

        [Fact]
        public void EveryFileFailure_HasItsWords_InEachLanguage()
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, new CultureInfo("fi"), new CultureInfo("sv") })
            {
                var own = Texts.OwnTexts(culture);
                Assert.All(Enum.GetNames<FileFailure>(), name => Assert.True(own.ContainsKey("FileFailure." + name), name + " in " + culture.Name));
            }
        }

        [Fact]
        public void TheScan_SeesDotNetsEnglish()
        {
            // The message the admin saw before: a Finnish sentence around .NET's English text.
            const string Before = "Diagnostiikkaraporttia ei voitu kirjoittaa tiedostoon '/x/raportti.json': Could not find a part of the path '/x/raportti.json'.";

            Assert.Matches(English, Named.Replace(Before, " "));
            Assert.DoesNotMatch(English, Named.Replace("Diagnostiikkaraporttia ei voitu kirjoittaa tiedostoon '/x/raportti.json': sen kansiota ei ole.", " "));
        }
    }
}
