using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Status words read in the context of the command that got them: 6984 on an organisation card is "blocked or not
    /// activated yet" (a never-activated slot answers it: ReFineID-Apple); 6985 is "same code as now" only after CHANGE or
    /// RESET RETRY COUNTER, and an answer the module does not understand after a VERIFY.
    /// </summary>
    public class StatusWordContextTests
    {
        [Fact]
        public void ReadStatus_Organisation6984_IsBlockedOrNotActivated_AdviceUnlock()
        {
            var api = Organisation().On("00 20 00 03", "69 84");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.BlockedOrNotActivated, status.State);
            Assert.Equal(0, status.TriesLeft);
            Assert.Equal(PinAdvice.UnblockOrActivate, NextStep.For(status));
        }

        [Fact]
        public void ReadStatus_Identity6984FromTheProbe_StaysBlocked()
        {
            var api = Identity().On(GetData(0x11, Protocols.T0), "6A 88").On("00 20 00 11", "69 84");
            using var opened = Open(api);

            Assert.Equal(PinState.Blocked, opened.Card.ReadStatus(PinCode.Pin1).State);
        }

        [Fact]
        public void Test_Organisation6984_SendsNoCodeAndSaysBlockedOrNotActivated()
        {
            var api = Organisation().On("00 20 00 03", "69 84");
            api.OnPrefix("00 20 00 03 04", "90 00");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, "1793", force: false);

            Assert.False(result.Verified);
            Assert.Equal(PinState.BlockedOrNotActivated, result.State);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_Organisation6984_RefusedAsBlockedOrNotActivatedWithUnlockAdvice()
        {
            var api = Organisation().On("00 20 00 03", "69 84");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, "1793", "9713", force: false));

            Assert.Equal(ErrorIds.PinBlocked, error.ErrorId);
            Assert.Equal(ErrorIds.PinBlocked + ".OrNotActivated", error.MessageKey);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Test_6985AfterVerify_IsAnUnexpectedAnswerNotSameCode()
        {
            var verify = "00 20 00 11 0C " + Padded("1793");
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.On(verify, "69 85");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Test(PinCode.Pin1, "1793", force: false));

            Assert.Equal(ErrorIds.UnexpectedCardAnswer, error.ErrorId);
            Assert.Equal(ErrorIds.UnexpectedCardAnswer, error.MessageKey);
            Assert.Equal("69 85", error.Facts["sw"]);
            Assert.Equal(new[] { verify }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_6985AfterChange_IsStillSameCodeAsNow()
        {
            var change = "00 24 00 11 18 " + Padded("1793") + " " + Padded("9713");
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.On(change, "69 85");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, "1793", "9713", force: false));

            Assert.Equal(ErrorIds.NewPinSameAsCurrent, error.ErrorId);
        }
    }
}
