using System;
using System.Diagnostics;
using System.Threading;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// Watches the native calls of one PC/SC context from another thread. The thread that makes the calls says when
    /// each starts and ends; the thread that waits for it reads how long the current call has been running, and
    /// may give the whole context up (<see cref="Abandon"/>). From then on no call on it starts: a call that was still
    /// blocked may return later, but nothing more is sent, so an abandoned command never reaches the card later.
    /// Whether a call was running when the context was given up, and whether it carried a code, is decided by one
    /// atomic step, so the waiting thread can tell the user truthfully whether a code may have reached the card.
    /// </summary>
    internal sealed class CallWatch
    {
        // The one field that says what runs: null when idle, the running call, or Given up. One object per call,
        // swapped in and out atomically, so the waiting thread never pairs one call's start or code with the next one's
        // kind and bound (a keypad call's start with a short call's bound would look overdue; a code call given up
        // must be told as one, even when the worker moves on to its next call that very moment).
        private static readonly Call GivenUp = new Call(WaitKind.None, 0, false, TimeSpan.Zero);

        private Call? _current;
        private string? _readerName;

        public bool IsAbandoned => ReferenceEquals(Volatile.Read(ref _current), GivenUp);

        /// <summary>The reader of the latest call that named one (for the messages about a call given up).</summary>
        public string? ReaderName => Volatile.Read(ref _readerName);

        /// <summary>Called before a native call. Throws <see cref="OperationAbandonedException"/> once abandoned.</summary>
        /// <param name="extra">Added to the kind's bound for this call only: the time a keypad gives the holder.</param>
        public void Enter(WaitKind kind, string? readerName = null, bool carriesCode = false, TimeSpan extra = default)
        {
            if (readerName != null)
            {
                Volatile.Write(ref _readerName, readerName);
            }

            var call = new Call(kind, Stopwatch.GetTimestamp(), carriesCode, extra);
            if (Interlocked.CompareExchange(ref _current, call, null) != null)
            {
                throw new OperationAbandonedException();
            }
        }

        /// <summary>Called after the native call returned.</summary>
        public void Exit()
        {
            // Back to idle; an abandoned watch stays abandoned.
            var current = Volatile.Read(ref _current);
            if (current != null && !ReferenceEquals(current, GivenUp))
            {
                Interlocked.CompareExchange(ref _current, null, current);
            }
        }

        /// <summary>The kind of the native call running longer than its bound, or <see cref="WaitKind.None"/>.</summary>
        public WaitKind Overdue(PcscBounds bounds)
        {
            var call = Volatile.Read(ref _current);
            if (call == null || ReferenceEquals(call, GivenUp))
            {
                return WaitKind.None;
            }

            var elapsed = Stopwatch.GetTimestamp() - call.StartedAt;
            return elapsed > (bounds.For(call.Kind) + call.Extra).TotalSeconds * Stopwatch.Frequency ? call.Kind : WaitKind.None;
        }

        /// <summary>Gives the context up. Returns what was running at that moment (default: nothing).</summary>
        public AbandonedCall Abandon()
        {
            var running = Interlocked.Exchange(ref _current, GivenUp);
            return running == null || ReferenceEquals(running, GivenUp)
                ? default
                : new AbandonedCall(running.Kind, running.CarriesCode, running.Extra);
        }

        private sealed class Call
        {
            public Call(WaitKind kind, long startedAt, bool carriesCode, TimeSpan extra)
            {
                Kind = kind;
                StartedAt = startedAt;
                CarriesCode = carriesCode;
                Extra = extra;
            }

            public WaitKind Kind { get; }

            public long StartedAt { get; }

            public bool CarriesCode { get; }

            public TimeSpan Extra { get; }
        }
    }

    /// <summary>The native call that was running when a context was given up; default when none was.</summary>
    internal readonly struct AbandonedCall
    {
        public AbandonedCall(WaitKind kind, bool carriedCode, TimeSpan extra)
        {
            Kind = kind;
            CarriedCode = carriedCode;
            Extra = extra;
        }

        /// <summary><see cref="WaitKind.None"/> when no native call was running.</summary>
        public WaitKind Kind { get; }

        /// <summary>The running call was a command carrying a code: whether the card checked it is unknown.</summary>
        public bool CarriedCode { get; }

        /// <summary>What the call had beyond its kind's bound: the time a keypad gave the holder.</summary>
        public TimeSpan Extra { get; }
    }
}
