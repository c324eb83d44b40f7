using System;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>FineidSession.Open refuses the wrong reader state, card or serial before any code is sent.</summary>
    public class FineidSessionTests
    {
        [Theory]
        [InlineData("3B 95 13 81 01 80 73 FF 01 00 0B")]
        [InlineData("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A")]
        public void Open_NotFineidAtr_ThrowsNotFineidCardWithoutConnecting(string atr)
        {
            var api = Card(atr, Protocols.T1, Serial);
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName);
            Assert.Equal(0, api.CountCalls("Connect"));
            Assert.Empty(api.Sent);
        }

        [Fact]
        public void Open_ContactlessFineid_ThrowsContactlessNotSupportedWithoutConnecting()
        {
            var api = Card("3B 8F 80 01 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00 6C", Protocols.T1, Serial);
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Equal(ErrorIds.ContactlessNotSupported, error.ErrorId);
            Assert.Equal(0, api.CountCalls("Connect"));
        }

        [Theory]
        [InlineData(ReaderStates.Empty)]
        [InlineData(ReaderStates.Present | ReaderStates.Mute)]
        internal void Open_NoUsableCard_ThrowsNoCardInReader(ReaderStates states)
        {
            var api = new ScriptedPcscApi().WithReader(Reader, Array.Empty<byte>(), states);
            using var context = new PcscContext(api);

            var error = Assert.Throws<NoCardException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Equal(ErrorIds.NoCardInReader, error.ErrorId);
            Assert.Equal(0, api.CountCalls("Connect"));
        }

        [Fact]
        public void Open_UnknownReader_ThrowsReaderNotFound()
        {
            var api = Identity();
            using var context = new PcscContext(api);

            var error = Assert.Throws<ReaderNotFoundException>(() => FineidSession.Open(context, "No Such Reader", null, null));

            Assert.Equal(ErrorIds.ReaderNotFound, error.ErrorId);
        }

        [Fact]
        public void Open_AnotherSerial_ThrowsCardChangedBeforeAnyPinCommandAndReleasesTheCard()
        {
            var api = Identity(serial: "9990009999");
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, Serial, null));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Equal("9990009999", error.Facts["found"]);
            Assert.Equal(Serial, error.Facts["expected"]);
            Assert.Equal(new[] { SelectAid, SelectTokenInfo, ReadTokenInfo }, api.Sent);
            Assert.DoesNotContain(api.Sent, hex => Hex.Parse(hex)[1] is 0x20 or 0x24 or 0x2C or 0xCB);
            Assert.Equal(1, api.CountCalls("EndTransaction LeaveCard"));
            Assert.Equal(1, api.CountCalls("Disconnect LeaveCard"));
            Assert.True(api.Calls.IndexOf("EndTransaction LeaveCard") < api.Calls.IndexOf("Disconnect LeaveCard"));
        }

        [Fact]
        public void Open_SerialUnreadableButExpected_ThrowsCardChanged()
        {
            var api = Identity();
            api.On(SelectTokenInfo, "6A 82");
            api.On(SelectTokenInfoById, "6A 82");
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, Serial, null));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Null(error.Facts["found"]);
        }

        [Fact]
        public void Open_SameSerial_Opens()
        {
            var api = Organisation();

            using var opened = Open(api, expectedSerial: Serial);

            Assert.Equal(Serial, opened.Session.Serial);
            Assert.Equal(CardKind.OrganisationOrSoteCard, opened.Session.Identity.Kind);
            Assert.Equal(Reader, opened.Session.ReaderName);
        }

        [Fact]
        public void Open_ApplicationMissing_ThrowsNotFineidCardAndReleasesTheCard()
        {
            var api = Identity();
            api.On(SelectAid, "6A 82");
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
            Assert.Equal(new[] { SelectAid }, api.Sent);
            Assert.Equal(1, api.CountCalls("EndTransaction LeaveCard"));
            Assert.Equal(1, api.CountCalls("Disconnect LeaveCard"));
        }

        [Fact]
        public void Open_TransactionRefused_DisconnectsAndSendsNothing()
        {
            var api = Identity();
            api.BeginTransactionResults.Enqueue(PcscResult.SharingViolation);
            using var context = new PcscContext(api);

            Assert.Throws<ReaderBusyException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Empty(api.Sent);
            Assert.Equal(0, api.CountCalls("EndTransaction"));
            Assert.Equal(1, api.CountCalls("Disconnect LeaveCard"));
        }

        [Fact]
        public void Dispose_EndsTheTransactionThenDisconnectsLeavingTheCard()
        {
            var api = Identity();
            var opened = Open(api);

            opened.Session.Dispose();

            var tail = api.Calls.Skip(api.Calls.Count - 2).ToArray();
            Assert.Equal(new[] { "EndTransaction LeaveCard", "Disconnect LeaveCard" }, tail);
            opened.Context.Dispose();
        }

        [Fact]
        public void Dispose_EndTransactionThrows_StillDisconnects()
        {
            var api = Identity();
            api.EndTransactionThrows = true;
            var opened = Open(api);

            var thrown = Record.Exception(() => opened.Session.Dispose());

            Assert.Null(thrown);
            Assert.Equal(1, api.CountCalls("Disconnect LeaveCard"));
            opened.Context.Dispose();
        }

        [Fact]
        public void Open_FromSnapshot_UsesItWithoutReadingTheReaderAgain()
        {
            var api = Identity();
            using var context = new PcscContext(api);
            var snapshot = context.GetReaders().Single();
            var statusReads = api.CountCalls("GetStatusChange");

            using var session = FineidSession.Open(context, snapshot, Serial, null);

            Assert.Equal(statusReads, api.CountCalls("GetStatusChange"));
            Assert.Equal(Serial, session.Serial);
            Assert.Equal(new[] { SelectAid, SelectTokenInfo, ReadTokenInfo }, api.Sent);
        }

        [Fact]
        public void Open_FromSnapshotOfOtherCard_ThrowsNotFineidCard()
        {
            var api = new ScriptedPcscApi();
            using var context = new PcscContext(api);
            var snapshot = new ReaderSnapshot(Reader, ReaderStates.Present, Hex.Parse("3B 95 13 81 01 80 73 FF 01 00 0B"), 1);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, snapshot, null, null));

            Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
            Assert.Empty(api.Calls);
        }

        [Fact]
        public void Open_NullArguments_Throw()
        {
            using var context = new PcscContext(new ScriptedPcscApi());

            Assert.Throws<ArgumentNullException>(() => FineidSession.Open(null!, Reader, null, null));
            Assert.Throws<ArgumentNullException>(() => FineidSession.Open(context, (ReaderSnapshot)null!, null, null));
        }

        [Fact]
        public void Open_Trace_ReceivesTheOpeningCommands()
        {
            var lines = new System.Collections.Generic.List<string>();
            var api = Identity();

            using var opened = Open(api, trace: lines.Add);

            Assert.Equal("> " + SelectAid, lines.First());
            Assert.Contains("> " + ReadTokenInfo, lines);
        }
    }
}
