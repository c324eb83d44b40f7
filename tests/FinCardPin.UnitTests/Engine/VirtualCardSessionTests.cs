using System;
using System.IO;
using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using Xunit;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// FineidSession and its PIN operations driving the in-process virtual FINEID card (VirtualPcscApi): the engine and
    /// the card model have to agree byte for byte, and the counters the card saves show what was really spent.
    /// </summary>
    public sealed class VirtualCardSessionTests : IDisposable
    {
        private const string Pin1 = "1793";
        private const string Pin2 = "179385";
        private const string ActivationCode = "17938524";

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private string Save(VirtualCardState state) => _folder.Save(state, Guid.NewGuid().ToString("N") + ".json");

        private static (VirtualPcscApi Api, PcscContext Context) Insert(string path)
        {
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            return (api, new PcscContext(api));
        }

        private static FineidSession Open(PcscContext context, string? serial = null) =>
            FineidSession.Open(context, VirtualPcscApi.ReaderName(0), serial, null);

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5, true)]
        [InlineData(VirtualCardProfile.IdentityThalesV5, false)]
        [InlineData(VirtualCardProfile.IdentityMultiAppV42, true)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe, false)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX, true)]
        internal void ReadAllStatus_ActivatedCard_AllReadyWithFiveTries(VirtualCardProfile profile, bool t0)
        {
            var state = VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000001");
            state.T0 = t0;
            var (_, context) = Insert(Save(state));
            using (context)
            using (var session = Open(context))
            {
                var all = session.ReadAllStatus();

                Assert.Equal("999000001", session.Serial);
                Assert.Equal(PinState.Ready, all[0].State);
                Assert.Equal(5, all[0].TriesLeft);
                Assert.Equal(PinState.Ready, all[1].State);
                Assert.Equal(5, all[1].TriesLeft);
                Assert.Equal(5, all[2].TriesLeft);
            }
        }

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe)]
        internal void Test_RightAndWrongCode_TheCardCountsOnlyTheWrongOne(VirtualCardProfile profile)
        {
            var path = Save(VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000002"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var right = PinSecrets.Pin(Pin2))
            using (var wrong = PinSecrets.Pin("971358"))
            {
                var ok = SessionPinCalls.Test(session, PinCode.Pin2, right, force: false);
                var bad = SessionPinCalls.Test(session, PinCode.Pin2, wrong, force: false);

                Assert.True(ok.Verified);
                Assert.False(bad.Verified);
                Assert.Equal(4, bad.TriesLeft);
            }

            Assert.Equal(4, VirtualCardState.Load(path).Pin2.TriesLeft);
        }

        [Fact]
        public void Change_WrongCurrentCode_ThrowsWrongPinAndTheCardSpentOneTry()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThales2025, Pin1, Pin2, ActivationCode, "999000003"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var current = PinSecrets.Pin("9999"))
            using (var next = PinSecrets.Pin("2468"))
            {
                var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Change(session, PinCode.Pin1, current, next, force: false));

                Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
                Assert.Equal(ErrorIds.WrongPin + ".TriesLeft", error.MessageKey);
                Assert.Equal(4, error.Facts["triesLeft"]);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal(4, saved.Pin1.TriesLeft);
            Assert.Equal(Pin1, saved.Pin1.Value);
        }

        [Fact]
        public void Change_RightCode_TheCardHoldsTheNewCode()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, "999000004"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var current = PinSecrets.Pin(Pin2))
            using (var next = PinSecrets.Pin("24681357"))
            {
                SessionPinCalls.Change(session, PinCode.Pin2, current, next, force: false);
            }

            Assert.Equal("24681357", VirtualCardState.Load(path).Pin2.Value);
        }

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe)]
        internal void Test_LastTryWithoutForce_TheCardKeepsItsLastTry(VirtualCardProfile profile)
        {
            var state = VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000005");
            state.Pin1.TriesLeft = 1;
            var path = Save(state);
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var wrong = PinSecrets.Pin("9999"))
            {
                var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Test(session, PinCode.Pin1, wrong, force: false));

                Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            }

            Assert.Equal(1, VirtualCardState.Load(path).Pin1.TriesLeft);
        }

        [Fact]
        public void Unblock_OrganisationPin2_TwoStepsSetTheNewCode()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaCosmoX, Pin1, Pin2, ActivationCode, "999000006");
            state.Pin2.TriesLeft = 0;
            var path = Save(state);
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var activationCode = PinSecrets.Pin(ActivationCode))
            using (var next = PinSecrets.Pin("864213"))
            {
                Assert.Equal(PinState.Blocked, session.Card.ReadStatus(PinCode.Pin2).State);

                SessionPinCalls.Unblock(session, PinCode.Pin2, activationCode, next, force: false);

                Assert.Equal(PinState.Ready, session.Card.ReadStatus(PinCode.Pin2).State);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal("864213", saved.Pin2.Value);
            Assert.Equal(5, saved.Pin2.TriesLeft);
        }

        [Fact]
        public void Change_OrganisationPin2TooShortForTheCard_RefusedByTheCardsOwnRuleBeforeAnyCode()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, "999000007"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var current = PinSecrets.Pin(Pin2))
            using (var next = PinSecrets.Pin("2468"))
            {
                var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Change(session, PinCode.Pin2, current, next, force: false));

                // The card's AODF says PIN2 is 6-8 digits: refused before the VERIFY, so no try is at risk.
                Assert.Equal(ErrorIds.InvalidPinLength, error.ErrorId);
                Assert.Equal((6, 8), FailureFacts.LengthOf(error));
            }

            Assert.Equal(Pin2, VirtualCardState.Load(path).Pin2.Value);
            Assert.Equal(5, VirtualCardState.Load(path).Pin2.TriesLeft);
        }

        [Fact]
        public void Change_Unactivated2026Card_ActivatesWithTheActivationCodeAsCurrent()
        {
            var path = Save(VirtualCardState.Unactivated2026("1793852", "999000008"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var activation = PinSecrets.Pin("1793852"))
            using (var next = PinSecrets.Pin("2468"))
            {
                Assert.Equal(PinState.NotActivated, session.Card.ReadStatus(PinCode.Pin1).State);

                SessionPinCalls.Change(session, PinCode.Pin1, activation, next, force: false);

                Assert.Equal(PinState.Ready, session.Card.ReadStatus(PinCode.Pin1).State);
            }
        }

        [Fact]
        public void Unblock_Pre2026UnactivatedIdentityCard_ActivatesThePin()
        {
            var path = Save(VirtualCardState.Pre2026Unactivated(VirtualCardProfile.IdentityMultiAppV42, ActivationCode, "999000009"));
            var (_, context) = Insert(path);
            using (context)
            using (var session = Open(context))
            using (var activationCode = PinSecrets.Pin(ActivationCode))
            using (var next = PinSecrets.Pin("2468"))
            {
                var before = session.Card.ReadStatus(PinCode.Pin1);
                Assert.Equal(PinState.NotActivated, before.State);
                Assert.Equal(0, before.TriesLeft);

                SessionPinCalls.Unblock(session, PinCode.Pin1, activationCode, next, force: false);

                var after = session.Card.ReadStatus(PinCode.Pin1);
                Assert.Equal(PinState.Ready, after.State);
                Assert.Equal(5, after.TriesLeft);
            }
        }

        [Fact]
        public void Open_GenericCard_ThrowsNotFineidCard()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.GenericIso, Pin1, Pin2, ActivationCode, "999000010"));
            var (_, context) = Insert(path);
            using (context)
            {
                var error = Assert.Throws<FinCardPinException>(() => Open(context));

                Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
            }
        }

        [Fact]
        public void Open_AnotherSerial_ThrowsCardChangedAndSpendsNothing()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, "999000011"));
            var (_, context) = Insert(path);
            using (context)
            {
                var error = Assert.Throws<FinCardPinException>(() => Open(context, "999000099"));

                Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal(new[] { 5, 5, 5 }, new[] { saved.Pin1.TriesLeft, saved.Pin2.TriesLeft, saved.ActivationCode.TriesLeft });
        }

        [Fact]
        public void Open_EmptyReader_ThrowsNoCardInReader()
        {
            using var context = new PcscContext(new VirtualPcscApi(1));

            var error = Assert.Throws<NoCardException>(() => Open(context));

            Assert.Equal(ErrorIds.NoCardInReader, error.ErrorId);
        }

        [Fact]
        public void GetReaders_VirtualReaders_ListedWithTheirCards()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, "999000012"));
            var api = new VirtualPcscApi(2);
            api.Insert(1, path);
            using var context = new PcscContext(api);

            var readers = context.GetReaders();

            Assert.Equal(new[] { VirtualPcscApi.ReaderName(0), VirtualPcscApi.ReaderName(1) }, readers.Select(r => r.Name));
            Assert.False(readers[0].HasCard);
            Assert.True(readers[1].HasCard);
            Assert.Equal(CardKind.OrganisationOrSoteCard, AtrCatalog.Identify(readers[1].Atr).Kind);
        }

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5, 0x82)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe, 0x04)]
        internal void Test_RightCode_LeavesNothingVerifiedForAnotherProgramOnTheCard(VirtualCardProfile profile, byte reference)
        {
            var (_, context) = Insert(Save(VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000031")));
            using (context)
            using (var other = new PcscContext(context.Api))
            using (var otherProgram = other.Connect(VirtualPcscApi.ReaderName(0)))
            {
                // The other program re-selects after a reset, as any program must; it never selects otherwise, so
                // it sees the card exactly as FinCardPin left it.
                otherProgram.AfterReset = c => c.Transmit(new FinCardPin.Engine.Apdu.CommandApdu(0x00, 0xA4, 0x04, 0x0C, FineidProfileAid()));
                using (var session = Open(context))
                using (var pin = PinSecrets.Pin(Pin2))
                {
                    Assert.True(SessionPinCalls.Test(session, PinCode.Pin2, pin, force: false).Verified);
                }

                var probe = otherProgram.Transmit(new FinCardPin.Engine.Apdu.CommandApdu(0x00, 0x20, 0x00, reference));

                Assert.Equal("63 C5", probe.StatusWord.ToString());
            }
        }

        private static byte[] FineidProfileAid() => FinCardPin.Engine.Apdu.Hex.Parse("A0 00 00 00 63 50 4B 43 53 2D 31 35");
    }
}
