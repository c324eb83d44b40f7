using System;
using System.Globalization;
using System.Threading;
using FinCardPin.Engine.PcSc;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// The worker threads that run work on the card: the work runs off the caller's thread with the caller's context,
    /// its failure comes back with its own type, one stuck worker never holds the next operation, and the clean-up of
    /// given-up work runs exactly once, whenever the work ends.
    /// </summary>
    public class CardWorkerTests
    {
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

        [Fact]
        public void Start_RunsTheWorkOnAnotherThreadWithTheCallersCultureAndAsyncLocals()
        {
            var local = new AsyncLocal<string?> { Value = "caller" };
            var culture = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = new CultureInfo("sv-SE");
            try
            {
                int? workerThread = null;
                string? seenLocal = null;
                string? seenCulture = null;
                var job = CardWorker.Start(() =>
                {
                    workerThread = Environment.CurrentManagedThreadId;
                    seenLocal = local.Value;
                    seenCulture = CultureInfo.CurrentUICulture.Name;
                });

                Assert.True(job.Wait(Bound));
                Assert.NotEqual(Environment.CurrentManagedThreadId, workerThread);
                Assert.Equal("caller", seenLocal);
                Assert.Equal("sv-SE", seenCulture);
            }
            finally
            {
                CultureInfo.CurrentUICulture = culture;
            }
        }

        [Fact]
        public void ThrowIfFailed_RethrowsTheWorksOwnException()
        {
            var job = CardWorker.Start(() => throw new TimeoutException("from the work"));

            Assert.True(job.Wait(Bound));
            var thrown = Assert.Throws<TimeoutException>(job.ThrowIfFailed);
            Assert.Equal("from the work", thrown.Message);
        }

        [Fact]
        public void Start_WhileAnotherWorkerIsStuck_RunsOnAFreshWorker()
        {
            using var release = new ManualResetEventSlim(false);
            var stuck = CardWorker.Start(() => release.Wait());
            try
            {
                var next = CardWorker.Start(() => { });

                Assert.True(next.Wait(Bound), "the next work waited for the stuck one");
                Assert.False(stuck.IsDone);
            }
            finally
            {
                release.Set();
            }

            Assert.True(stuck.Wait(Bound));
        }

        [Fact]
        public void Afterwards_RegisteredWhileTheWorkRuns_RunsOnceWhenItEnds()
        {
            using var release = new ManualResetEventSlim(false);
            var runs = 0;
            var job = CardWorker.Start(() => release.Wait());

            job.Afterwards(() => Interlocked.Increment(ref runs));
            Assert.Equal(0, Volatile.Read(ref runs));
            release.Set();

            Assert.True(job.Wait(Bound));
            var deadline = DateTime.UtcNow + Bound;
            while (Volatile.Read(ref runs) == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }

            Assert.Equal(1, Volatile.Read(ref runs));
        }

        [Fact]
        public void Afterwards_RegisteredAfterTheWorkEnded_RunsAtOnceAndOnlyOnce()
        {
            var runs = 0;
            var job = CardWorker.Start(() => { });
            Assert.True(job.Wait(Bound));

            job.Afterwards(() => runs++);

            Assert.Equal(1, runs);
            Assert.Throws<InvalidOperationException>(() => job.Afterwards(() => runs++));
            Assert.Equal(1, runs);
        }
    }
}
