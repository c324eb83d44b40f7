using System;
using FinCardPin.Engine.Fineid;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class NextStepTests
    {
        [Fact]
        public void NextStep_BlockedPin_IsUnblockAdvice()
        {
            Assert.Equal(PinAdvice.Unblock, NextStep.For(new PinStatusInfo(PinCode.Pin2, PinState.Blocked, 0, 5)));
        }

        [Fact]
        public void NextStep_BlockedActivationCode_IsUsedUpAdvice()
        {
            Assert.Equal(PinAdvice.ReplaceCardOrLetter,
                NextStep.For(new PinStatusInfo(PinCode.ActivationCode, PinState.Blocked, 0, 5)));
        }

        [Fact]
        public void NextStep_NotActivatedWithTries_IsActivateBySet()
        {
            Assert.Equal(PinAdvice.ActivateBySet, NextStep.For(new PinStatusInfo(PinCode.Pin1, PinState.NotActivated, 5, 5)));
        }

        [Fact]
        public void NextStep_NotActivatedWithoutTries_IsActivateByUnlock()
        {
            Assert.Equal(PinAdvice.ActivateByUnlock, NextStep.For(new PinStatusInfo(PinCode.Pin1, PinState.NotActivated, 0, 5)));
        }

        [Theory]
        [InlineData(PinState.Ready)]
        [InlineData(PinState.Unknown)]
        public void NextStep_NothingToDo_IsNone(PinState state)
        {
            Assert.Equal(PinAdvice.None, NextStep.For(new PinStatusInfo(PinCode.Pin1, state, 3, 5)));
        }

        [Fact]
        public void NextStep_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => NextStep.For(null!));
        }
    }
}
