using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;
using Xunit;

namespace FinCardPin.UnitTests.Localization
{
    /// <summary>
    /// The notice a card holder reads (the Intune remediation sample): each state a code can need attention in, in
    /// each language, is worded in that language only, with a step the holder can take and no cmdlet to run.
    /// </summary>
    public class HolderNoticeTests
    {
        // What each language's notice must not hold: another language's words, or a command.
        private static readonly Dictionary<string, Regex> Foreign = new Dictionary<string, Regex>
        {
            ["en"] = new Regex(@"\b(lukittu|tunnusluku|koodi|kortti|låst|koden|kortet|kodbrev)\b", RegexOptions.IgnoreCase),
            ["fi"] = new Regex(@"\b(the|of|is|your|card|code|blocked|activated|unblock|software|support|låst|koden|kortet)\b", RegexOptions.IgnoreCase),
            ["sv"] = new Regex(@"\b(the|of|is|your|card|code|blocked|activated|unblock|software|support|lukittu|tunnusluku|kortti)\b", RegexOptions.IgnoreCase),
        };

        private static readonly Regex Command = new Regex(@"CardPin|CardReader|-Code\b|-ReaderName|\bGet-|\bSet-|\bUnlock-");

        // One status per advice the module gives (NextStep.For), and one it cannot advise on.
        private static readonly (PinCode Code, PinState State, int? Tries, PinAdvice Advice)[] Cases =
        {
            (PinCode.Pin2, PinState.Blocked, 0, PinAdvice.Unblock),
            (PinCode.Pin1, PinState.NotActivated, 5, PinAdvice.ActivateBySet),
            (PinCode.Pin1, PinState.NotActivated, 0, PinAdvice.ActivateByUnlock),
            (PinCode.ActivationCode, PinState.Blocked, 0, PinAdvice.ReplaceCardOrLetter),
            (PinCode.Pin2, PinState.BlockedOrNotActivated, 0, PinAdvice.UnblockOrActivate),
            (PinCode.Pin1, PinState.Unknown, null, PinAdvice.None),
        };

        public static IEnumerable<object[]> CasesAndLanguages() =>
            from index in Enumerable.Range(0, Cases.Length)
            from language in Languages.All
            select new object[] { index, language };

        [Theory]
        [MemberData(nameof(CasesAndLanguages))]
        public void TheNotice_IsOneLanguage_WithAHoldersStep_AndNoCmdlet(int index, string language)
        {
            var (code, state, tries, advice) = Cases[index];
            var culture = Languages.Culture(language);
            var info = new PinStatusInfo(code, state, tries, 5);
            Assert.Equal(advice, NextStep.For(info));
            var status = new PinStatus("Reader 0", CardKind.IdentityCard, "9246500021", info, advice);

            var text = HolderNotice.Text(new[] { status }, culture);

            Assert.DoesNotMatch(Command, text);
            Assert.DoesNotMatch(Foreign[language], text);
            Assert.Contains("9246500021", text, System.StringComparison.Ordinal);
            Assert.Contains(Texts.Format("Notice.Support", Texts.Facts(), culture), text, System.StringComparison.Ordinal);
            var step = advice == PinAdvice.None ? "Notice.Step.Check" : "Notice.Step." + advice;
            Assert.Contains(Texts.Format(step, Texts.Facts(), culture), text, System.StringComparison.Ordinal);
        }

        [Fact]
        public void EveryAdvice_HasAHoldersStep_InEachLanguage()
        {
            foreach (var culture in Languages.All.Select(Languages.Culture))
            {
                var own = Texts.OwnTexts(culture);
                foreach (var key in HolderNotice.StepKeys())
                {
                    Assert.True(own.ContainsKey(key), key + " in " + culture.Name);
                }
            }
        }

        [Fact]
        public void TheWalk_SeesACmdletAndAnotherLanguage()
        {
            // The notice the admin saw: an English sentence with a Finnish code name and a Finnish command.
            const string Seen = "The allekirjoitustunnusluku (PIN2) of your certificate card is blocked. Avaa lukitus komennolla Unlock-CardPin";

            Assert.Matches(Command, Seen);
            Assert.Matches(Foreign["fi"], Seen);
            Assert.Matches(Foreign["en"], "Avaa lukitus: kortti on lukittu");
        }
    }
}
