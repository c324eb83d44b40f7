using System.Linq;
using System.Management.Automation;
using FinCardPin.Cmdlets;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Infrastructure;
using Xunit;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>
    /// -Code's binding and completion without a pipeline: every name people know a code by binds its canonical name,
    /// anything else is bound as a stand-in the cmdlet refuses (InvalidCodeName) before it reads anything, and completion offers only the codes the cmdlet works on.
    /// </summary>
    public class PinCodeBindingTests
    {
        private static object Transform(object input, bool many = false) =>
            new PinCodeTransformationAttribute { Many = many }.Transform(null!, input);

        // What the cmdlet makes of a bound value before it reads anything (Get-CardPinStatus takes every code).
        private static FinCardPinException Refused(object input)
        {
            var refused = PinCodeTransformationAttribute.RefusalFor(new[] { (string)Transform(input) }, typeof(GetCardPinStatusCommand));
            Assert.NotNull(refused);
            Assert.Equal(ErrorIds.InvalidCodeName, refused!.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, refused.Kind);
            return refused;
        }

        [Theory]
        [InlineData("Pin1", "Pin1")]
        [InlineData("basic code", "Pin1")]
        [InlineData("grundkod", "Pin1")]
        [InlineData("perustunnusluku", "Pin1")]
        [InlineData("Signature", "Pin2")]
        [InlineData("signature-pin", "Pin2")]
        [InlineData("ActivationCode", "ActivationCode")]
        [InlineData("aktiveringskod", "ActivationCode")]
        public void Transform_KnownName_BindsCanonicalName(string name, string expected)
        {
            Assert.Equal(expected, Transform(name));
        }

        [Fact]
        public void Transform_NumberEnumAndWrappedValue_BindTheSameWay()
        {
            Assert.Equal("Pin2", Transform(2));
            Assert.Equal("ActivationCode", Transform(PinCode.ActivationCode));
            Assert.Equal("Pin1", Transform(new PSObject("PIN1")));
        }

        [Fact]
        public void Transform_SeveralNamesWhereOneIsTaken_RefusedWithOneCodeOnly()
        {
            var refused = Refused(new object[] { "Pin1", "Pin2" });
            Assert.Equal(ErrorIds.InvalidCodeName + ".OneOnly", refused.MessageKey);
        }

        [Fact]
        public void RefusalFor_KnownNames_IsNone()
        {
            Assert.Null(PinCodeTransformationAttribute.RefusalFor(new[] { "Pin1", "Pin2", "ActivationCode" }, typeof(GetCardPinStatusCommand)));
            Assert.Null(PinCodeTransformationAttribute.RefusalFor(null, typeof(TestCardPinCommand)));
        }

        [Fact]
        public void Transform_SeveralNamesWhereManyAreTaken_AllCanonical()
        {
            Assert.Equal(new[] { "Pin1", "Pin2", "ActivationCode" }, (string[])Transform(new object[] { "basic", 2, "ActivationCode" }, many: true));
            Assert.Equal(new[] { "Pin2" }, (string[])Transform("signature", many: true));
        }

        [Theory]
        [InlineData("Pinn")]
        [InlineData("Signatur")]
        public void Transform_UnknownName_RefusedNamingTheValue(object value)
        {
            var refused = Refused(value);
            Assert.Equal(value.ToString(), refused.Facts["value"]);
        }

        // A value with digits may be a code typed in the wrong place (Test-CardPin 4826): refused, never repeated.
        [Theory]
        [InlineData("Pin3", "3")]
        [InlineData("4", "4")]
        [InlineData(4, "4")]
        [InlineData(4826, "4826")]
        [InlineData("4826", "4826")]
        [InlineData((PinCode)42, "42")]
        public void Transform_UnknownValueWithDigits_RefusedWithoutRepeatingIt(object value, string digits)
        {
            var refused = Refused(value);
            Assert.Equal(ErrorIds.InvalidCodeName + ".Withheld", refused.MessageKey);
            Assert.False(refused.Facts.ContainsKey("value"));
            Assert.DoesNotContain(digits, refused.Message);
            Assert.Contains("Pin1", refused.Message);
        }

        [Theory]
        [InlineData("Test-CardPin")]
        [InlineData("Set-CardPin")]
        [InlineData("FinCardPin\\Unlock-CardPin")]
        public void Completion_PinCmdlets_OfferNoActivationCodeName(string command)
        {
            var offered = new PinCodeCompleter().CompleteArgument(command, "Code", string.Empty, null!, null!).Select(c => c.CompletionText).ToList();

            Assert.Contains("Pin1", offered);
            Assert.Contains("signaturkod", offered);
            Assert.DoesNotContain("ActivationCode", offered);
            Assert.DoesNotContain("ActivationCode", offered);
        }

        [Fact]
        public void Completion_TypedStartInQuotes_MatchesIgnoringCase()
        {
            var offered = new PinCodeCompleter().CompleteArgument("Get-CardPinStatus", "Code", "'a", null!, null!).ToList();

            Assert.Equal(new[] { "Authentication", "ActivationCode", "aktiveringskod", "allekirjoitustunnusluku", "aktivointitunnusluku" },
                offered.Select(c => c.CompletionText));
            Assert.All(offered, c => Assert.Equal(CompletionResultType.ParameterValue, c.ResultType));
            Assert.All(offered, c => Assert.False(string.IsNullOrWhiteSpace(c.ToolTip)));
        }

        [Theory]
        [InlineData(PinAdvice.Unblock, "Unlock-CardPin -Code Pin2")]
        [InlineData(PinAdvice.ActivateByUnlock, "Unlock-CardPin -Code Pin2")]
        [InlineData(PinAdvice.ActivateBySet, "Set-CardPin -Code Pin2")]
        internal void NextCommand_AdviceWithACommand_NamesIt(PinAdvice advice, string expected)
        {
            Assert.Equal(expected, NextCommands.For(PinCode.Pin2, advice));
            Assert.False(string.IsNullOrWhiteSpace(NextCommands.Advice(advice)));
        }

        [Fact]
        public void NextCommand_NothingToDo_IsNull()
        {
            Assert.Null(NextCommands.For(PinCode.Pin1, PinAdvice.None));
            Assert.Null(NextCommands.Advice(PinAdvice.None));
        }
    }
}
