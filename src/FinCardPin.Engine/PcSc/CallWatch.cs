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
        private const int Idle = 0;
        private const int InCall = 1;
        private const int InCodeCall = 2;
        private const int Abandoned = 3;

        private int _state;
        private long _startedAt;
        private int _kind;
        private long _extraTicks;
        private string? _readerName;

        public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

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

            Volatile.Write(ref _kind, (int)kind);
            Volatile.Write(ref _extraTicks, (long)(extra.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
            if (Interlocked.CompareExchange(ref _state, carriesCode ? InCodeCall : InCall, Idle) != Idle)
            {
                throw new OperationAbandonedException();
            }
        }

        /// <summary>Called after the native call returned.</summary>
        public void Exit()
        {
            // Back to idle from either call state; an abandoned watch stays abandoned.
            if (Interlocked.CompareExchange(ref _state, Idle, InCall) != InCall)
            {
                Interlocked.CompareExchange(ref _state, Idle, InCodeCall);
            }
        }

        /// <summary>The kind of the native call running longer than its bound, or <see cref="WaitKind.None"/>.</summary>
        public WaitKind Overdue(PcscBounds bounds)
        {
            var state = Volatile.Read(ref _state);
            if (state != InCall && state != InCodeCall)
            {
                return WaitKind.None;
            }

            var kind = (WaitKind)Volatile.Read(ref _kind);
            var elapsed = Stopwatch.GetTimestamp() - Volatile.Read(ref _startedAt);
            return elapsed > bounds.For(kind).TotalSeconds * Stopwatch.Frequency + Volatile.Read(ref _extraTicks) ? kind : WaitKind.None;
        }

        /// <summary>Gives the context up. Returns what was running at that moment.</summary>
        public AbandonedCall Abandon()
        {
            var prior = Interlocked.Exchange(ref _state, Abandoned);
            var kind = prior == InCall || prior == InCodeCall ? (WaitKind)Volatile.Read(ref _kind) : WaitKind.None;
            return new AbandonedCall(kind, prior == InCodeCall);
        }
    }

    /// <summary>The native call that was running when a context was given up.</summary>
    internal readonly struct AbandonedCall
    {
        public AbandonedCall(WaitKind kind, bool carriedCode)
        {
            Kind = kind;
            CarriedCode = carriedCode;
        }

        /// <summary><see cref="WaitKind.None"/> when no native call was running.</summary>
        public WaitKind Kind { get; }

        /// <summary>The running call was a command carrying a code: whether the card checked it is unknown.</summary>
        public bool CarriedCode { get; }
    }
}
