using System;
using System.Reflection;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class PinRulesTests
    {
        [Theory]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, 4, 8)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin1, 4, 8)]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, 6, 8)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin2, 4, 8)]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, 7, 8)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.ActivationCode, 8, 8)]
        public void LengthOf_CodeOnCard_IsTheDvvRule(CardKind kind, PinCode code, int min, int max)
        {
            var rule = PinRules.LengthOf(kind, code);

            Assert.Equal(min, rule.Minimum);
            Assert.Equal(max, rule.Maximum);
            Assert.False(rule.Allows(min - 1));
            Assert.True(rule.Allows(min));
            Assert.True(rule.Allows(max));
            Assert.False(rule.Allows(max + 1));
        }

        [Theory]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, "1234")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, "12345678")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, "123456")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, "12345678")]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin2, "1234")]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, "1234567")]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, "12345678")]
        public void Check_ValidCode_DoesNotThrow(CardKind kind, PinCode code, string value)
        {
            using var pin = PinSecrets.Pin(value);

            CheckedPin.Check(kind, code, pin, CodeRole.New);
        }

        [Theory]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, "179")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, "179385246")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, "17938")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, "179385246")]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin2, "179")]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, "179385")]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, "179385246")]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, "")]
        public void Check_WrongLength_ThrowsInvalidPinLengthWithoutTheCode(CardKind kind, PinCode code, string value)
        {
            using var pin = PinSecrets.Pin(value);

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(kind, code, pin, CodeRole.New));

            Assert.Equal(ErrorIds.InvalidPinLength, error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
            var rule = PinRules.LengthOf(kind, code);
            Assert.Equal((rule.Minimum, rule.Maximum), FailureFacts.LengthOf(error));
            if (value.Length > 0)
            {
                Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(value, error.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("12a4")]
        [InlineData("1 234")]
        [InlineData("123-45")]
        [InlineData("12٣4")]       // Arabic-Indic digit three
        [InlineData("１２３４")]      // fullwidth digits
        [InlineData("12３4")]       // one fullwidth digit
        [InlineData("۱۲۳۴")]       // extended Arabic-Indic
        [InlineData("१२३४")]       // Devanagari
        [InlineData("1234\u0000")]
        [InlineData("²345")]
        public void Check_NonAsciiDigits_ThrowsInvalidPinCharacters(string value)
        {
            using var pin = PinSecrets.Pin(value);

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, pin, CodeRole.Current));

            Assert.Equal(ErrorIds.InvalidPinCharacters, error.ErrorId);
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(value, error.RecommendedAction ?? string.Empty, StringComparison.Ordinal);
        }

        [Fact]
        public void Check_UnicodeDigitOfValidLength_IsRefusedForCharactersNotLength()
        {
            using var pin = PinSecrets.Pin("17٣852");

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin2, pin, CodeRole.New));

            Assert.Equal(ErrorIds.InvalidPinCharacters, error.ErrorId);
        }

        [Fact]
        public void Check_Message_NamesTheRoleAndTheCodeButNotItsDigits()
        {
            using var pin = PinSecrets.Pin("17938");

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin2, pin, CodeRole.New));

            Assert.Equal(ErrorIds.InvalidPinLength + "." + CodeRole.New, error.MessageKey);
            Assert.Equal(PinCode.Pin2, error.Facts["code"]);
            Assert.DoesNotContain("17938", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Check_OrganisationPin2_MessageMentionsBothCardTypes()
        {
            using var pin = PinSecrets.Pin("123");

            var error = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.OrganisationOrSoteCard, PinCode.Pin2, pin, CodeRole.New));

            // The rule names both card types (6-8 on organisation cards, 4-8 on SOTE cards): its note says so.
            Assert.Equal(LengthNote.OrganisationOrSote, Assert.IsType<LengthRule>(error.Facts["rule"]).Note);
        }

        [Fact]
        public void Check_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, null!, CodeRole.New));
        }
    }

    public class PinBufferTests
    {
        // The array behind the pinned digits (read even after Dispose, to see it was zeroed).
        private static byte[] Digits(PinBuffer pin)
        {
            var pinned = (PinnedBytes)typeof(PinBuffer).GetField("_digits", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(pin)!;
            return (byte[])typeof(PinnedBytes).GetField("_bytes", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(pinned)!;
        }

        [Fact]
        public void FromSecureString_TheDigitsArePinnedForTheBufferLifeAndReleasedOnDispose()
        {
            var pin = PinSecrets.Pin("1793");
            var pinned = (PinnedBytes)typeof(PinBuffer).GetField("_digits", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(pin)!;
            var handle = (System.Runtime.InteropServices.GCHandle)typeof(PinnedBytes).GetField("_pin", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(pinned)!;

            Assert.True(handle.IsAllocated);
            var address = handle.AddrOfPinnedObject(); // throws unless the handle pins the array
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Assert.Equal(address, handle.AddrOfPinnedObject());
            pin.Dispose();
            Assert.Throws<ObjectDisposedException>(() => pinned.Array);
        }

        [Fact]
        public void FromSecureString_AsciiDigits_AreAsciiBytes()
        {
            using var pin = PinSecrets.Pin("1793");
            var destination = new byte[6];

            pin.CopyTo(destination, 1);

            Assert.Equal(4, pin.Length);
            Assert.True(pin.IsAllAsciiDigits);
            Assert.Equal(new byte[] { 0x00, 0x31, 0x37, 0x39, 0x33, 0x00 }, destination);
        }

        [Theory]
        [InlineData("12a4")]
        [InlineData("12٣4")]
        [InlineData("１２３４")]
        [InlineData(" 1234")]
        public void FromSecureString_OtherCharacters_AreNotAllAsciiDigitsAndNotKept(string value)
        {
            using var pin = PinSecrets.Pin(value);

            Assert.False(pin.IsAllAsciiDigits);
            Assert.Equal(value.Length, pin.Length);
            Assert.All(Digits(pin), b => Assert.True(b == 0 || (b >= 0x30 && b <= 0x39)));
        }

        [Fact]
        public void FromSecureString_Empty_IsEmpty()
        {
            using var pin = PinSecrets.Pin(string.Empty);

            Assert.Equal(0, pin.Length);
        }

        [Fact]
        public void FromSecureString_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => PinBuffer.FromSecureString(null!));
        }

        [Fact]
        public void SameDigitsAs_EqualAndDifferentCodes()
        {
            using var a = PinSecrets.Pin("179385");
            using var b = PinSecrets.Pin("179385");
            using var c = PinSecrets.Pin("179386");
            using var d = PinSecrets.Pin("17938");

            Assert.True(a.SameDigitsAs(b));
            Assert.False(a.SameDigitsAs(c));
            Assert.False(a.SameDigitsAs(d));
            Assert.False(d.SameDigitsAs(a));
        }

        [Fact]
        public void Dispose_ZeroesTheDigits()
        {
            var pin = PinSecrets.Pin("17938524");
            var digits = Digits(pin);
            Assert.Equal(new byte[] { 0x31, 0x37, 0x39, 0x33, 0x38, 0x35, 0x32, 0x34 }, digits);

            pin.Dispose();

            Assert.Equal(8, digits.Length);
            Assert.All(digits, b => Assert.Equal(0, b));
        }

        [Fact]
        public void CopyTo_AfterDispose_Throws()
        {
            var pin = PinSecrets.Pin("1793");
            pin.Dispose();
            pin.Dispose();

            Assert.Throws<ObjectDisposedException>(() => pin.CopyTo(new byte[4], 0));
        }

        [Fact]
        public void SameDigitsAs_AfterDispose_Throws()
        {
            using var live = PinSecrets.Pin("1793");
            var disposed = PinSecrets.Pin("1793");
            disposed.Dispose();

            Assert.Throws<ObjectDisposedException>(() => live.SameDigitsAs(disposed));
            Assert.Throws<ObjectDisposedException>(() => disposed.SameDigitsAs(live));
        }

        [Fact]
        public void SecureMemory_FixedTimeEquals_ComparesContentAndLength()
        {
            Assert.True(SecureMemory.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2 }));
            Assert.False(SecureMemory.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 3 }));
            Assert.False(SecureMemory.FixedTimeEquals(new byte[] { 1, 2 }, new byte[] { 1, 2, 0 }));
        }

        [Fact]
        public void SecureMemory_Zero_ClearsAndAcceptsNull()
        {
            var buffer = new byte[] { 1, 2, 3 };

            SecureMemory.Zero(buffer);
            SecureMemory.Zero(null);

            Assert.Equal(new byte[3], buffer);
        }
    }
}
