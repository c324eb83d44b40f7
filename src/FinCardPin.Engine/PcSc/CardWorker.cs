using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A background thread of its own that runs one piece of work on the card at a time, so that the caller's thread
    /// can wait with a bound while a native PC/SC call that never returns holds only the worker.
    /// Not the thread pool: its idle threads spin without yielding and took a CPU core from pcscd and the card on
    /// two-core machines. Here both sides yield their core for a moment before they sleep: a worker after its work,
    /// for the next piece, and the caller for the first moments of a job unless it is on the worker's own processor (see
    /// <see cref="Job.Wait"/>). Idle workers are kept for the next operation, the last one idle taken first; one stuck
    /// in a native call is simply not idle until it returns.
    /// </summary>
    internal sealed class CardWorker
    {
        // Last in, first out: the worker that finished last is the one still awake (see StayAwakeForNextJob).
        private static readonly List<CardWorker> IdleWorkers = new List<CardWorker>();
        private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan AwakeForNextJob = TimeSpan.FromMilliseconds(0.5);

        private readonly object _gate = new object();
        private readonly Action _becomeIdle;
        private Job? _job;

        private CardWorker()
        {
            _becomeIdle = () => BecomeIdle(this);
            var thread = new Thread(Serve) { IsBackground = true, Name = "FinCardPin card worker" };
            thread.Start();
        }

        /// <summary>Starts <paramref name="work"/> on an idle worker (a new one when none is idle).</summary>
        public static Job Start(Action work)
        {
            var worker = TakeIdle() ?? new CardWorker();

            var job = new Job(work, ExecutionContext.Capture());
            lock (worker._gate)
            {
                worker._job = job;
                Monitor.Pulse(worker._gate);
            }

            return job;
        }

        private void Serve()
        {
            while (true)
            {
                Job? job;
                lock (_gate)
                {
                    if (_job == null && !Monitor.Wait(_gate, IdleLifetime) && _job == null)
                    {
                        // Idle for long: leave, unless someone took this worker out of the idle ones just now.
                        if (TryLeave())
                        {
                            return;
                        }

                        continue;
                    }

                    job = _job;
                    _job = null;
                }

                if (job != null)
                {
                    // Idle again before the job is seen to end: the caller's next job, started the moment it sees the
                    // end, finds this worker (awake) rather than another one asleep.
                    job.Execute(beforeTheEnd: _becomeIdle);
                    StayAwakeForNextJob();
                }
            }
        }

        // An operation hands work over several times in a row (the reader list, then each card): a worker that yields
        // for a moment takes the next piece at once, where one asleep is woken a tenth of a millisecond or more later.
        private void StayAwakeForNextJob() => _ = YieldWhile(() => Volatile.Read(ref _job) == null, AwakeForNextJob);

        // Gives the core to any thread that wants it, again and again, while the condition holds, for at most the time
        // given: a thread kept awake so, unlike one asleep, sees the change as it happens.
        private static int YieldWhile(Func<bool> condition, TimeSpan atMost)
        {
            var yielding = Stopwatch.StartNew();
            var times = 0;
            while (condition() && yielding.Elapsed < atMost)
            {
                Thread.Yield();
                times++;
            }

            return times;
        }

        private static CardWorker? TakeIdle()
        {
            lock (IdleWorkers)
            {
                if (IdleWorkers.Count == 0)
                {
                    return null;
                }

                var last = IdleWorkers[IdleWorkers.Count - 1];
                IdleWorkers.RemoveAt(IdleWorkers.Count - 1);
                return last;
            }
        }

        private static void BecomeIdle(CardWorker worker)
        {
            lock (IdleWorkers)
            {
                IdleWorkers.Add(worker);
            }
        }

        // A worker that timed out waiting is still among the idle ones; it leaves only if it can take itself out.
        private bool TryLeave()
        {
            lock (IdleWorkers)
            {
                return IdleWorkers.Remove(this);
            }
        }

        /// <summary>One piece of work: its end can be waited for with a bound, and followed by one more action.</summary>
        internal sealed class Job
        {
            /// <summary>
            /// How long into a job its waiter stays awake. A waiter that has gone to sleep is woken well after the work
            /// ends (longer on virtual machines, whose idle cores sleep deeply), and a fast card's work is over sooner
            /// than that (build.ps1 Benchmark measures what it costs Get-CardReader | Get-CardPinStatus). Awake, it
            /// yields the core to any thread that wants it (pcscd, the card's driver); past this it sleeps, so a slow
            /// or stuck card costs no CPU.
            /// </summary>
            internal static readonly TimeSpan AwakeFor = TimeSpan.FromMilliseconds(2);

            private readonly Stopwatch _age = Stopwatch.StartNew();
            private readonly object _gate = new object();
            private bool _done;
            private readonly Action _work;
            private readonly ExecutionContext? _context;
            private ExceptionDispatchInfo? _failure;
            private Action? _afterwards;
            private int _hasAfterwards;

            // Whether the work ended by itself or was given up first (an action to run afterwards was registered): one
            // atomic step decides, so a given-up job's clean-up runs on the worker before it is idle again, or, when
            // the work had already ended, on the caller's thread at once.
            private const int Running = 0;
            private const int Ended = 1;
            private const int GivenUp = 2;
            private int _fate;
            private int _workerProcessor = -1;

            public Job(Action work, ExecutionContext? context)
            {
                _work = work;
                _context = context;
            }

            public bool IsDone => Volatile.Read(ref _done);

            /// <summary>How often waiting for this job gave the processor away (for the tests).</summary>
            internal int TimesYielded { get; private set; }

            /// <summary>
            /// Waits at most <paramref name="bound"/> for the end; true when the work has ended. Within the job's first
            /// <see cref="AwakeFor"/> the wait yields instead of sleeping, unless it is on the processor the worker started the
            /// job on.
            /// </summary>
            public bool Wait(TimeSpan bound)
            {
                var waited = Stopwatch.StartNew();
                var awake = AwakeFor - _age.Elapsed;
                TimesYielded += YieldWhile(() => !IsDone && !SharesTheWorkersProcessor(), awake < bound ? awake : bound);
                if (IsDone)
                {
                    return true;
                }

                lock (_gate)
                {
                    var left = bound - waited.Elapsed;
                    if (!_done && left > TimeSpan.Zero)
                    {
                        Monitor.Wait(_gate, left);
                    }

                    return _done;
                }
            }

            // On the worker's own processor a waiter that yields holds the worker back each time it wakes from a call to
            // pcscd (Linux, EEVDF scheduler; measured in docs/ARCHITECTURE.md, Performance). Where the worker went after
            // the job started is not followed.
            private bool SharesTheWorkersProcessor()
            {
                var worker = Volatile.Read(ref _workerProcessor);
                return worker >= 0 && CurrentProcessor.Number() == worker;
            }

            /// <summary>Rethrows what the work threw, with its own type and stack.</summary>
            public void ThrowIfFailed() => _failure?.Throw();

            /// <summary>Runs <paramref name="action"/> once the work has ended (at once if it has); one action per job.</summary>
            public void Afterwards(Action action)
            {
                if (Interlocked.Exchange(ref _hasAfterwards, 1) != 0)
                {
                    throw new InvalidOperationException(nameof(Afterwards));
                }

                Volatile.Write(ref _afterwards, action);
                if (Interlocked.CompareExchange(ref _fate, GivenUp, Running) != Running)
                {
                    // The work has ended: nothing runs on what the action releases any more.
                    Interlocked.Exchange(ref _afterwards, null)?.Invoke();
                }
            }

            /// <summary>Runs the work; <paramref name="beforeTheEnd"/> runs after it, just before its end is signalled.</summary>
            internal void Execute(Action? beforeTheEnd = null)
            {
                Volatile.Write(ref _workerProcessor, CurrentProcessor.Number());

                try
                {
                    if (_context == null)
                    {
                        _work();
                    }
                    else
                    {
                        ExecutionContext.Run(_context, state => ((Action)state!)(), _work);
                    }
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    if (Interlocked.CompareExchange(ref _fate, Ended, Running) == GivenUp)
                    {
                        // Given up while it ran: its context is released BEFORE this worker is idle, so a new job is
                        // never queued behind a release that blocks (nobody waits for this one any more).
                        try
                        {
                            Interlocked.Exchange(ref _afterwards, null)?.Invoke();
                        }
                        catch (Exception)
                        {
                            // The clean-up of abandoned work (releasing its context) tells nobody anything if it fails.
                        }
                    }

                    beforeTheEnd?.Invoke();
                    lock (_gate)
                    {
                        _done = true;
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }
    }
}
