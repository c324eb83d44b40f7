using FinCardPin.Engine.Fineid;
using Xunit;
using static FinCardPin.UnitTests.Engine.PinSecrets;

namespace FinCardPin.UnitTests.Engine
{
    public class GuessableCodesTests
    {
        [Theory]
        [InlineData("0000")]
        [InlineData("99999999")]
        [InlineData("1234")]
        [InlineData("123456")]
        [InlineData("654321")]
        [InlineData("13579")]
        [InlineData("2468")]
        [InlineData("97531")]
        [InlineData("3456789")]
        public void IsGuessable_OneDigitOrStraightRun_IsTrue(string value)
        {
            using var code = Pin(value);
            Assert.True(GuessableCodes.IsGuessable(code));
        }

        [Theory]
        [InlineData("4826")]
        [InlineData("24681357")]
        [InlineData("1235")]
        [InlineData("147258")]
        [InlineData("9012")]
        [InlineData("1357913")]
        [InlineData("12a4")]
        public void IsGuessable_OtherCodes_IsFalse(string value)
        {
            using var code = Pin(value);
            Assert.False(GuessableCodes.IsGuessable(code));
        }
    }
}
