using System;
using System.Collections.Generic;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Localization;
using FinCardPin.UnitTests.Engine;
using Xunit;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// How the engine's failures and notes read, once per language. The engine tests assert ids, message keys and
    /// facts; the words those become are checked here: in English the phrases the engine tests used to look for, in
    /// every language the facts a holder needs (tries, serials, status words, the command to run next) and a text of
    /// that language's own.
    /// </summary>
    public class EngineWordingTests
    {
        // A pcsc-lite name as readers really report it: the brackets and spaces must survive the wording unchanged.
        private const string Reader = "HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00";

        /// <summary>One failure: how it is made, the English phrases of its message, what every language's message and next step show.</summary>
        private sealed record Case(Func<FinCardPinException> Make, string[] English, string[] Everywhere, string? ActionNames = null, string[]? EnglishNot = null, string? EnglishAction = null);

        private static readonly Dictionary<string, Case> Cases = new Dictionary<string, Case>
        {
            ["WrongPin.TriesLeft"] = new Case(() => CardErrors.Wrong(Reader, PinCode.Pin1, 3), new[] { "3 tries left" }, new[] { "3" }),
            ["WrongPin.FourTriesLeft"] = new Case(() => CardErrors.Wrong(Reader, PinCode.Pin1, 4), new[] { "4 tries left" }, new[] { "4" }),
            ["WrongPin.OneTryLeft"] = new Case(() => CardErrors.Wrong(Reader, PinCode.Pin1, 1), new[] { "1 try left" }, new[] { "1" }),
            ["WrongPin.TriesUnknown"] = new Case(() => CardErrors.Wrong(Reader, PinCode.Pin1, null), new[] { "some tries left" }, Array.Empty<string>()),
            ["WrongPin.NowBlocked"] = new Case(() => CardErrors.Wrong(Reader, PinCode.Pin1, 0), new[] { "blocked" }, Array.Empty<string>(), "Unlock-CardPin"),
            ["WrongActivationCode.TriesLeft"] = new Case(() => CardErrors.Wrong(Reader, PinCode.ActivationCode, 3), new[] { "3 tries left" }, new[] { "3" }),
            ["LastTryProtected"] = new Case(() => CardErrors.LastTry(Reader, PinCode.Pin1), new[] { "No code was sent" }, Array.Empty<string>(), "-Force"),
            ["LastTryProtected.TriesUnknown"] = new Case(() => CardErrors.TriesUnknown(Reader, PinCode.Pin2), new[] { "does not tell how many tries" }, Array.Empty<string>()),
            ["LastTryProtected.ActivationCode"] = new Case(() => CardErrors.LastTry(Reader, PinCode.ActivationCode), new[] { "activation code" }, Array.Empty<string>()),
            ["CardRejectedNewPin.OrSame"] = new Case(() => CardErrors.NewCodeRejectedOrSame(Reader, PinCode.Pin1, CardKind.OrganisationOrSoteCard),
                new[] { "the same as the code it replaces" }, Array.Empty<string>()),
            ["CardRejectedNewPin.OrganisationPin2"] = new Case(() => CardErrors.NewCodeRejected(Reader, PinCode.Pin2, CardKind.OrganisationOrSoteCard),
                new[] { "6-8", "signature code (PIN2)" }, Array.Empty<string>()),
            ["CardRejectedActivationCode"] = new Case(() => CardErrors.CheckedCodeRejected(Reader, PinCode.ActivationCode), new[] { "activation code" }, Array.Empty<string>()),
            ["PinNotActivated.Preset"] = new Case(() => CardErrors.PresetNotActivated(Reader, PinCode.Pin1), Array.Empty<string>(), Array.Empty<string>(), "Set-CardPin",
                EnglishAction: "separately ordered"),
            ["PinBlocked.OrNotActivated"] = new Case(() => CardErrors.BlockedOrNotActivated(Reader, PinCode.Pin1), new[] { "not been activated yet" }, Array.Empty<string>(), "Unlock-CardPin"),
            ["UnexpectedCardAnswer"] = new Case(() => CardErrors.UnexpectedAnswer(Reader, new StatusWord(0x69, 0x85), CardOperation.VerifyCode, PinCode.Pin1),
                new[] { "answered 69 85" }, new[] { "69 85" }, EnglishNot: new[] { "Same" }),
            ["CardChanged"] = new Case(() => CardErrors.CardChanged(Reader, "9246001234", "9990009999"), Array.Empty<string>(), new[] { "9246001234", "9990009999" }),
            ["CardChanged.SerialUnknown"] = new Case(() => CardErrors.CardChanged(Reader, "9246001234", null), new[] { "unknown" }, new[] { "9246001234" }),
            ["CardRemoved"] = new Case(() => PcscErrorMap.ToException(PcscResult.RemovedCard, Reader, CardOperation.TalkToCard), Array.Empty<string>(), new[] { Reader }, "Get-CardPinStatus"),
            ["PinOutcomeUnknown"] = new Case(() => CardConnection.CodeOutcomeUnknown(Reader, PcscErrorMap.ToException(PcscResult.RemovedCard, Reader, CardOperation.TalkToCard)),
                new[] { "a try may have been used", "removed" }, Array.Empty<string>(), "Get-CardPinStatus"),
            ["PinOutcomeUnknown.PinPadNotTransacted"] = new Case(() => CardConnection.CodeOutcomeUnknown(Reader,
                    new FinCardPinException(ErrorIds.PinPadCannotChange, FailureKind.InvalidOperation, ErrorIds.PinPadCannotChange + ".NotTransacted") { ReaderName = Reader }),
                new[] { "a try may have been used", "cannot change codes on its keypad", "lost the card's answer" }, new[] { "SCARD_E_NOT_TRANSACTED", "-PinEntry Keyboard" }, "Get-CardPinStatus"),
            ["PinOutcomeUnknown.StoppedOnPinPad"] = new Case(() => new OperationStoppedException(ErrorIds.PinOutcomeUnknown, ErrorIds.PinOutcomeUnknown + ".StoppedOnPinPad") { ReaderName = Reader }
                    .With("seconds", 60),
                new[] { "keypad", "still goes to the card" }, new[] { Reader, "60" }, "Get-CardPinStatus", EnglishAction: "Cancel on the reader"),
            ["PinPadLengthWrong.EveryEntry"] = new Case(() => new FinCardPinException(ErrorIds.PinPadLengthWrong, FailureKind.InvalidArgument, ErrorIds.PinPadLengthWrong + ".EveryEntry") { ReaderName = Reader }
                    .With("min", 7).With("max", 8),
                new[] { "every code typed there takes 7 to 8 digits", "no try was spent" }, new[] { Reader, "7", "8" }, "-PinEntry Keyboard", EnglishNot: new[] { "activation code" }),
            ["CardBusy"] = new Case(() => new FinCardPinException(ErrorIds.CardBusy, FailureKind.ResourceBusy) { ReaderName = Reader }.With("waited", TimeSpan.FromSeconds(15)),
                new[] { "transaction" }, Array.Empty<string>()),
            ["ReaderInExclusiveUse.Waited"] = new Case(() => new ReaderBusyException(PcscResult.SharingViolation, ErrorIds.ReaderInExclusiveUse + ".Waited") { ReaderName = Reader }
                .With("waited", TimeSpan.FromSeconds(15)), new[] { "exclusively" }, Array.Empty<string>()),
            ["ServiceNotRunning.Linux"] = new Case(() => new SmartCardServiceException(PcscResult.NoService, ErrorIds.ServiceNotRunning, ErrorIds.ServiceNotRunning + ".Linux"),
                Array.Empty<string>(), new[] { "pcscd" }),
            ["SmartCardError"] = new Case(() => PcscErrorMap.ToException(PcscResult.DuplicateReader, null, CardOperation.ListReaders),
                new[] { "listing the card readers" }, new[] { "0x8010001B" }),
            ["CardPinRulesMismatch.Reference"] = new Case(() => CardErrors.RulesMismatch(Reader, PinCode.Pin1, RulesMismatch.Reference).With("expected", "03").With("found", "01, 02"),
                new[] { "reference 03" }, new[] { "03" }),
            ["CardPinRulesMismatch.Padding"] = new Case(() => CardErrors.RulesMismatch(Reader, PinCode.Pin1, RulesMismatch.UnpaddedButCardPads).With("pad", "FF").With("stored", 12),
                new[] { "padded with FF to 12 bytes" }, new[] { "FF", "12" }),
            ["InvalidPinLength"] = new Case(() => RulesFailure(CardKind.IdentityCard, PinCode.Pin1, "179385246", CodeRole.New), new[] { "4-8 digits" }, Array.Empty<string>()),
            ["InvalidPinLength.Held"] = new Case(() => RulesFailure(CardKind.IdentityCard, PinCode.Pin1, "1793852461793", CodeRole.Current), new[] { "4-12" }, Array.Empty<string>()),
            ["InvalidPinLength.NewPin2"] = new Case(() => RulesFailure(CardKind.IdentityCard, PinCode.Pin2, "17938", CodeRole.New), new[] { "new signature code (PIN2)" }, Array.Empty<string>()),
            ["InvalidPinLength.OrganisationPin2"] = new Case(() => RulesFailure(CardKind.OrganisationOrSoteCard, PinCode.Pin2, "123", CodeRole.New), new[] { "SOTE" }, Array.Empty<string>()),
            ["InvalidPinCharacters"] = new Case(() => RulesFailure(CardKind.IdentityCard, PinCode.Pin1, "12a4", CodeRole.Current), new[] { "0-9" }, Array.Empty<string>()),
        };

        /// <summary>Notes for -Verbose: the key, its facts, the English phrases.</summary>
        private static readonly Dictionary<string, (CardNote Note, string[] English)> Notes = new Dictionary<string, (CardNote, string[])>
        {
            ["CardOwnRule"] = (new CardNote("CardOwnRule", "code", PinCode.Pin2, "rule", new LengthRule(6, 8)), new[] { "own rule" }),
            ["ReferenceFromCard"] = (new CardNote("ReferenceFromCard", "code", PinCode.Pin1, "reference", "03", "answer", "63 C5", "builtIn", "01", "builtInAnswer", "6A 88"),
                new[] { "empty VERIFY", "03 is used" }),
            ["ReferenceBuiltIn"] = (new CardNote("ReferenceBuiltIn", "code", PinCode.Pin1, "reference", "03", "answer", "63 C5", "card", "11", "cardAnswer", "6A 88"),
                new[] { "empty VERIFY", "03 is used" }),
            ["NoCardRules.NotUnderstood"] = (new CardNote("NoCardRules." + NoCardRulesReason.NotUnderstood, "detail", "TLV header: truncated, byte 2"), new[] { "built-in rules", "not understood" }),
        };

        public static IEnumerable<object[]> CasesAndLanguages() =>
            from name in Cases.Keys
            from language in Languages.All
            select new object[] { name, language };

        public static IEnumerable<object[]> NotesAndLanguages() =>
            from name in Notes.Keys
            from language in Languages.All
            select new object[] { name, language };

        public static IEnumerable<object[]> CommonPcscFailuresAndLanguages() =>
            from row in PcscErrorMapTests.CommonFailures()
            from language in Languages.All
            select new object[] { (PcscResult)row[0], language };

        public static IEnumerable<object[]> PcscFailuresAndLanguages() =>
            from result in Enum.GetValues<PcscResult>()
            where result != PcscResult.Success
            from language in Languages.All
            select new object[] { result, language };

        [Theory]
        [MemberData(nameof(CasesAndLanguages))]
        public void Failure_IsWordedInTheLanguage_WithItsFacts(string name, string language)
        {
            var failure = Cases[name];
            var error = failure.Make();
            var culture = Languages.Culture(language);

            var message = ErrorTexts.MessageOf(error, culture);
            var action = ErrorTexts.ActionOf(error, culture);

            Assert.NotEqual(error.FactLine(), message);
            Assert.All(failure.Everywhere, fact => Assert.Contains(fact, message, StringComparison.Ordinal));
            if (failure.ActionNames != null)
            {
                Assert.Contains(failure.ActionNames, action, StringComparison.Ordinal);
            }

            if (language == Languages.All[0])
            {
                Assert.All(failure.English, phrase => Assert.Contains(phrase, message, StringComparison.Ordinal));
                Assert.All(failure.EnglishNot ?? Array.Empty<string>(), phrase => Assert.DoesNotContain(phrase, message, StringComparison.Ordinal));
                if (failure.EnglishAction != null)
                {
                    Assert.Contains(failure.EnglishAction, action, StringComparison.Ordinal);
                }
            }
            else
            {
                // The language's own text: not the English one, and no English phrase of it (acronyms such as SOTE and
                // figures such as 6-8 are the same in every language).
                Assert.NotEqual(ErrorTexts.MessageOf(error, Languages.Culture(Languages.All[0])), message);
                Assert.All(failure.English.Where(p => p.Any(char.IsLower)), phrase => Assert.DoesNotContain(phrase, message, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void ActivationCodeUsedUp_AdvisesANewCardOrLetter_InEachLanguage()
        {
            var error = CardErrors.Wrong(Reader, PinCode.ActivationCode, 0);

            Assert.All(Languages.All, language =>
                Assert.Equal(Texts.Format("Advice.ReplaceCardOrLetter", Texts.Facts(), Languages.Culture(language)), ErrorTexts.ActionOf(error, Languages.Culture(language))));
        }

        [Theory]
        [MemberData(nameof(NotesAndLanguages))]
        public void Note_IsWordedInTheLanguage(string name, string language)
        {
            var (note, english) = Notes[name];
            var culture = Languages.Culture(language);

            var text = Texts.Format("Note." + note.Key, note.Facts, culture);

            if (language == Languages.All[0])
            {
                Assert.All(english, phrase => Assert.Contains(phrase, text, StringComparison.Ordinal));
            }
            else
            {
                Assert.NotEqual(Texts.Format("Note." + note.Key, note.Facts, Languages.Culture(Languages.All[0])), text);
            }
        }

        /// <summary>
        /// Why a card gives no PIN rules is a reason key the texts word: no English sentence of the engine (a parser's
        /// message, "EF.ODF unreadable") ends up inside a Finnish or Swedish note.
        /// </summary>
        [Theory]
        [MemberData(nameof(Languages.AllData), MemberType = typeof(Languages))]
        public void NoCardRulesNote_HoldsNoEnglishFromTheEngine(string language)
        {
            var culture = Languages.Culture(language);
            foreach (var reason in Enum.GetValues<NoCardRulesReason>())
            {
                var note = new CardNote("NoCardRules." + reason, "file", "4401", "detail", "TLV header: truncated, byte 2");

                var text = Texts.Format("Note." + note.Key, note.Facts, culture);

                Assert.DoesNotContain("TLV header", text, StringComparison.Ordinal);
                Assert.DoesNotContain("unreadable", text, StringComparison.Ordinal);
            }
        }

        /// <summary>Every PC/SC failure has a message and (but a cancellation the user asked for) a next step, in each language.</summary>
        [Theory]
        [MemberData(nameof(PcscFailuresAndLanguages))]
        public void PcscFailure_HasAMessageAndANextStep(PcscResult result, string language)
        {
            var error = PcscErrorMap.ToException(result, Reader, CardOperation.TalkToCard);
            var culture = Languages.Culture(language);

            Assert.False(string.IsNullOrWhiteSpace(ErrorTexts.MessageOf(error, culture)));
            if (error.ErrorId == ErrorIds.OperationCancelled)
            {
                // FinCardPinException documents null as "nothing sensible to suggest": a cancellation the user asked for.
                Assert.True(result == PcscResult.Cancelled || result == PcscResult.SystemCancelled);
                return;
            }

            Assert.False(string.IsNullOrWhiteSpace(ErrorTexts.ActionOf(error, culture)));
        }

        /// <summary>The common PC/SC failures speak without jargon: no native code, no SCARD_ name, no enum name.</summary>
        [Theory]
        [MemberData(nameof(CommonPcscFailuresAndLanguages))]
        public void CommonPcscFailure_HasNoJargon(PcscResult result, string language)
        {
            var error = PcscErrorMap.ToException(result, Reader, CardOperation.TalkToCard);

            var message = ErrorTexts.MessageOf(error, Languages.Culture(language));

            Assert.DoesNotContain("8010", message, StringComparison.Ordinal);
            Assert.DoesNotContain("SCARD", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(result.ToString(), message, StringComparison.Ordinal);
        }

        private static FinCardPinException RulesFailure(CardKind kind, PinCode code, string digits, CodeRole role)
        {
            using var pin = PinSecrets.Pin(digits);
            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(kind, code, pin, role));
            return error;
        }
    }
}
