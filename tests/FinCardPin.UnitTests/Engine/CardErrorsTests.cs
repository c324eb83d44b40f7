using System;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class CardErrorsTests
    {
        [Fact]
        public void NextStep_BlockedPin_IsUnblockAdvice()
        {
            Assert.Equal(PinAdvice.Unblock, CardErrors.NextStep(new PinStatusInfo(PinCode.Pin2, PinState.Blocked, 0, 5)));
        }

        [Fact]
        public void NextStep_BlockedActivationCode_IsUsedUpAdvice()
        {
            Assert.Equal(PinAdvice.ReplaceCardOrLetter,
                CardErrors.NextStep(new PinStatusInfo(PinCode.ActivationCode, PinState.Blocked, 0, 5)));
        }

        [Fact]
        public void NextStep_NotActivatedWithTries_IsActivateBySet()
        {
            Assert.Equal(PinAdvice.ActivateBySet, CardErrors.NextStep(new PinStatusInfo(PinCode.Pin1, PinState.NotActivated, 5, 5)));
        }

        [Fact]
        public void NextStep_NotActivatedWithoutTries_IsActivateByUnlock()
        {
            Assert.Equal(PinAdvice.ActivateByUnlock, CardErrors.NextStep(new PinStatusInfo(PinCode.Pin1, PinState.NotActivated, 0, 5)));
        }

        [Theory]
        [InlineData(PinState.Ready)]
        [InlineData(PinState.Unknown)]
        public void NextStep_NothingToDo_IsNone(PinState state)
        {
            Assert.Equal(PinAdvice.None, CardErrors.NextStep(new PinStatusInfo(PinCode.Pin1, state, 3, 5)));
        }

        [Fact]
        public void NextStep_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => CardErrors.NextStep(null!));
        }

        [Theory]
        [InlineData(4, ".TriesLeft")]
        [InlineData(1, ".OneTryLeft")]
        [InlineData(null, ".TriesUnknown")]
        public void Wrong_TriesLeft_AreAFactAndChooseTheVariant(int? tries, string variant)
        {
            var error = CardErrors.Wrong("R", PinCode.Pin1, tries);

            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
            Assert.Equal(ErrorIds.WrongPin + variant, error.MessageKey);
            Assert.Equal(tries, (int?)error.Facts["triesLeft"]);
        }

        [Fact]
        public void Wrong_ActivationCodeUsedUp_SaysSo()
        {
            var error = CardErrors.Wrong("R", PinCode.ActivationCode, 0);

            Assert.Equal(ErrorIds.WrongActivationCode, error.ErrorId);
            Assert.Equal(ErrorIds.WrongActivationCode + ".NowBlocked", error.MessageKey);
        }

        [Fact]
        public void UnexpectedAnswer_NamesTheStatusWord()
        {
            var error = CardErrors.UnexpectedAnswer("R", new StatusWord(0x6D, 0x00), CardOperation.VerifyCode, PinCode.Pin1);

            Assert.Equal(ErrorIds.UnexpectedCardAnswer, error.ErrorId);
            Assert.Equal("6D 00", error.Facts["sw"]);
            Assert.Equal("R", error.ReaderName);
        }
    }
}
