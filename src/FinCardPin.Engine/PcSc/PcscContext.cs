using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A PC/SC context: lists readers, reads their state and connects to cards. When the service went away under
    /// an existing context (Windows stops it when the last reader is unplugged; pcscd may restart) the context is
    /// established again once and the call retried.
    /// Work on the card runs through <see cref="Run{T}"/>, which keeps every wait bounded and stoppable: PC/SC itself
    /// waits for ever for a card that never answers or another program that never lets go.
    /// </summary>
    internal sealed class PcscContext : IDisposable
    {
        private const int MaxReaderListRaces = 3;
        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan ExclusiveRetryInterval = TimeSpan.FromMilliseconds(100);

        /// <summary>How long a cmdlet's end waits for the release of its context: a local round trip when the service answers.</summary>
        internal static readonly TimeSpan ReleaseBound = TimeSpan.FromSeconds(1);

        // The watch of the work running on this thread of execution: calls made by a worker that was given up keep
        // meeting its abandoned watch, even after later runs moved on to a fresh one.
        private readonly AsyncLocal<CallWatch?> _workWatch = new AsyncLocal<CallWatch?>();
        private ContextHandle? _handle;
        private CallWatch _watch = new CallWatch();
        private PcscBounds _runBounds;

        /// <summary>The context is established at the first call, so that its failure reaches that call's handling.</summary>
        public PcscContext(IPcscApi api, PcscBounds? bounds = null)
        {
            Api = api ?? throw new ArgumentNullException(nameof(api));
            Bounds = bounds ?? PcscBounds.Default;
            _runBounds = Bounds;
        }

        public IPcscApi Api { get; }

        public PcscBounds Bounds { get; }

        /// <summary>
        /// Runs <paramref name="work"/> (calls on this context and its cards) on a worker thread and waits for it on
        /// this one, so that a native call stuck in PC/SC never holds the caller: past its bound, or when
        /// <paramref name="stop"/> is signalled, the work is given up (see <see cref="CallWatch"/>), its native context
        /// is released once the stuck call returns, and later calls on this object use a fresh one.
        /// <paramref name="poll"/> runs on this thread while waiting (e.g. to write traces the work queued).
        /// </summary>
        public T Run<T>(Func<T> work, CancellationToken stop, Action? poll = null, PcscBounds? bounds = null)
        {
            if (work == null)
            {
                throw new ArgumentNullException(nameof(work));
            }

            if (stop.IsCancellationRequested)
            {
                throw Stopped(default);
            }

            var limits = bounds ?? Bounds;
            _runBounds = limits;
            var watch = _watch;
            var result = default(T)!;
            var job = CardWorker.Start(() =>
            {
                try
                {
                    _workWatch.Value = watch;
                    result = work();
                }
                finally
                {
                    _workWatch.Value = null;
                }
            });
            try
            {
                while (!job.Wait(PollInterval))
                {
                    poll?.Invoke();
                    if (stop.IsCancellationRequested)
                    {
                        throw Stopped(GiveUp(watch, job), watch.ReaderName);
                    }

                    var overdue = watch.Overdue(limits);
                    if (overdue != WaitKind.None)
                    {
                        var call = GiveUp(watch, job);
                        throw OverdueError(call.Kind == WaitKind.None ? overdue : call.Kind, call.CarriedCode, watch.ReaderName, limits, call.Extra);
                    }
                }

                poll?.Invoke();
                job.ThrowIfFailed();
                return result;
            }
            finally
            {
                _runBounds = Bounds;
            }
        }

        /// <summary>Every reader's name; an empty list when none is attached (that is not an error).</summary>
        public IReadOnlyList<string> ListReaders()
        {
            IReadOnlyList<string> readers = Array.Empty<string>();
            var result = WithContext(context => Api.ListReaders(context, out readers));
            if (result == PcscResult.NoReadersAvailable || (PcscErrorMap.MeansContextLost(result) && IsWindows()))
            {
                return Array.Empty<string>();
            }

            ThrowOnFailure(result, null, CardOperation.ListReaders);
            return readers;
        }

        /// <summary>
        /// Every reader with its state and ATR, read without talking to any card. A reader unplugged between the
        /// listing and the state query is dropped by listing again.
        /// </summary>
        public IReadOnlyList<ReaderSnapshot> GetReaders()
        {
            for (var attempt = 1; ; attempt++)
            {
                var names = ListReaders();
                if (names.Count == 0)
                {
                    return Array.Empty<ReaderSnapshot>();
                }

                var queries = names.Select(name => new ReaderStateQuery(name)).ToArray();
                var result = WithContext(context => Api.GetStatusChange(context, 0, queries));
                if ((result == PcscResult.UnknownReader || result == PcscResult.ReaderUnavailable) && attempt < MaxReaderListRaces)
                {
                    continue;
                }

                ThrowOnFailure(result, null, CardOperation.ReadReaderStates);
                return queries.Select(q => new ReaderSnapshot(q.ReaderName, q.EventState, q.Atr, q.EventCount)).ToArray();
            }
        }

        /// <summary>One reader's state, or an error when no reader has that name.</summary>
        public ReaderSnapshot GetReader(string readerName)
        {
            var query = new[] { new ReaderStateQuery(readerName) };
            var result = WithContext(context => Api.GetStatusChange(context, 0, query));
            ThrowOnFailure(result, readerName, CardOperation.ReadReaderState);
            return new ReaderSnapshot(readerName, query[0].EventState, query[0].Atr, query[0].EventCount);
        }

        /// <summary>
        /// Connects shared, T=0 or T=1, so that other programs (DigiSign, browsers) keep their access. A reader that
        /// another program holds exclusively is tried again until the card-busy bound.
        /// </summary>
        public CardConnection Connect(string readerName)
        {
            var card = IntPtr.Zero;
            var protocol = Protocols.Undefined;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            PcscResult result;
            while (true)
            {
                // pcsc-lite's SCardConnect itself waits while another program holds the card's transaction.
                result = WithContext(context => Api.Connect(context, readerName, ShareMode.Shared, Protocols.Any, out card, out protocol), WaitKind.CardBusy, readerName);
                if (result != PcscResult.SharingViolation || waited.Elapsed >= _runBounds.CardBusy)
                {
                    break;
                }

                Thread.Sleep(ExclusiveRetryInterval);
            }

            if (result == PcscResult.SharingViolation)
            {
                throw BusyError(readerName, exclusive: true, _runBounds.CardBusy);
            }

            ThrowOnFailure(result, readerName, CardOperation.Connect);
            return new CardConnection(Api, readerName, new CardHandle(Api, card), protocol, CurrentWatch, () => CardLeft(readerName));
        }

        /// <summary>
        /// What the reader's keypad can do. A reader with a card is opened shared, an empty one directly
        /// (SCARD_SHARE_DIRECT, which needs no card); a reader that cannot be opened or asked has no keypad.
        /// </summary>
        public PinPad.PinPadInfo ReadPinPad(string readerName, bool hasCard, bool forReport = false)
        {
            var card = IntPtr.Zero;
            var protocol = Protocols.Undefined;
            var result = WithContext(
                context => Api.Connect(context, readerName, hasCard ? ShareMode.Shared : ShareMode.Direct, hasCard ? Protocols.Any : Protocols.Undefined, out card, out protocol),
                WaitKind.CardBusy, readerName);
            if (result != PcscResult.Success)
            {
                return PinPad.PinPadInfo.Unanswered("SCardConnect", result.ToString());
            }

            using var connection = new CardConnection(Api, readerName, new CardHandle(Api, card), protocol, CurrentWatch);
            return connection.ReadPinPad(forReport);
        }

        /// <summary>
        /// After an answer that makes no sense (an empty one), tells whether the card has left the reader. pcsc-lite
        /// notices a removal only ~0.4 s later, so this waits up to a second for the reader's state to change.
        /// </summary>
        internal bool CardLeft(string readerName)
        {
            const uint settleMilliseconds = 1000;
            var query = new[] { new ReaderStateQuery(readerName) };
            if (WithContext(context => Api.GetStatusChange(context, 0, query)) != PcscResult.Success)
            {
                return true; // the reader itself is gone, and the card with it
            }

            if ((query[0].EventState & ReaderStates.Present) == 0)
            {
                return true;
            }

            // dwCurrentState carries the event counter in its high 16 bits: pass the one seen, to wait for the next event.
            var seen = (uint)(query[0].EventState & ~ReaderStates.Changed) | ((uint)query[0].EventCount << 16);
            var watch = new[] { new ReaderStateQuery(readerName, (ReaderStates)seen) };
            var result = WithContext(context => Api.GetStatusChange(context, settleMilliseconds, watch));
            return result == PcscResult.Success && (watch[0].EventState & ReaderStates.Present) == 0;
        }

        /// <summary>
        /// Releases the native context. SCardReleaseContext talks to the service too, which may not answer: the
        /// release runs on a worker and is waited for at most <see cref="ReleaseBound"/>; one still stuck then finishes
        /// on its worker, and the cmdlet that ends here is not held.
        /// </summary>
        public void Dispose()
        {
            var handle = Interlocked.Exchange(ref _handle, null);
            if (handle != null)
            {
                CardWorker.Start(handle.Dispose).Wait(ReleaseBound);
            }
        }

        internal static void ThrowOnFailure(PcscResult result, string? readerName, CardOperation operation)
        {
            if (result != PcscResult.Success)
            {
                throw PcscErrorMap.ToException(result, readerName, operation);
            }
        }

        internal static FinCardPinException BusyError(string readerName, bool exclusive, TimeSpan waited) =>
            exclusive
                ? new ReaderBusyException(PcscResult.SharingViolation, ErrorIds.ReaderInExclusiveUse + ".Waited") { ReaderName = readerName }.With("waited", waited)
                : new FinCardPinException(ErrorIds.CardBusy, FailureKind.ResourceBusy) { ReaderName = readerName }.With("waited", waited);

        private static FinCardPinException OverdueError(WaitKind kind, bool carriedCode, string? readerName, PcscBounds limits, TimeSpan extra)
        {
            switch (kind)
            {
                case WaitKind.CardBusy:
                    return BusyError(readerName ?? string.Empty, exclusive: false, limits.CardBusy).With("reader", readerName);
                case WaitKind.CardAnswer:
                    var silent = new FinCardPinException(ErrorIds.CardNotAnswering, FailureKind.OperationTimeout) { ReaderName = readerName }
                        .With("waited", limits.CardAnswer + extra);
                    return carriedCode ? CardConnection.CodeOutcomeUnknown(readerName, silent) : silent;
                default:
                    return new PcscException(PcscResult.Timeout, ErrorIds.SmartCardTimeout, FailureKind.OperationTimeout, ErrorIds.SmartCardTimeout + ".Waited") { ReaderName = readerName }
                        .With("waited", limits.CardAnswer);
            }
        }

        // A keypad request goes on in the reader after a stop (SCardCancel does not end SCardControl): the reader may
        // still ask for the code, and a code typed there still reaches the card, so the holder is told so.
        private static OperationStoppedException Stopped(AbandonedCall call, string? readerName = null)
        {
            if (!call.CarriedCode)
            {
                return new OperationStoppedException(ErrorIds.OperationCancelled, ErrorIds.OperationCancelled + ".Stopped");
            }

            return call.Extra > TimeSpan.Zero
                ? (OperationStoppedException)new OperationStoppedException(ErrorIds.PinOutcomeUnknown, ErrorIds.PinOutcomeUnknown + ".StoppedOnPinPad") { ReaderName = readerName }
                    .With("seconds", (int)call.Extra.TotalSeconds)
                : new OperationStoppedException(ErrorIds.PinOutcomeUnknown, ErrorIds.PinOutcomeUnknown + ".Stopped");
        }

        /// <summary>
        /// Gives up the work's context: no further call starts on it, a status wait in progress is interrupted, and
        /// the native context is released once the worker is done. Later calls establish a fresh one.
        /// </summary>
        private AbandonedCall GiveUp(CallWatch watch, CardWorker.Job work)
        {
            var call = watch.Abandon();
            var handle = _handle;
            _handle = null;
            _watch = new CallWatch();
            if (handle != null)
            {
                UsingHandle(handle, context => Api.Cancel(context));
                work.Afterwards(handle.Dispose);
            }

            return call;
        }

        private PcscResult WithContext(Func<IntPtr, PcscResult> call, WaitKind kind = WaitKind.Service, string? readerName = null)
        {
            var retried = false;
            if (_handle == null)
            {
                var established = Establish();
                if (established != PcscResult.Success)
                {
                    return established;
                }

                retried = true; // a fresh context: a second try would not find another
            }

            var handle = _handle!;
            var result = Watched(handle, call, kind, readerName);
            if (retried || !PcscErrorMap.MeansContextLost(result))
            {
                return result;
            }

            handle.Dispose();
            _handle = null;
            var again = Establish();
            return again == PcscResult.Success ? Watched(_handle!, call, kind, readerName) : again;
        }

        private CallWatch CurrentWatch => _workWatch.Value ?? _watch;

        private PcscResult Watched(ContextHandle handle, Func<IntPtr, PcscResult> call, WaitKind kind, string? readerName)
        {
            var watch = CurrentWatch;
            watch.Enter(kind, readerName);
            try
            {
                return UsingHandle(handle, call);
            }
            finally
            {
                watch.Exit();
            }
        }

        private PcscResult Establish()
        {
            var watch = CurrentWatch;
            watch.Enter(WaitKind.Service);
            try
            {
                var result = Api.EstablishContext(PcscScope.System, out var context);
                if (result == PcscResult.Success)
                {
                    _handle = new ContextHandle(Api, context);
                }

                return result;
            }
            finally
            {
                watch.Exit();
            }
        }

        // A reference held for the call, so that a release from another thread (a stop) waits until the call is done.
        internal static PcscResult UsingHandle(System.Runtime.InteropServices.SafeHandle handle, Func<IntPtr, PcscResult> call)
        {
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return call(handle.DangerousGetHandle());
            }
            catch (ObjectDisposedException)
            {
                return PcscResult.InvalidHandle;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        // Windows stops the Smart Card service when the last reader is removed (Windows 8 and later): the context
        // then answers NO_SERVICE / SERVICE_STOPPED / INVALID_HANDLE. With no reader there is nothing to list,
        // which is not a failure. pcscd on Linux and macOS runs without readers, so there it is a real failure.
        private static bool IsWindows() =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
    }
}
