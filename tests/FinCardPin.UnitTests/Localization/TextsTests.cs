using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Fineid.Diagnostics;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Localization;
using FinCardPin.UnitTests.Engine;
using Xunit;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// Every word in one place, in three languages: the resources hold a text for every error id and every key the
    /// code uses, in English, Finnish and Swedish alike, with the same placeholders; the engine holds none.
    /// </summary>
    public class TextsTests
    {
        private static readonly CultureInfo English = CultureInfo.InvariantCulture;
        private static readonly CultureInfo Finnish = new CultureInfo("fi-FI");
        private static readonly CultureInfo Swedish = new CultureInfo("sv-SE");

        public static IEnumerable<object[]> Translations() => Languages.TranslationData();

        public static IEnumerable<object[]> ErrorIdsAndLanguages() =>
            from id in AllErrorIds()
            from language in Languages.All
            select new object[] { id, language };

        [Theory]
        [MemberData(nameof(ErrorIdsAndLanguages))]
        public void EveryErrorId_HasAMessage_InEachLanguage(string errorId, string language)
        {
            var texts = Texts.OwnTexts(Culture(language));

            Assert.True(texts.ContainsKey("Error." + errorId) || texts.Keys.Any(k => k.StartsWith("Error." + errorId + ".", StringComparison.Ordinal)),
                "no message for " + errorId + " in " + language);
        }

        [Theory]
        [MemberData(nameof(Translations))]
        public void EveryLanguage_HasTheSameTexts(string language)
        {
            var english = Texts.OwnTexts(English).Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
            var translated = Texts.OwnTexts(Culture(language)).Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

            Assert.Empty(english.Except(translated));
            Assert.Empty(translated.Except(english));
        }

        [Theory]
        [MemberData(nameof(Translations))]
        public void Placeholders_AgreeAcrossLanguages(string language)
        {
            var disagreeing = new List<string>();
            foreach (var key in Texts.OwnTexts(English).Keys)
            {
                var english = Texts.Placeholders(Texts.Find(key, English)!);
                var translated = Texts.Placeholders(Texts.Find(key, Culture(language))!);
                if (!english.SetEquals(translated))
                {
                    disagreeing.Add(key + ": {" + string.Join(",", english) + "} vs {" + string.Join(",", translated) + "}");
                }
            }

            Assert.Empty(disagreeing);
        }

        [Theory]
        [MemberData(nameof(Translations))]
        public void Translations_AreInTheirLanguage_NotEnglishLeftOver(string language)
        {
            // Short technical texts ("{Code}", "{min} digits") may read alike; a sentence may not.
            var same = Texts.OwnTexts(English)
                .Where(t => !t.Value.StartsWith('@') && t.Value.Split(' ').Length >= 4)
                .Where(t => Texts.Find(t.Key, Culture(language)) == t.Value)
                .Select(t => t.Key)
                .ToList();

            Assert.Empty(same);
        }

        [Fact]
        public void References_PointAtTextsThatExist()
        {
            foreach (var language in Languages.All)
            {
                foreach (var text in Texts.OwnTexts(Culture(language)).Where(t => t.Value.StartsWith('@')))
                {
                    Assert.True(Texts.OwnTexts(Culture(language)).ContainsKey(text.Value.Substring(1)), text.Key + " -> " + text.Value + " in " + language);
                }
            }
        }

        [Theory]
        [InlineData("fi", "perustunnusluku", "allekirjoitustunnusluku", "aktivointitunnusluku")]
        [InlineData("sv", "grundkod", "signaturkod", "aktiveringskod")]
        public void CodeNames_AreTheDvvWords(string language, string pin1, string pin2, string activationCode)
        {
            Assert.StartsWith(pin1, Texts.CodeName(PinCode.Pin1, Culture(language)), StringComparison.Ordinal);
            Assert.StartsWith(pin2, Texts.CodeName(PinCode.Pin2, Culture(language)), StringComparison.Ordinal);
            Assert.StartsWith(activationCode, Texts.CodeName(PinCode.ActivationCode, Culture(language)), StringComparison.Ordinal);
        }

        /// <summary>
        /// Every literal in the cmdlet and engine assemblies that looks like a text key ("Prompt.NewCode",
        /// "NoFineidCard.NoReaders") is a text in every language: a key used in code but missing from a resource would
        /// show the facts instead of a message.
        /// </summary>
        [Theory]
        [MemberData(nameof(Languages.AllData), MemberType = typeof(Languages))]
        public void EveryKeyUsedInCode_IsAText_InEachLanguage(string language)
        {
            var texts = Texts.OwnTexts(Culture(language));
            var keys = Literals(typeof(Texts).Assembly).Concat(Literals(typeof(FinCardPinException).Assembly))
                // PKCS#15 file names ("EF.ODF") read like keys but are names of the card's files.
                .Where(l => KeyPattern.IsMatch(l) && l != Texts.ResourceName && !l.StartsWith("EF.", StringComparison.Ordinal))
                .Distinct()
                .ToList();
            Assert.Contains("Prompt.NewCode", keys);
            Assert.Contains("LastTryProtected.ActivationCode", keys);

            var missing = keys.Where(k => !texts.ContainsKey(k) && !texts.ContainsKey("Error." + k)).ToList();

            Assert.Empty(missing);
        }

        /// <summary>The demo script's narration (src/Demo) names its texts by key: each is a text in every language.</summary>
        [Fact]
        public void EveryKeyOfTheDemo_IsAText_InEachLanguage()
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root != null && !File.Exists(Path.Combine(root.FullName, "FinCardPin.sln")))
            {
                root = root.Parent;
            }

            Assert.NotNull(root);
            var demo = File.ReadAllText(Path.Combine(root!.FullName, "src", "Demo", "Show-FinCardPinDemo.ps1"));
            var keys = Regex.Matches(demo, @"'(Demo\.[A-Za-z0-9]+)'").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();

            Assert.True(keys.Count >= 10, "the demo names its texts by key");
            foreach (var language in Languages.All)
            {
                var texts = Texts.OwnTexts(Culture(language));
                Assert.DoesNotContain(keys, k => !texts.ContainsKey(k));
            }
        }

        /// <summary>Every failure the engine can make, in every language: its message is a worded text, not the bare facts.</summary>
        [Theory]
        [MemberData(nameof(Languages.AllData), MemberType = typeof(Languages))]
        public void EveryEngineFailure_IsWorded_InEachLanguage(string language)
        {
            var culture = Culture(language);
            foreach (var error in EngineFailures())
            {
                var message = ErrorTexts.MessageOf(error, culture);
                Assert.True(Texts.Find("Error." + error.MessageKey, culture) != null, "no text for " + error.MessageKey);
                Assert.DoesNotContain("{", message, StringComparison.Ordinal);
                Assert.NotEqual(error.FactLine(), message);
                if (error.ReaderName != null && Texts.Find("Error." + error.MessageKey, culture)!.Contains("{reader}"))
                {
                    Assert.Contains(error.ReaderName, message, StringComparison.Ordinal);
                }

                var action = ErrorTexts.ActionOf(error, culture);
                if (action != null)
                {
                    Assert.DoesNotContain("{", action, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Equal(ErrorIds.OperationCancelled, error.ErrorId); // the only failure with nothing to suggest
                }
            }
        }

        /// <summary>Texts named from an enum value at run time ("Advice." + advice, "PinCode." + code): one for every value.</summary>
        [Theory]
        [MemberData(nameof(Languages.AllData), MemberType = typeof(Languages))]
        public void EveryEnumValueWorded_HasAText_InEachLanguage(string language)
        {
            var culture = Culture(language);
            var keys = Enum.GetNames<PinAdvice>().Where(n => n != nameof(PinAdvice.None)).Select(n => "Advice." + n)
                .Concat(Enum.GetNames<PinCode>().SelectMany(n => new[] { "PinCode." + n, "PinCode." + n + ".the", "Purpose." + n }))
                .Concat(Enum.GetNames<CardOperation>().Select(n => "CardOperation." + n))
                .Concat(Enum.GetNames<RulesMismatch>().Select(n => "RulesMismatch." + n))
                .Concat(Enum.GetNames<LengthNote>().Where(n => n != nameof(LengthNote.None)).Select(n => "LengthNote." + n));
            var texts = Texts.OwnTexts(culture);

            Assert.DoesNotContain(keys, k => !texts.ContainsKey(k));
        }

        /// <summary>The engine's notes (for -Verbose) and the diagnostics report's notes: each worded in every language.</summary>
        [Theory]
        [MemberData(nameof(Languages.AllData), MemberType = typeof(Languages))]
        public void EveryNoteKey_HasAText_InEachLanguage(string language)
        {
            var texts = Texts.OwnTexts(Culture(language));
            var keys = new[] { "CardPinObjects", "NoPinObject", "CardRuleUnusable", "CardOwnRule" }
                .Concat(Enum.GetNames<NoCardRulesReason>().Select(n => "NoCardRules." + n)).Select(k => "Note." + k)
                .Concat(typeof(DiagnosticNotes).GetFields(BindingFlags.Public | BindingFlags.Static)
                    .Select(f => "DiagnosticNote." + (string)f.GetRawConstantValue()!));

            Assert.DoesNotContain(keys, k => !texts.ContainsKey(k));
        }

        [Fact]
        public void SameFailure_KeepsItsErrorId_AndChangesOnlyItsWords()
        {
            var error = CardErrors.Wrong("Reader A", PinCode.Pin1, 2);

            Assert.Equal("Wrong basic code (PIN1): 2 tries left.", ErrorTexts.MessageOf(error, English));
            Assert.Equal("Väärä perustunnusluku (PIN1): 2 yritystä jäljellä.", ErrorTexts.MessageOf(error, Finnish));
            Assert.Equal("Fel grundkod (PIN1): 2 försök kvar.", ErrorTexts.MessageOf(error, Swedish));
            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
        }

        [Fact]
        public void Engine_AloneSaysTheFacts()
        {
            var error = CardErrors.Wrong("Reader A", PinCode.Pin2, 3);

            Assert.Equal("WrongPin.TriesLeft reader='Reader A' code=Pin2 triesLeft=3", error.FactLine());
        }

        [Fact]
        public void Fill_CapitalisesAndUsesTheDefiniteForm()
        {
            var facts = Texts.Facts("code", PinCode.Pin2);

            Assert.Equal("Signaturkoden (PIN2)", Texts.Fill("{Code:the}", facts, Swedish));
            Assert.Equal("signaturkod (PIN2)", Texts.Fill("{code}", facts, Swedish));
            Assert.Equal("Allekirjoitustunnusluku (PIN2)", Texts.Fill("{Code}", facts, Finnish));
        }

        /// <summary>
        /// The engine speaks in ids and facts: no literal of it names a cmdlet, a parameter or a preference variable,
        /// and none is a sentence (four words in a row).
        /// </summary>
        [Fact]
        public void Engine_HasNoUserFacingLiteral()
        {
            var cmdlet = new Regex(@"\b(Get|Set|Test|Unlock|New|Use)-(Card|Virtual)[A-Za-z]*", RegexOptions.CultureInvariant);
            var parameter = new Regex(@"(^|\s)-[A-Z][A-Za-z]+", RegexOptions.CultureInvariant);
            var variable = new Regex(@"\$[A-Za-z]", RegexOptions.CultureInvariant);
            var sentence = new Regex(@"[A-Za-z']+ [a-z']+ [a-z']+ [a-z']+", RegexOptions.CultureInvariant);

            var offending = Literals(typeof(FinCardPinException).Assembly)
                .Where(l => cmdlet.IsMatch(l) || parameter.IsMatch(l) || variable.IsMatch(l) || sentence.IsMatch(l))
                .ToList();

            Assert.True(offending.Count == 0, "user-facing literals in the engine:\n" + string.Join("\n", offending));
        }

        [Fact]
        public void LiteralScan_FindsSentencesWhereThereAreSome()
        {
            // The scan itself works: the cmdlet assembly has no sentences left either, but its literals are read.
            var literals = Literals(typeof(Texts).Assembly).ToList();

            Assert.Contains("Prompt.ChooseNewCode", literals);
        }

        private static readonly Regex KeyPattern = new Regex(@"^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)+$", RegexOptions.CultureInvariant);

        private static CultureInfo Culture(string language) => Languages.Culture(language);

        private static IEnumerable<string> AllErrorIds() =>
            typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!);

        /// <summary>
        /// The string literals an assembly's own code loads (every ldstr in its method bodies). Types a coverage tool
        /// weaves in (coverlet's Coverlet.Core.Instrumentation.Tracker.*, with its own messages) are not the assembly's.
        /// </summary>
        private static HashSet<string> Literals(Assembly assembly)
        {
            const byte Ldstr = 0x72;
            const byte UserStringTable = 0x70;
            using var stream = File.OpenRead(assembly.Location);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var literals = new HashSet<string>(StringComparer.Ordinal);
            foreach (var typeHandle in metadata.TypeDefinitions)
            {
                var type = metadata.GetTypeDefinition(typeHandle);
                if (metadata.GetString(type.Namespace).StartsWith("Coverlet.", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var methodHandle in type.GetMethods())
                {
                    int rva = metadata.GetMethodDefinition(methodHandle).RelativeVirtualAddress;
                    if (rva == 0)
                    {
                        continue;
                    }

                    // ldstr is 72 followed by a user-string token (70xxxxxx, little-endian): read every such pair.
                    byte[] il = pe.GetMethodBody(rva).GetILBytes()!;
                    for (int i = 0; i + 4 < il.Length; i++)
                    {
                        if (il[i] == Ldstr && il[i + 4] == UserStringTable)
                        {
                            int offset = il[i + 1] | (il[i + 2] << 8) | (il[i + 3] << 16);
                            try
                            {
                                literals.Add(metadata.GetUserString(MetadataTokens.UserStringHandle(offset)));
                            }
                            catch (BadImageFormatException)
                            {
                                // The two bytes were an operand of another instruction, not an ldstr: no literal.
                            }
                        }
                    }
                }
            }

            return literals;
        }

        private static IEnumerable<FinCardPinException> EngineFailures()
        {
            foreach (var result in Enum.GetValues<PcscResult>())
            {
                if (result == PcscResult.Success)
                {
                    continue;
                }

                yield return PcscErrorMap.ToException(result, "Reader A", CardOperation.ListReaders);
                yield return PcscErrorMap.ToException(result, null, CardOperation.VerifyCode);
            }

            foreach (var code in Enum.GetValues<PinCode>())
            {
                foreach (var tries in new int?[] { 0, 1, 3, null })
                {
                    yield return CardErrors.Wrong("Reader A", code, tries);
                }

                yield return CardErrors.Blocked("Reader A", code);
                yield return CardErrors.NotActivated("Reader A", code);
                yield return CardErrors.PresetNotActivated("Reader A", code);
                yield return CardErrors.BlockedOrNotActivated("Reader A", code);
                yield return CardErrors.LastTry("Reader A", code);
                yield return CardErrors.TriesUnknown("Reader A", code);
                yield return CardErrors.Unanswerable("Reader A", code, PinOutcome.NotAllowed);
                yield return CardErrors.SameAsCurrent(code);
                yield return CardErrors.NotAllowed("Reader A", code);
                foreach (CardKind kind in new[] { CardKind.IdentityCard, CardKind.OrganisationOrSoteCard })
                {
                    yield return CardErrors.NewCodeRejected("Reader A", code, kind);
                    foreach (var role in Enum.GetValues<CodeRole>())
                    {
                        yield return Refusal(kind, code, "12a4", role);
                        yield return Refusal(kind, code, "1", role);
                    }
                }

                foreach (var operation in Enum.GetValues<CardOperation>())
                {
                    yield return CardErrors.UnexpectedAnswer("Reader A", new StatusWord(0x6F, 0x00), operation, code);
                }
            }

            foreach (var code in Enum.GetValues<PinCode>())
            {
                yield return CardErrors.CheckedCodeRejected("Reader A", code);
                foreach (CardKind kind in new[] { CardKind.IdentityCard, CardKind.OrganisationOrSoteCard })
                {
                    yield return CardErrors.NewCodeRejectedOrSame("Reader A", code, kind);
                }

                foreach (var mismatch in Enum.GetValues<RulesMismatch>())
                {
                    yield return CardErrors.RulesMismatch("Reader A", code, mismatch)
                        .With("expected", "03").With("found", "01, 02").With("reference", "03").With("pad", "FF").With("stored", 12);
                }

                foreach (var role in Enum.GetValues<CodeRole>())
                {
                    yield return new FinCardPinException(ErrorIds.InvalidPinLength, FailureKind.InvalidArgument,
                        ErrorIds.InvalidPinLength + ".CardRule" + (role == CodeRole.Given ? string.Empty : "." + role)) { ReaderName = "Reader A" }
                        .With("code", code)
                        .With("rule", new LengthRule(6, 8, LengthNote.CardsOwnRule));
                }
            }

            yield return new FinCardPinException(ErrorIds.DiagnosticWriteFailed, FailureKind.ResourceUnavailable)
                .With("path", "/tmp/report.json").With("reason", "denied");
            yield return CardErrors.NotFineid("Reader A");
            yield return CardErrors.Contactless("Reader A");
            yield return CardErrors.CardChanged("Reader A", "111", null);
            yield return PcscContext.BusyError("Reader A", exclusive: true, TimeSpan.FromSeconds(15));
            yield return PcscContext.BusyError("Reader A", exclusive: false, TimeSpan.FromSeconds(1.5));
            yield return CardConnection.CodeOutcomeUnknown("Reader A", CardErrors.NotFineid("Reader A"));
            yield return CardConnection.CodeOutcomeUnknown(null, PcscErrorMap.ToException(PcscResult.RemovedCard, null, CardOperation.SendCode));
            yield return new OperationStoppedException(ErrorIds.PinOutcomeUnknown, ErrorIds.PinOutcomeUnknown + ".Stopped");
            yield return new OperationStoppedException(ErrorIds.OperationCancelled, ErrorIds.OperationCancelled + ".Stopped");
            yield return new OperationAbandonedException();
        }

        private static FinCardPinException Refusal(CardKind kind, PinCode code, string digits, CodeRole role)
        {
            using var value = PinSecrets.Pin(digits);
            return Assert.Throws<FinCardPinException>(() => CheckedPin.Check(kind, code, value, role));
        }
    }
}
