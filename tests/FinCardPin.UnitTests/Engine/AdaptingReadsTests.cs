using System;
using System.Linq;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using Xunit;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Cards that read otherwise than the FINEID cards we know (issue 20 item 6): a SELECT under the DF refused, a
    /// READ BINARY too long for the card. These commands carry no code, so the engine asks again the way the card
    /// wants, and the status it reads is the card's own; no try is spent.
    /// </summary>
    public sealed class AdaptingReadsTests : IDisposable
    {
        private const string Pin1 = "1793";
        private const string Pin2 = "179385";
        private const string ActivationCode = "17938524";

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private (PcscContext Context, string Path) Insert(VirtualCardProfile profile, VirtualCardFaults faults)
        {
            var state = VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000077");
            state.Faults = faults;
            var path = _folder.Save(state, Guid.NewGuid().ToString("N") + ".json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            return (new PcscContext(api), path);
        }

        private void AssertReadsEverything(VirtualCardProfile profile, VirtualCardFaults faults)
        {
            var (context, path) = Insert(profile, faults);
            using (context)
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            {
                var all = session.ReadAllStatus();

                Assert.Equal("999000077", session.Serial);
                Assert.Equal(PinState.Ready, all[0].State);
                Assert.Equal(5, all[0].TriesLeft);
                Assert.Equal(PinState.Ready, all[1].State);
                Assert.Equal(5, all[1].TriesLeft);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal(5, saved.Pin1.TriesLeft);
            Assert.Equal(5, saved.Pin2.TriesLeft);
        }

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5, "6A86")]
        [InlineData(VirtualCardProfile.IdentityThalesV5, "6A82")]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe, "6A86")]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX, "6A82")]
        internal void SelectUnderDfRefused_TheFileIdAloneSelectsIt(VirtualCardProfile profile, string statusWord) =>
            AssertReadsEverything(profile, new VirtualCardFaults { SelectUnderDfStatusWord = statusWord });

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX)]
        internal void ReadBinaryTooLong6700_ShorterReadsGetTheWholeFiles(VirtualCardProfile profile) =>
            AssertReadsEverything(profile, new VirtualCardFaults { ReadBinaryMaxLength = 0x20 });

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThalesV5)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX)]
        internal void ReadBinaryTooLong6Cxx_TheLengthTheCardNamesReadsTheSerial(VirtualCardProfile profile)
        {
            var (context, _) = Insert(profile, new VirtualCardFaults { ReadBinaryMaxLength = 0x08, ReadBinaryTooLongAnswer = "6C" });
            using (context)
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            {
                // EF.TokenInfo says its own length: the pieces of 8 bytes the card named go on to the serial (bytes 7-15).
                Assert.Equal("999000077", session.Serial);
            }
        }

        [Theory]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX)]
        internal void IdemiaGetDataRefused6A88_TheEmptyVerifyTellsTheTriesAndSpendsNone(VirtualCardProfile profile)
        {
            var state = VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000077");
            // A maximum of 3 is what only GET DATA would tell: the empty VERIFY leaves the built-in 5.
            state.Pin2.MaxTries = 3;
            state.Pin2.TriesLeft = 3;
            state.Faults = new VirtualCardFaults { IdemiaGlobalGetDataRefused = true };
            var path = _folder.Save(state, Guid.NewGuid().ToString("N") + ".json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            using (var context = new PcscContext(api))
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            {
                var all = session.ReadAllStatus();

                Assert.Equal(5, all[0].TriesLeft);
                Assert.Equal(PinState.Ready, all[1].State);
                Assert.Equal(3, all[1].TriesLeft);
                Assert.Equal(PinRules.MaxTries, all[1].MaxTries);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal(5, saved.Pin1.TriesLeft);
            Assert.Equal(3, saved.Pin2.TriesLeft);
        }

        [Fact]
        public void ReadFile_SizeInTheSelectAnswer_AsksForExactlyTheRest()
        {
            var api = FakeCards.Identity(Protocols.T1);
            api.On("00 A4 02 0C 02 50 33", "62 04 80 02 01 10 90 00");
            // The same READ BINARY reads EF.TokenInfo at the opening: 04 04 ... is a whole TLV of 6 bytes there.
            api.On("00 B0 00 00 00", string.Concat(Enumerable.Repeat("04 ", 0x100)) + "90 00");
            api.On("00 B0 01 00 10", string.Concat(Enumerable.Repeat("A9 ", 0x10)) + "90 00");
            using var opened = FakeCards.Open(api);

            var read = opened.Card.ReadFile(new byte[] { 0x50, 0x33 });

            Assert.Equal(0x110, read!.Length);
            Assert.Equal(0xA9, read[0x10F]);
            Assert.Equal(new[] { "00 A4 02 0C 02 50 33", "00 B0 00 00 00", "00 B0 01 00 10" }, opened.SentSinceOpen);
        }

        [Fact]
        public void FileControl_SizeFromTag80Or81_NullWithout()
        {
            Assert.Equal(0x0123, FileControl.Size(new byte[] { 0x62, 0x08, 0x80, 0x02, 0x01, 0x23, 0x83, 0x02, 0x50, 0x32 }));
            Assert.Equal(0x40, FileControl.Size(new byte[] { 0x62, 0x03, 0x81, 0x01, 0x40 }));
            Assert.Null(FileControl.Size(new byte[] { 0x62, 0x04, 0x83, 0x02, 0x50, 0x32 }));
            Assert.Null(FileControl.Size(Array.Empty<byte>()));
            Assert.Null(FileControl.Size(new byte[] { 0x62, 0x09 }));
        }
    }
}
