using System;
using System.Linq;
using System.Reflection;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// "Input rules first" held by the types: a code reaches a card only as a <see cref="CheckedPin"/>, and only the
    /// rules check makes one.
    /// </summary>
    public class CheckedPinTests
    {
        private const BindingFlags Everything = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

        [Fact]
        public void CheckedPin_HasNoConstructorButItsOwn()
        {
            Assert.All(typeof(CheckedPin).GetConstructors(Everything), constructor => Assert.True(constructor.IsPrivate, constructor.ToString()));
        }

        [Fact]
        public void SessionAndCard_NoMethodTakesAnUncheckedCode()
        {
            // FineidCard's command methods and the session's PIN operations: a PinBuffer parameter reachable from outside
            // the class (its own encoding is private, behind methods that take checked codes) would let a code
            // past the rules check.
            var methods = typeof(FineidSession).GetMethods(Everything)
                .Concat(typeof(FineidSession).Assembly.GetType("FinCardPin.Engine.Fineid.FineidCard", true)!.GetMethods(Everything))
                .Where(method => !method.IsPrivate && method.GetParameters().Any(parameter => parameter.ParameterType == typeof(PinBuffer)))
                .Select(method => method.DeclaringType!.Name + "." + method.Name);

            Assert.Empty(methods);
        }

        [Fact]
        public void Check_AValidCode_IsCheckedForThatCodeEntryAndCard()
        {
            using var buffer = PinSecrets.Pin("1234");

            var pin = CheckedPin.Check(CardKind.OrganisationOrSoteCard, PinCode.Pin2, buffer, CodeRole.Current);

            Assert.Equal((CardKind.OrganisationOrSoteCard, PinCode.Pin2, CodeRole.Current), (pin.Kind, pin.Code, pin.Role));
            Assert.Same(buffer, pin.Value);
        }

        [Fact]
        public void Check_ARefusedCode_MakesNoCheckedPinAndLeavesTheBufferToItsOwner()
        {
            using var buffer = PinSecrets.Pin("123");

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, buffer, CodeRole.Given));

            Assert.Equal(ErrorIds.InvalidPinLength, error.ErrorId);
            Assert.True(buffer.SameDigitsAs(buffer)); // not disposed: the caller's to dispose
        }
    }
}
