using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.PinPad;
using FinCardPin.UnitTests.Engine;
using FinCardPin.UnitTests.VirtualCards;
using FinCardPin.VirtualCard;
using Xunit;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.PinPad
{
    /// <summary>The wait for a keypad: bounded, but long enough for every prompt; and a stop ends it at once.</summary>
    public sealed class PinPadWaitTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void KeypadCall_GetsItsPromptsTimeOnTopOfTheCardsBound()
        {
            var bounds = new PcscBounds(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(20));
            var plain = new CallWatch();
            var keypad = new CallWatch();
            plain.Enter(WaitKind.CardAnswer);
            keypad.Enter(WaitKind.CardAnswer, carriesCode: true, extra: PinPadPlan.KeypadTime(3));
            Thread.Sleep(100);

            Assert.Equal(WaitKind.CardAnswer, plain.Overdue(bounds));
            Assert.Equal(WaitKind.None, keypad.Overdue(bounds));
            Assert.Equal(TimeSpan.FromSeconds(180), PinPadPlan.KeypadTime(3)); // a modify asks three times, 30 s + 30 s each
        }

        [Fact]
        public void KeypadCallGivenUp_CarriesItsPromptsTime_SoTheMessageSaysTheWholeWait()
        {
            var watch = new CallWatch();
            watch.Enter(WaitKind.CardAnswer, carriesCode: true, extra: PinPadPlan.KeypadTime(3));

            var call = watch.Abandon();

            Assert.Equal(WaitKind.CardAnswer, call.Kind);
            Assert.True(call.CarriedCode);
            Assert.Equal(PinPadPlan.KeypadTime(3), call.Extra);
        }

        [Fact]
        public void KeypadNobodyAnswers_StopEndsTheCallAtOnceAndSaysTheOutcomeIsUnknown()
        {
            var virtualApi = new VirtualPcscApi(1);
            virtualApi.Insert(0, _folder.Save(Kit.Identity(), "card.json"));
            virtualApi.AttachPinPad(0, new VirtualPinPad(VirtualPinPadModel.FixedLength, new[] { "1234" }));
            var api = new GatedPcscApi(virtualApi) { BlockControlCode = 0x42330006 };
            using var context = new PcscContext(api);
            using var stop = new CancellationTokenSource();
            var reader = VirtualPcscApi.ReaderName(0);

            var running = Task.Run(() => context.Run(() =>
            {
                var pad = context.ReadPinPad(reader, hasCard: true);
                var plan = PinPadPlanner.Plan(pad, CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, reader);
                using var session = FineidSession.Open(context, reader, null, null);
                return session.TestPinOnPinPad(PinCode.Pin1, plan, force: false);
            }, stop.Token));
            Assert.True(api.WaitUntilBlocked(TimeSpan.FromSeconds(20)));
            var watch = Stopwatch.StartNew();
            stop.Cancel();

            var error = Assert.Throws<OperationStoppedException>(() => running.GetAwaiter().GetResult());
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), "stopped after " + watch.Elapsed);
            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Equal(ErrorIds.PinOutcomeUnknown + ".StoppedOnPinPad", error.MessageKey); // the reader may still ask
            Assert.Equal(reader, error.ReaderName);
            Assert.Equal((int)PinPadPlan.KeypadTime(1).TotalSeconds, error.Facts["seconds"]);
            api.OpenGate();
        }
    }
}
