using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// PcscContext.Run over a fake whose calls block until released: every wait ends at its bound or at a stop, and a
    /// context given up sends nothing more when its blocked call finally returns.
    /// </summary>
    public class BoundedWaitTests
    {
        private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
        private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

        private static string OpenAndReadSerial(PcscContext context)
        {
            var reader = context.GetReader(Reader);
            using var session = FineidSession.Open(context, reader, null, null);
            return session.Serial!;
        }

        private static void WaitFor(Func<bool> condition)
        {
            var deadline = Stopwatch.StartNew();
            while (!condition())
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the condition did not come true within 10 s");
                Thread.Sleep(10);
            }
        }

        // What reached the fake after the blocked call returned.
        private static string[] CallsAfter(GatedPcscApi api, string marker) =>
            api.Calls.SkipWhile(c => !c.StartsWith(marker, StringComparison.Ordinal)).Skip(1).ToArray();

        [Fact]
        public void Run_WorkEndsInTime_ReturnsItsResult()
        {
            using var context = new PcscContext(Identity());

            Assert.Equal(Serial, context.Run(() => OpenAndReadSerial(context), CancellationToken.None));
        }

        [Fact]
        public void Run_AnotherProgramHoldsTheTransaction_GivesUpAtTheBoundAndSendsNothingWhenItLetsGo()
        {
            var api = new GatedPcscApi(Identity()) { BlockBeginTransaction = true };
            using var context = new PcscContext(api, new PcscBounds(Short, Long));
            var watch = Stopwatch.StartNew();

            var error = Assert.Throws<FinCardPinException>(() => context.Run(() => OpenAndReadSerial(context), CancellationToken.None));

            Assert.Equal(ErrorIds.CardBusy, error.ErrorId);
            Assert.Equal(ErrorIds.CardBusy, error.MessageKey);
            Assert.True(error.Facts.ContainsKey("waited"));
            Assert.InRange(watch.Elapsed, Short, Short + TimeSpan.FromSeconds(1));
            api.OpenGate();
            WaitFor(() => api.Calls.Contains("ReleaseContext"));
            var after = CallsAfter(api, "BeginTransaction returns");
            Assert.DoesNotContain(after, c => c.StartsWith("Transmit", StringComparison.Ordinal));
            Assert.Contains("EndTransaction LeaveCard", after);
            Assert.Contains("Disconnect LeaveCard", after);
        }

        [Fact]
        public void Run_GivenUpWhileConnecting_SendsNothingWhenTheConnectReturnsEvenAfterALaterRun()
        {
            var api = new GatedPcscApi(Identity()) { BlockConnect = true };
            using var context = new PcscContext(api, new PcscBounds(Short, Long));

            var error = Assert.Throws<FinCardPinException>(() => context.Run(() => OpenAndReadSerial(context), CancellationToken.None));
            context.Run(() => context.GetReaders(), CancellationToken.None); // a later run moves on to a fresh context
            api.OpenGate();

            Assert.Equal(ErrorIds.CardBusy, error.ErrorId);
            WaitFor(() => api.Calls.Count(c => c == "ReleaseContext") == 1);
            var after = CallsAfter(api, "Connect returns");
            Assert.DoesNotContain(after, c => c.StartsWith("Transmit", StringComparison.Ordinal) || c.StartsWith("BeginTransaction", StringComparison.Ordinal));
        }

        [Fact]
        public void Run_AnotherProgramLetsGoBeforeTheBound_Succeeds()
        {
            var api = new GatedPcscApi(Identity()) { BlockBeginTransaction = true };
            using var context = new PcscContext(api, new PcscBounds(TimeSpan.FromSeconds(5), Long));
            using var release = new Timer(_ => api.OpenGate(), null, 200, Timeout.Infinite);

            Assert.Equal(Serial, context.Run(() => OpenAndReadSerial(context), CancellationToken.None));
        }

        [Fact]
        public void Run_CardStopsAnswering_GivesUpWithCardNotAnsweringAndSendsNothingMore()
        {
            var inner = Identity().OnPinInfo(0x11, (5, true));
            var api = new GatedPcscApi(inner) { BlockTransmitOfInstruction = 0xCB, ResultAfterGate = PcscResult.RemovedCard };
            using var context = new PcscContext(api, new PcscBounds(Long, Short));

            var error = Assert.Throws<FinCardPinException>(() => context.Run(
                () =>
                {
                    var reader = context.GetReader(Reader);
                    using var session = FineidSession.Open(context, reader, null, null);
                    return session.ReadAllStatus();
                },
                CancellationToken.None));

            Assert.Equal(ErrorIds.CardNotAnswering, error.ErrorId);
            api.OpenGate();
            WaitFor(() => api.Calls.Contains("ReleaseContext"));
            Assert.DoesNotContain(CallsAfter(api, "Transmit returns"), c => c.StartsWith("Transmit", StringComparison.Ordinal));
        }

        [Fact]
        public void Run_CardStopsAnsweringACommandWithACode_SaysTheOutcomeIsUnknownAndResetsAtTheEnd()
        {
            var inner = Identity().OnPinInfo(0x11, (5, true));
            inner.OnPrefix("00 20 00 11 0C", "90 00");
            var api = new GatedPcscApi(inner) { BlockTransmitOfInstruction = 0x20 };
            using var context = new PcscContext(api, new PcscBounds(Long, Short));
            using var pin = PinSecrets.Pin("1793");

            var error = Assert.Throws<FinCardPinException>(() => context.Run(
                () =>
                {
                    var reader = context.GetReader(Reader);
                    using var session = FineidSession.Open(context, reader, null, null);
                    return SessionPinCalls.Test(session, PinCode.Pin1, pin, force: false);
                },
                CancellationToken.None));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Equal(ErrorIds.CardNotAnswering, Assert.IsType<FinCardPinException>(error.InnerException).ErrorId);
            api.OpenGate();
            WaitFor(() => api.Calls.Contains("ReleaseContext"));
            var after = CallsAfter(api, "Transmit returns");
            Assert.DoesNotContain(after, c => c.StartsWith("Transmit", StringComparison.Ordinal));
            Assert.Contains("EndTransaction ResetCard", after);
        }

        [Fact]
        public async Task Run_FinalResetNeverEnds_GivesUpAtTheBound()
        {
            var inner = Identity().OnPinInfo(0x11, (5, true));
            inner.OnPrefix("00 20 00 11 0C", "90 00");
            var api = new GatedPcscApi(inner) { BlockReset = true };
            using var context = new PcscContext(api, new PcscBounds(Long, Short));
            using var pin = PinSecrets.Pin("1793");

            var run = Task.Run(() => context.Run(
                () =>
                {
                    var reader = context.GetReader(Reader);
                    using var session = FineidSession.Open(context, reader, null, null);
                    return SessionPinCalls.Test(session, PinCode.Pin1, pin, force: false);
                },
                CancellationToken.None));
            var first = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5)));
            api.OpenGate();

            Assert.True(first == run, "the final reset was not watched: still waiting after 5 s");
            var error = await Assert.ThrowsAsync<FinCardPinException>(() => run);
            Assert.Equal(ErrorIds.CardNotAnswering, error.ErrorId);
            Assert.Contains("EndTransaction ResetCard", api.Calls);
        }

        [Fact]
        public async Task Dispose_ReleaseNeverAnswers_ReturnsAtItsBound()
        {
            var api = new GatedPcscApi(Identity()) { BlockReleaseContext = true };
            var context = new PcscContext(api, new PcscBounds(Long, Long));
            context.ListReaders();
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var dispose = Task.Run(context.Dispose);
            var first = await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(5)));
            watch.Stop();
            api.OpenGate();

            Assert.True(first == dispose, "the end of the cmdlet waited for a release that never ends: still waiting after 5 s");
            Assert.True(api.WaitUntilBlocked(TimeSpan.Zero), "the release was never attempted");
            Assert.True(watch.Elapsed >= PcscContext.ReleaseBound - TimeSpan.FromMilliseconds(50), "it did not wait for the release at all");
            Assert.Single(api.Calls, c => c.StartsWith("ReleaseContext", StringComparison.Ordinal));
        }

        [Fact]
        public void Run_Stopped_EndsWithinASecondAndALaterRunUsesAFreshContext()
        {
            var api = new GatedPcscApi(Identity()) { BlockBeginTransaction = true };
            using var context = new PcscContext(api, new PcscBounds(Long, Long));
            using var stop = new CancellationTokenSource();
            var running = Task.Run(() => context.Run(() => OpenAndReadSerial(context), stop.Token));
            Assert.True(api.WaitUntilBlocked(TimeSpan.FromSeconds(5)));
            var watch = Stopwatch.StartNew();

            stop.Cancel();
            var error = Assert.Throws<OperationStoppedException>(() => running.GetAwaiter().GetResult());

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), "stopped after " + watch.Elapsed);
            Assert.Equal(ErrorIds.OperationCancelled, error.ErrorId);
            api.BlockBeginTransaction = false;
            api.OpenGate();
            Assert.Equal(Serial, context.Run(() => OpenAndReadSerial(context), CancellationToken.None));
            Assert.Equal(2, api.Calls.Count(c => c == "EstablishContext"));
        }

        [Fact]
        public void Run_StoppedWhileACodeIsOnItsWay_SaysTheOutcomeIsUnknown()
        {
            var inner = Identity().OnPinInfo(0x11, (5, true));
            inner.OnPrefix("00 20 00 11 0C", "90 00");
            var api = new GatedPcscApi(inner) { BlockTransmitOfInstruction = 0x20 };
            using var context = new PcscContext(api, new PcscBounds(Long, Long));
            using var stop = new CancellationTokenSource();
            using var pin = PinSecrets.Pin("1793");
            var running = Task.Run(() => context.Run(
                () =>
                {
                    var reader = context.GetReader(Reader);
                    using var session = FineidSession.Open(context, reader, null, null);
                    return SessionPinCalls.Test(session, PinCode.Pin1, pin, force: false);
                },
                stop.Token));
            Assert.True(api.WaitUntilBlocked(TimeSpan.FromSeconds(5)));

            stop.Cancel();

            var error = Assert.Throws<OperationStoppedException>(() => running.GetAwaiter().GetResult());
            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            api.OpenGate();
        }

        [Fact]
        public void Run_AlreadyStopped_StartsNothing()
        {
            var api = new GatedPcscApi(Identity());
            using var context = new PcscContext(api);
            using var stop = new CancellationTokenSource();
            stop.Cancel();

            Assert.Throws<OperationStoppedException>(() => context.Run(() => OpenAndReadSerial(context), stop.Token));
            Assert.Empty(api.Calls);
        }

        [Fact]
        public void Connect_ReaderHeldExclusivelyForLongerThanTheBound_IsReaderInExclusiveUse()
        {
            var api = Identity();
            for (var i = 0; i < 1000; i++)
            {
                api.ConnectResults.Enqueue(PcscResult.SharingViolation);
            }

            using var context = new PcscContext(api, new PcscBounds(Short, Long));
            var watch = Stopwatch.StartNew();

            var error = Assert.Throws<ReaderBusyException>(() => context.Connect(Reader));

            Assert.Equal(ErrorIds.ReaderInExclusiveUse, error.ErrorId);
            Assert.Equal(ErrorIds.ReaderInExclusiveUse + ".Waited", error.MessageKey);
            Assert.InRange(watch.Elapsed, Short, Short + TimeSpan.FromSeconds(1));
        }

        [Fact]
        public void Connect_ReaderHeldExclusivelyForAMoment_ConnectsWhenItIsFree()
        {
            var api = Identity();
            api.ConnectResults.Enqueue(PcscResult.SharingViolation);
            api.ConnectResults.Enqueue(PcscResult.SharingViolation);
            using var context = new PcscContext(api, new PcscBounds(TimeSpan.FromSeconds(5), Long));

            using var connection = context.Connect(Reader);

            Assert.Equal(3, api.CountCalls("Connect"));
        }

        [Fact]
        public void CallWatch_AbandonedBeforeACall_StopsTheCallFromStarting()
        {
            var watch = new CallWatch();

            var call = watch.Abandon();

            Assert.Equal(WaitKind.None, call.Kind);
            Assert.Throws<OperationAbandonedException>(() => watch.Enter(WaitKind.CardAnswer));
        }

        [Fact]
        public void CallWatch_AbandonedDuringACodeCall_SaysACodeWasOnItsWay()
        {
            var watch = new CallWatch();
            watch.Enter(WaitKind.CardAnswer, "Reader A", carriesCode: true);

            var call = watch.Abandon();
            watch.Exit();

            Assert.Equal(WaitKind.CardAnswer, call.Kind);
            Assert.True(call.CarriedCode);
            Assert.True(watch.IsAbandoned);
            Assert.Equal("Reader A", watch.ReaderName);
        }

        [Fact]
        public void CallWatch_Overdue_OnlyPastTheBoundOfTheRunningCall()
        {
            var watch = new CallWatch();
            var bounds = new PcscBounds(TimeSpan.FromMilliseconds(50), Long);
            watch.Enter(WaitKind.CardAnswer);
            Thread.Sleep(100);
            Assert.Equal(WaitKind.None, watch.Overdue(bounds));
            watch.Exit();
            watch.Enter(WaitKind.CardBusy);
            Thread.Sleep(100);

            Assert.Equal(WaitKind.CardBusy, watch.Overdue(bounds));
            watch.Exit();
            Assert.Equal(WaitKind.None, watch.Overdue(bounds));
        }

        [Fact]
        public void Session_ResetByAnotherProgram_TakesTheTransactionAgainAndChecksTheSerialBeforeResending()
        {
            var api = Identity().OnPinInfo(0x11, (4, true));
            using var context = new PcscContext(api);
            using var session = FineidSession.Open(context, context.GetReader(Reader), null, null);
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            var before = api.Calls.Count;

            var status = session.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(4, status.TriesLeft);
            var calls = api.Calls.Skip(before).Select(c => c.Split(' ')[0] + (c.StartsWith("Transmit", StringComparison.Ordinal) ? " " + c[9..14] : string.Empty)).ToArray();
            Assert.Equal(new[] { "Transmit 00 CB", "Reconnect", "BeginTransaction", "Transmit 00 A4", "Transmit 00 A4", "Transmit 00 B0", "Transmit 00 CB" }, calls);
        }

        [Fact]
        public void Session_ResetAndAnotherCardSinceThen_IsCardChangedAndTheCommandIsNotResent()
        {
            var api = Identity().OnPinInfo(0x11, (4, true));
            api.On(ReadTokenInfo,
                FinCardPin.Engine.Apdu.Hex.Format(TokenInfoTests.Build(System.Text.Encoding.ASCII.GetBytes(Serial))) + " 90 00",
                FinCardPin.Engine.Apdu.Hex.Format(TokenInfoTests.Build(System.Text.Encoding.ASCII.GetBytes("1112223334"))) + " 90 00");
            using var context = new PcscContext(api);
            using var session = FineidSession.Open(context, context.GetReader(Reader), null, null);
            api.TransmitResults.Enqueue(PcscResult.ResetCard);

            var error = Assert.Throws<FinCardPinException>(() => session.Card.ReadStatus(PinCode.Pin1));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Equal(1, api.Sent.Count(hex => hex.StartsWith("00 CB", StringComparison.Ordinal)));
        }

        [Fact]
        public void OpenForStatus_SightingOfThisServiceWithTheSameCount_DoesNotReadTheSerialAgain()
        {
            var api = Identity();
            api.EventCount = 7;
            using var context = new PcscContext(api);
            var sighting = Sight(context);
            api.Sent.Clear();

            using var session = FineidSession.OpenForStatus(context, context.GetReader(Reader), Serial, null, sighting);

            Assert.Equal(Serial, session.Serial);
            Assert.False(session.SerialReadFromCard);
            Assert.Equal(new[] { SelectAid }, api.Sent);
        }

        [Theory]
        [InlineData(8)]
        [InlineData(0)]
        public void OpenForStatus_OtherEventCountOrNoneReported_ReadsTheSerialAndRefusesAnotherCard(int reported)
        {
            var api = Identity(serial: "1112223334");
            api.EventCount = reported == 0 ? 0 : 7;
            using var context = new PcscContext(api);
            var sighting = new CardSighting(api, Reader, Serial, reported == 0 ? 0 : 7);
            api.EventCount = reported;

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.OpenForStatus(context, context.GetReader(Reader), Serial, null, sighting));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Contains(ReadTokenInfo, api.Sent);
        }

        // A count means nothing across services: a restarted pcscd, or a fresh set of virtual readers, counts from 1 again.
        [Fact]
        public void OpenForStatus_SightingFromAnotherServiceWithTheSameCount_ReadsTheSerialAndRefusesAnotherCard()
        {
            var before = Identity();
            before.EventCount = 7;
            CardSighting sighting;
            using (var earlier = new PcscContext(before))
            {
                sighting = Sight(earlier);
            }

            var api = Identity(serial: "1112223334");
            api.EventCount = 7;
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.OpenForStatus(context, context.GetReader(Reader), Serial, null, sighting));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Contains(ReadTokenInfo, api.Sent);
        }

        // A session that may carry a code reads the serial from the card, whatever was seen before.
        [Fact]
        public void Open_SameEventCountAsASighting_ReadsTheSerialAndRefusesAnotherCard()
        {
            var api = Identity();
            api.EventCount = 7;
            using var context = new PcscContext(api);
            _ = Sight(context);
            var swapped = Identity(serial: "1112223334");
            swapped.EventCount = 7;
            using var swappedContext = new PcscContext(swapped);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(swappedContext, swappedContext.GetReader(Reader), Serial, null));

            Assert.Equal(ErrorIds.CardChanged, error.ErrorId);
            Assert.Contains(ReadTokenInfo, swapped.Sent);
        }

        [Fact]
        public void PinOperations_OnASessionThatTookItsSerialFromASighting_RefuseBeforeAnyCode()
        {
            var api = Identity().OnPinInfo(0x11, (4, true));
            api.EventCount = 7;
            using var context = new PcscContext(api);
            var sighting = Sight(context);
            using var session = FineidSession.OpenForStatus(context, context.GetReader(Reader), Serial, null, sighting);
            using var pin = PinSecrets.Pin("1234");

            Assert.Throws<InvalidOperationException>(() => SessionPinCalls.Test(session, PinCode.Pin1, pin, force: false));

            Assert.DoesNotContain(api.Sent, hex => hex.StartsWith("00 20", StringComparison.Ordinal));
        }

        private static CardSighting Sight(PcscContext context)
        {
            using var listing = FineidSession.OpenForStatus(context, context.GetReader(Reader), null, null, null);
            Assert.True(listing.SerialReadFromCard);
            return listing.Sighting!;
        }
    }
}
