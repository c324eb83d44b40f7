using System;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class CardErrorsTests
    {
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
