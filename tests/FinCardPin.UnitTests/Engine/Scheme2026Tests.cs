using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Identity cards issued from 13.1.2026: the code letter's 7-digit code is the preset PIN value, activated with
    /// Set-CardPin; it cannot unblock, and sent as an unblocking code it would cost a try of the separately ordered code.
    /// </summary>
    public sealed class Scheme2026Tests : IDisposable
    {
        private const string LettersCode = "4711235";
        private const string OrderedCode = "80246813";

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Unblock_PresetCodeWithTriesLeft_RefusedBeforeAnyCodeAndNamesSetCardPin(bool force)
        {
            var api = Identity().OnPinInfo(0x11, (5, false)).OnPinInfo(0x83, (5, false));
            api.OnPrefix("00 2C", "63 C4");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, LettersCode, "9713", force));

            Assert.Equal(ErrorIds.PinNotActivated, error.ErrorId);
            Assert.Equal(FailureKind.InvalidOperation, error.Kind);
            Assert.Equal(ErrorIds.PinNotActivated + ".Preset", error.MessageKey);
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.Equal(new[] { GetData(0x11, Protocols.T0) }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Unblock_Pre2026CardBlockedAndNeverChanged_UnblocksAsBefore()
        {
            var reset = "00 2C 00 11 18 " + Padded("62840517") + " " + Padded("9713");
            var api = Identity().OnPinInfo(0x11, (0, false)).OnPinInfo(0x83, (5, true));
            api.On(reset, "90 00");
            using var opened = Open(api);

            opened.Unblock(PinCode.Pin1, "62840517", "9713", force: false);

            Assert.Equal(new[] { reset }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Unblock_Virtual2026Card_LettersCodeRefusedWithNoTrySpent()
        {
            var path = _folder.Save(VirtualCardState.Unactivated2026(LettersCode, "999026001", OrderedCode), "card2026.json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            using (var context = new PcscContext(api))
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            using (var letters = PinSecrets.Pin(LettersCode))
            using (var next = PinSecrets.Pin("9713"))
            {
                var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Unblock(session, PinCode.Pin1, letters, next, force: false));

                Assert.Equal(ErrorIds.PinNotActivated, error.ErrorId);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal(5, saved.ActivationCode.TriesLeft);
            Assert.Equal(5, saved.Pin1.TriesLeft);
            Assert.Equal(LettersCode, saved.Pin1.Value);
        }

        [Fact]
        public void Unblock_Virtual2026CardWithBlockedPin_LettersCodeCostsATryAndTheOrderedCodeUnblocks()
        {
            var state = VirtualCardState.Unactivated2026(LettersCode, "999026002", OrderedCode);
            state.Pin1.TriesLeft = 0;
            var path = _folder.Save(state, "card2026-blocked.json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            using (var context = new PcscContext(api))
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            using (var letters = PinSecrets.Pin(LettersCode))
            using (var ordered = PinSecrets.Pin(OrderedCode))
            using (var next = PinSecrets.Pin("9713"))
            {
                var wrong = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Unblock(session, PinCode.Pin1, letters, next, force: false));
                Assert.Equal(ErrorIds.WrongActivationCode, wrong.ErrorId);

                SessionPinCalls.Unblock(session, PinCode.Pin1, ordered, next, force: false);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal("9713", saved.Pin1.Value);
            Assert.Equal(5, saved.ActivationCode.TriesLeft);
        }
    }
}
