using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A background thread of its own that runs one piece of work on the card at a time, so that the caller's thread
    /// can wait with a bound while a native PC/SC call that never returns holds only the worker.
    /// Not the thread pool: its idle threads spin without yielding and took a CPU core from pcscd and the card on
    /// two-core machines. Here both sides yield their core for a moment before they sleep: a worker after its work,
    /// for the next piece, and the caller for the first moments of a job (see <see cref="Job.Wait"/>). Idle workers
    /// are kept for the next operation; one stuck in a native call is simply not idle until it returns.
    /// </summary>
    internal sealed class CardWorker
    {
        private static readonly ConcurrentBag<CardWorker> IdleWorkers = new ConcurrentBag<CardWorker>();
        private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Whether both sides of a hand-over stay awake for a moment (below). FINCARDPIN_HANDOVER_AWAKE=0 makes them
        /// sleep at once, as before, so that the benchmark can measure the difference side by side.
        /// </summary>
        private static readonly bool StaysAwake = Environment.GetEnvironmentVariable("FINCARDPIN_HANDOVER_AWAKE") != "0";

        // Declared after StaysAwake: static fields are set in the order they are written.
        private static readonly TimeSpan AwakeForNextJob = StaysAwake ? TimeSpan.FromMilliseconds(0.5) : TimeSpan.Zero;

        private readonly object _gate = new object();
        private Job? _job;

        private CardWorker()
        {
            var thread = new Thread(Serve) { IsBackground = true, Name = "FinCardPin card worker" };
            thread.Start();
        }

        /// <summary>Starts <paramref name="work"/> on an idle worker (a new one when none is idle).</summary>
        public static Job Start(Action work)
        {
            if (!IdleWorkers.TryTake(out var worker))
            {
                worker = new CardWorker();
            }

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
                    job.Execute();
                    IdleWorkers.Add(this);
                    StayAwakeForNextJob();
                }
            }
        }

        // An operation hands work over several times in a row (the reader list, then each card): a worker that yields
        // for a moment takes the next piece at once, where one asleep is woken a tenth of a millisecond or more later.
        private void StayAwakeForNextJob() => YieldWhile(() => Volatile.Read(ref _job) == null, AwakeForNextJob);

        // Gives the core to any thread that wants it, again and again, while the condition holds, for at most the time
        // given: a thread kept awake so, unlike one asleep, sees the change as it happens.
        private static void YieldWhile(Func<bool> condition, TimeSpan atMost)
        {
            var yielding = Stopwatch.StartNew();
            while (condition() && yielding.Elapsed < atMost)
            {
                Thread.Yield();
            }
        }

        // A worker that timed out waiting is still in the idle bag; it leaves only if it can take itself out of it.
        private bool TryLeave()
        {
            var kept = new System.Collections.Generic.List<CardWorker>();
            var found = false;
            while (IdleWorkers.TryTake(out var idle))
            {
                if (ReferenceEquals(idle, this))
                {
                    found = true;
                    break;
                }

                kept.Add(idle);
            }

            foreach (var other in kept)
            {
                IdleWorkers.Add(other);
            }

            return found;
        }

        /// <summary>One piece of work: its end can be waited for with a bound, and followed by one more action.</summary>
        internal sealed class Job
        {
            /// <summary>
            /// How long into a job its waiter stays awake. A waiter that has gone to sleep is woken a tenth of a
            /// millisecond or more after the work ends (longer on virtual machines, whose idle cores sleep deeply),
            /// and a fast card's work is over in about a millisecond (build.ps1 Benchmark shows what it costs
            /// Get-CardReader | Get-CardPinStatus). Awake, it yields the core to any thread that wants it (pcscd, the
            /// card's driver); past this it sleeps, so a slow or stuck card costs no CPU.
            /// </summary>
            internal static readonly TimeSpan AwakeFor = StaysAwake ? TimeSpan.FromMilliseconds(2) : TimeSpan.Zero;

            private readonly Stopwatch _age = Stopwatch.StartNew();
            private readonly object _gate = new object();
            private bool _done;
            private readonly Action _work;
            private readonly ExecutionContext? _context;
            private ExceptionDispatchInfo? _failure;
            private Action? _afterwards;
            private int _hasAfterwards;

            public Job(Action work, ExecutionContext? context)
            {
                _work = work;
                _context = context;
            }

            public bool IsDone => Volatile.Read(ref _done);

            /// <summary>
            /// Waits at most <paramref name="bound"/> for the end; true when the work has ended. Within the job's first
            /// <see cref="AwakeFor"/> the wait yields instead of sleeping.
            /// </summary>
            public bool Wait(TimeSpan bound)
            {
                var waited = Stopwatch.StartNew();
                var awake = AwakeFor - _age.Elapsed;
                YieldWhile(() => !IsDone, awake < bound ? awake : bound);

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

            /// <summary>Rethrows what the work threw, with its own type and stack.</summary>
            public void ThrowIfFailed() => _failure?.Throw();

            /// <summary>Runs <paramref name="action"/> once the work has ended (at once if it has); one action per job.</summary>
            public void Afterwards(Action action)
            {
                if (Interlocked.Exchange(ref _hasAfterwards, 1) != 0)
                {
                    throw new InvalidOperationException(nameof(Afterwards));
                }

                // Both sides fence (here the exchange, there the signal and its exchange), so when the work is ending
                // right now at least one side sees the action; whoever takes it out first runs it, exactly once.
                Interlocked.Exchange(ref _afterwards, action);
                if (IsDone)
                {
                    Interlocked.Exchange(ref _afterwards, null)?.Invoke();
                }
            }

            internal void Execute()
            {
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
                    lock (_gate)
                    {
                        _done = true;
                        Monitor.PulseAll(_gate);
                    }

                    var afterwards = Interlocked.Exchange(ref _afterwards, null);
                    try
                    {
                        afterwards?.Invoke();
                    }
                    catch (Exception)
                    {
                        // The clean-up of abandoned work (releasing its context) tells nobody anything if it fails.
                    }
                }
            }
        }
    }
}
