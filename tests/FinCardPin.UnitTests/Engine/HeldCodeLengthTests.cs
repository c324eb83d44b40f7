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
    /// A code the holder already has is accepted up to what the card stores (identity: 12 digits); a new code keeps the
    /// DVV's rule (4-8 / 6-8). Other card software lets holders set 9-12 digit codes on identity cards.
    /// </summary>
    public sealed class HeldCodeLengthTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Theory]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, CodeRole.Given, 4, 12)]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, CodeRole.Current, 4, 12)]
        [InlineData(CardKind.IdentityCard, PinCode.Pin1, CodeRole.New, 4, 8)]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, CodeRole.Current, 6, 12)]
        [InlineData(CardKind.IdentityCard, PinCode.Pin2, CodeRole.New, 6, 8)]
        [InlineData(CardKind.IdentityCard, PinCode.ActivationCode, CodeRole.Given, 7, 12)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin1, CodeRole.Given, 4, 8)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.Pin2, CodeRole.Current, 4, 8)]
        [InlineData(CardKind.OrganisationOrSoteCard, PinCode.ActivationCode, CodeRole.Given, 8, 8)]
        internal void LengthOf_HeldCodesUpToWhatTheCardStores_NewCodesTheDvvRule(CardKind kind, PinCode code, CodeRole role, int min, int max)
        {
            var rule = PinRules.LengthOf(kind, code, role);

            Assert.Equal(min, rule.Minimum);
            Assert.Equal(max, rule.Maximum);
        }

        [Theory]
        [InlineData("1793852460")]
        [InlineData("179385246013")]
        public void Check_TenAndTwelveDigitIdentityCodeTheHolderHas_IsAccepted(string value)
        {
            using var pin = PinSecrets.Pin(value);

            CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, pin, CodeRole.Given);
            CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin2, pin, CodeRole.Current);
        }

        [Fact]
        public void Check_ThirteenDigitHeldCodeOrNineDigitNewCode_IsRefused()
        {
            using var thirteen = PinSecrets.Pin("1793852460135");
            using var nine = PinSecrets.Pin("179385246");

            var held = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, thirteen, CodeRole.Current));
            var fresh = Assert.Throws<FinCardPinException>(() => CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, nine, CodeRole.New));

            Assert.Equal(ErrorIds.InvalidPinLength, held.ErrorId);
            Assert.Equal((4, 12), FailureFacts.LengthOf(held));
            Assert.Equal(ErrorIds.InvalidPinLength, fresh.ErrorId);
            Assert.Equal((4, 8), FailureFacts.LengthOf(fresh));
        }

        [Theory]
        [InlineData("1793852460")]
        [InlineData("179385246013")]
        public void TestAndChange_ScriptedIdentityCardWithALongCode_SendsItPaddedToTwelve(string held)
        {
            var verify = "00 20 00 11 0C " + Padded(held);
            var change = "00 24 00 11 18 " + Padded(held) + " " + Padded("9713");
            var api = Identity().OnPinInfo(0x11, (5, true), (5, true));
            api.On(verify, "90 00");
            api.On(change, "90 00");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, held, force: false);
            opened.Change(PinCode.Pin1, held, "9713", force: false);

            Assert.True(result.Verified);
            Assert.Equal(new[] { verify, change }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_NineDigitNewCode_IsRefusedWithNothingSent()
        {
            var api = Identity().OnPinInfo(0x11, (5, true));
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, "1793852460", "179385246", force: false));

            Assert.Equal(ErrorIds.InvalidPinLength, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.DoesNotContain(opened.SentSinceOpen, hex => hex.StartsWith("00 CB", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("1793852460")]
        [InlineData("179385246013")]
        public void TestAndChange_VirtualIdentityCardHoldingALongCode_CheckedAndChanged(string held)
        {
            var path = _folder.Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, held, "179385", "17938524", "999020001"),
                Guid.NewGuid().ToString("N") + ".json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            using (var context = new PcscContext(api))
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            using (var pin = PinSecrets.Pin(held))
            using (var next = PinSecrets.Pin("97135824"))
            {
                Assert.True(SessionPinCalls.Test(session, PinCode.Pin1, pin, force: false).Verified);

                SessionPinCalls.Change(session, PinCode.Pin1, pin, next, force: false);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal("97135824", saved.Pin1.Value);
            Assert.Equal(5, saved.Pin1.TriesLeft);
        }
    }
}
