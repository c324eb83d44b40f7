using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Fineid;
using FinCardPin.Infrastructure;
using FinCardPin.UnitTests.Engine;
using Xunit;

namespace FinCardPin.UnitTests.Infrastructure
{
    /// <summary>
    /// The memory of new codes behind the "same as the new PIN2" warning: by the card's serial only, and a fingerprint
    /// that cannot give a code back. The memory is one per process, so every test uses serials of its own.
    /// </summary>
    public class NewCodeMemoryTests
    {
        [Fact]
        public void MatchesOtherCode_TheOtherCodeOfTheSameCardSetToTheSameDigits_Matches()
        {
            using var pin2 = PinSecrets.Pin("482619");
            using var pin1 = PinSecrets.Pin("482619");
            NewCodeMemory.Remember("9250000001", PinCode.Pin2, pin2);

            Assert.True(NewCodeMemory.MatchesOtherCode("9250000001", PinCode.Pin1, pin1));
        }

        // Card B in the reader where card A's PIN2 was set learns nothing about card A's code.
        [Fact]
        public void MatchesOtherCode_AnotherCardWithTheSameDigits_DoesNotMatch()
        {
            using var pin2 = PinSecrets.Pin("591738");
            using var pin1 = PinSecrets.Pin("591738");
            NewCodeMemory.Remember("9250000002", PinCode.Pin2, pin2);

            Assert.False(NewCodeMemory.MatchesOtherCode("9250000003", PinCode.Pin1, pin1));
        }

        [Fact]
        public void MatchesOtherCode_TheSameCode_IsNotTheOtherCode()
        {
            using var pin1 = PinSecrets.Pin("7391");
            using var again = PinSecrets.Pin("7391");
            NewCodeMemory.Remember("9250000004", PinCode.Pin1, pin1);

            Assert.False(NewCodeMemory.MatchesOtherCode("9250000004", PinCode.Pin1, again));
        }

        // Even with the key from a memory dump, a fingerprint leaves every four-digit code among many that share it.
        [Fact]
        public void Fingerprint_OfEveryFourDigitCode_SharesEachValueAmongManyCodes()
        {
            var counts = new int[256];
            for (var i = 0; i < 10000; i++)
            {
                using var code = PinSecrets.Pin(i.ToString("0000", CultureInfo.InvariantCulture));
                counts[NewCodeMemory.Fingerprint(code)]++;
            }

            Assert.Equal(8, NewCodeMemory.FingerprintBits);
            Assert.True(counts.Min() >= 10, "some fingerprint is shared by only " + counts.Min() + " four-digit codes");
        }

        [Fact]
        public void Fingerprint_OfTheSameDigits_IsTheSameWithinTheProcess()
        {
            using var first = PinSecrets.Pin("13572468");
            using var second = PinSecrets.Pin("13572468");

            Assert.Equal(NewCodeMemory.Fingerprint(first), NewCodeMemory.Fingerprint(second));
        }
    }
}
