using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using FinCardPin.Engine.PcSc;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// The worker threads that run work on the card: the work runs off the caller's thread with the caller's context,
    /// its failure comes back with its own type, one stuck worker never holds the next operation, and the clean-up of
    /// given-up work runs exactly once, whenever the work ends. The waiter stays awake only for a job's first moments
    /// and a worker only for a moment after its work: an end that comes later is seen too, and neither a stuck job nor
    /// an idle worker costs CPU.
    /// </summary>
    [Collection(RunAlone.Name)]
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
        public void Afterwards_OfGivenUpWork_RunsBeforeItsWorkerTakesNewWork()
        {
            using var workGate = new ManualResetEventSlim(false);
            using var releasing = new ManualResetEventSlim(false);
            using var releaseGate = new ManualResetEventSlim(false);
            var given = CardWorker.Start(() => workGate.Wait());
            given.Afterwards(() =>
            {
                releasing.Set();
                releaseGate.Wait(); // a context release that blocks in PC/SC
            });
            try
            {
                workGate.Set();
                Assert.True(releasing.Wait(Bound));

                // The worker is busy releasing: the next job must not wait behind it.
                var next = CardWorker.Start(() => { });

                Assert.True(next.Wait(TimeSpan.FromSeconds(2)), "the next job waited behind the given-up job's release");
            }
            finally
            {
                releaseGate.Set();
            }
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

        [Fact]
        public void Wait_ForWorkThatEndsAfterTheWaiterFellAsleep_ReturnsAsItEnds()
        {
            var job = CardWorker.Start(() => Thread.Sleep(CardWorker.Job.AwakeFor + TimeSpan.FromMilliseconds(50)));
            var waited = Stopwatch.StartNew();

            Assert.True(job.Wait(Bound));
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(2), $"the end was seen only after {waited.Elapsed.TotalMilliseconds:N0} ms");
        }

        [Fact]
        public void Wait_ForStuckWork_KeepsItsBound() => WaitForStuckWork();

        [OnLinuxFact]
        public void Wait_ForStuckWork_SleepsAfterTheFirstMoments()
        {
            using var release = new ManualResetEventSlim(false);
            var job = CardWorker.Start(() => release.Wait());
            try
            {
                var before = ThisThreadsCpuTime();

                Assert.False(job.Wait(TimeSpan.FromMilliseconds(500)));
                var used = ThisThreadsCpuTime() - before;
                Assert.True(used < TimeSpan.FromMilliseconds(100), $"the waiter used {used.TotalMilliseconds:N0} ms of CPU in a 500 ms wait");
            }
            finally
            {
                release.Set();
            }
        }

        [OnLinuxFact]
        public void AWorkerWithNothingToDo_SleepsAfterAMoment()
        {
            string? workerStat = null;
            var job = CardWorker.Start(() => workerStat = "/proc/self/task/" + ThreadId() + "/stat");
            Assert.True(job.Wait(Bound));
            var before = CpuTime(workerStat!);

            Thread.Sleep(500);
            var used = CpuTime(workerStat!) - before;
            Assert.True(used < TimeSpan.FromMilliseconds(100), $"the idle worker used {used.TotalMilliseconds:N0} ms of CPU in 500 ms");
        }

        [Fact]
        public void JobsOneAfterAnother_RunOnTheWorkerThatJustFinished()
        {
            var threads = new HashSet<int>();
            for (var i = 0; i < 50; i++)
            {
                var job = CardWorker.Start(() =>
                {
                    lock (threads)
                    {
                        threads.Add(Environment.CurrentManagedThreadId);
                    }
                });
                Assert.True(job.Wait(Bound));
            }

            Assert.Single(threads);
        }

        [OnLinuxFact(Processors = 2)]
        public void Wait_WithTheWorkerOnAnotherProcessor_StaysAwakeForTheFirstMoments()
        {
            // The most of any job: another program on the waiter's processor can delay a few waits past their first 2 ms.
            var yields = YieldsWhileTheWorkerSleeps(waiterProcessor: 0, workerProcessor: 1);

            Assert.True(yields[yields.Count - 1] >= 50, $"the waiter yielded at most {yields[yields.Count - 1]} times in a job");
        }

        [OnLinuxFact]
        public void Wait_OnTheWorkersOwnProcessor_SleepsAtOnceAndKeepsItsBound()
        {
            // There a yielding waiter holds the worker back each time it wakes from a call (docs/ARCHITECTURE.md,
            // Performance). Asleep, it still ends the wait for a card that stops answering at its bound.
            OnProcessors(waiterProcessor: 0, workerProcessor: 0, _ =>
            {
                var yields = WaitForStuckWork();
                Assert.True(yields <= 5, $"the waiter yielded {yields} times");
            });
        }

        // Waits 200 ms for work that never ends (a card that stops answering): the wait ends at its bound. Returns how
        // often the waiter yielded.
        private static int WaitForStuckWork()
        {
            using var release = new ManualResetEventSlim(false);
            var job = CardWorker.Start(() => release.Wait());
            try
            {
                var waited = Stopwatch.StartNew();

                Assert.False(job.Wait(TimeSpan.FromMilliseconds(200)));
                Assert.InRange(waited.Elapsed.TotalMilliseconds, 190, 2000);
                return job.TimesYielded;
            }
            finally
            {
                release.Set();
                Assert.True(job.Wait(Bound));
            }
        }

        // Jobs of 3 ms in which the worker sleeps, as it does while pcscd and the card answer: the waiter's yields in each,
        // fewest first.
        private static List<int> YieldsWhileTheWorkerSleeps(int waiterProcessor, int workerProcessor)
        {
            var yields = new List<int>();
            OnProcessors(waiterProcessor, workerProcessor, workerThread =>
            {
                for (var i = 0; i < 21; i++)
                {
                    var ranOn = 0;
                    var job = CardWorker.Start(() =>
                    {
                        ranOn = Environment.CurrentManagedThreadId;
                        Thread.Sleep(3);
                    });
                    Assert.True(job.Wait(Bound));
                    Assert.Equal(workerThread, ranOn);
                    yields.Add(job.TimesYielded);
                }
            });
            yields.Sort();
            return yields;
        }

        // Runs the test with this thread and the idle worker pinned (the worker that just finished takes the next job),
        // then lets both run anywhere again.
        private static void OnProcessors(int waiterProcessor, int workerProcessor, Action<int> test)
        {
            var original = Affinity.OfThisThread();
            var workerThread = 0;
            Assert.True(CardWorker.Start(() =>
            {
                workerThread = Environment.CurrentManagedThreadId;
                Affinity.PinThisThreadTo(workerProcessor);
            }).Wait(Bound));
            Affinity.PinThisThreadTo(waiterProcessor);
            try
            {
                test(workerThread);
            }
            finally
            {
                Affinity.Set(original);
                Assert.True(CardWorker.Start(() => Affinity.Set(original)).Wait(Bound));
            }
        }

        private static TimeSpan ThisThreadsCpuTime() => CpuTime("/proc/thread-self/stat");

        // The calling thread's id as Linux knows it: the first field of /proc/thread-self/stat.
        private static string ThreadId() => File.ReadAllText("/proc/thread-self/stat").Split(' ')[0];

        // A thread's user and system time: fields 14 and 15 of its stat file, in clock ticks (1/100 s).
        private static TimeSpan CpuTime(string statFile)
        {
            var stat = File.ReadAllText(statFile);
            var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }

        /// <summary>Which processors the calling thread may run on (Linux, sched_setaffinity with pid 0).</summary>
        private static class Affinity
        {
            public static ulong OfThisThread()
            {
                ulong mask = 0;
                Check(sched_getaffinity(0, (IntPtr)sizeof(ulong), ref mask));
                return mask;
            }

            public static void PinThisThreadTo(int processor) => Set(1UL << processor);

            public static void Set(ulong mask) => Check(sched_setaffinity(0, (IntPtr)sizeof(ulong), ref mask));

            private static void Check(int result)
            {
                if (result != 0)
                {
                    throw new InvalidOperationException("sched_setaffinity/sched_getaffinity failed: " + Marshal.GetLastWin32Error());
                }
            }

            [DllImport("libc", SetLastError = true)]
            private static extern int sched_getaffinity(int pid, IntPtr size, ref ulong mask);

            [DllImport("libc", SetLastError = true)]
            private static extern int sched_setaffinity(int pid, IntPtr size, ref ulong mask);
        }
    }
}
