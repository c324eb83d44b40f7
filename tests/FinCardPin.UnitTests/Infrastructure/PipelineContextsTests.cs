using System;
using System.Linq;
using System.Threading;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.UnitTests.Engine;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Infrastructure
{
    /// <summary>
    /// The cmdlets of one pipeline share one PC/SC context: established once, released by the last of them, never
    /// shared with another thread, another service or the virtual readers.
    /// </summary>
    public class PipelineContextsTests
    {
        [Fact]
        public void Acquire_TwiceOnOneThread_EstablishesOneNativeContextReleasedByTheLastUser()
        {
            var api = new ScriptedPcscApi();
            var first = PipelineContexts.Acquire(api, shareable: true);
            var second = PipelineContexts.Acquire(api, shareable: true);

            first.Context.ListReaders();
            second.Context.ListReaders();
            Assert.Same(first.Context, second.Context);
            Assert.Single(api.EstablishedContexts);

            first.Dispose();
            Assert.Empty(api.ReleasedContexts);
            second.Context.ListReaders();

            second.Dispose();
            Assert.Equal(api.EstablishedContexts, api.ReleasedContexts);
        }

        [Fact]
        public void Acquire_AfterTheLastUserReleased_GetsAFreshContext()
        {
            var api = new ScriptedPcscApi();
            var earlier = PipelineContexts.Acquire(api, shareable: true);
            var earlierContext = earlier.Context;
            earlier.Dispose();

            using var later = PipelineContexts.Acquire(api, shareable: true);
            later.Context.ListReaders();

            Assert.NotSame(earlierContext, later.Context);
            Assert.Single(api.EstablishedContexts);
        }

        [Fact]
        public void Acquire_NotShareable_GetsAContextOfItsOwn()
        {
            var api = new ScriptedPcscApi();
            using var shared = PipelineContexts.Acquire(api, shareable: true);
            using var own = PipelineContexts.Acquire(api, shareable: false);

            Assert.NotSame(shared.Context, own.Context);
        }

        [Fact]
        public void Acquire_ForAnotherService_GetsAContextOfItsOwn()
        {
            using var first = PipelineContexts.Acquire(new ScriptedPcscApi(), shareable: true);
            using var other = PipelineContexts.Acquire(new ScriptedPcscApi(), shareable: true);

            Assert.NotSame(first.Context, other.Context);
        }

        [Fact]
        public void Acquire_OnAnotherThread_GetsAContextOfItsOwn()
        {
            var api = new ScriptedPcscApi();
            using var here = PipelineContexts.Acquire(api, shareable: true);
            PipelineContexts.Lease? there = null;
            var thread = new Thread(() => there = PipelineContexts.Acquire(api, shareable: true));
            thread.Start();
            thread.Join();

            using (there)
            {
                Assert.NotSame(here.Context, there!.Context);
            }
        }

        [Fact]
        public void Dispose_Twice_ReleasesTheUseOnce()
        {
            var api = new ScriptedPcscApi();
            var first = PipelineContexts.Acquire(api, shareable: true);
            using var second = PipelineContexts.Acquire(api, shareable: true);
            second.Context.ListReaders();

            first.Dispose();
            first.Dispose();

            Assert.Empty(api.ReleasedContexts);
        }

        [Fact]
        public void Acquire_AfterAnotherUserGaveUpOnASilentCard_TheSharedContextMovesOnAndTheSilentOneSendsNothingMore()
        {
            var inner = Identity().OnPinInfo(0x11, (5, true));
            var api = new GatedPcscApi(inner) { BlockTransmitOfInstruction = 0xCB, ResultAfterGate = PcscResult.RemovedCard };
            using var listing = PipelineContexts.Acquire(api, shareable: true);
            using var status = PipelineContexts.Acquire(api, shareable: true);
            var shortAnswer = new PcscBounds(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));

            var error = Assert.Throws<FinCardPinException>(() => status.Context.Run(
                () =>
                {
                    using var session = FineidSession.Open(status.Context, status.Context.GetReader(Reader), null, null);
                    return session.ReadAllStatus();
                },
                CancellationToken.None,
                bounds: shortAnswer));
            var readers = listing.Context.Run(() => listing.Context.GetReaders(), CancellationToken.None);
            api.OpenGate();

            Assert.Equal(ErrorIds.CardNotAnswering, error.ErrorId);
            Assert.Single(readers);
            Assert.Equal(2, api.Calls.Count(c => c == "EstablishContext"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!api.Calls.Contains("ReleaseContext") && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            Assert.Contains("ReleaseContext", api.Calls);
            var afterTheSilentAnswer = api.Calls.SkipWhile(c => !c.StartsWith("Transmit returns", StringComparison.Ordinal)).Skip(1);
            Assert.DoesNotContain(afterTheSilentAnswer, c => c.StartsWith("Transmit", StringComparison.Ordinal));
        }
    }
}
