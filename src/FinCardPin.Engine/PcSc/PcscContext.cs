using System;
using System.Collections.Generic;
using System.Linq;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A PC/SC context: lists readers, reads their state and connects to cards. When the service went away under
    /// an existing context (Windows stops it when the last reader is unplugged; pcscd may restart) the context is
    /// established again once and the call retried.
    /// </summary>
    public sealed class PcscContext : IDisposable
    {
        private const int MaxReaderListRaces = 3;

        private ContextHandle? _handle;

        /// <summary>The context is established at the first call, so that its failure reaches that call's handling.</summary>
        public PcscContext(IPcscApi api)
        {
            Api = api ?? throw new ArgumentNullException(nameof(api));
        }

        public IPcscApi Api { get; }

        /// <summary>Every reader's name; an empty list when none is attached (that is not an error).</summary>
        public IReadOnlyList<string> ListReaders()
        {
            IReadOnlyList<string> readers = Array.Empty<string>();
            var result = WithContext(context => Api.ListReaders(context, out readers));
            if (result == PcscResult.NoReadersAvailable || (PcscErrorMap.MeansContextLost(result) && IsWindows()))
            {
                return Array.Empty<string>();
            }

            ThrowOnFailure(result, null, "listing the card readers");
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

                ThrowOnFailure(result, null, "reading the card readers' state");
                return queries.Select(q => new ReaderSnapshot(q.ReaderName, q.EventState, q.Atr, q.EventCount)).ToArray();
            }
        }

        /// <summary>One reader's state, or an error when no reader has that name.</summary>
        public ReaderSnapshot GetReader(string readerName)
        {
            var query = new[] { new ReaderStateQuery(readerName) };
            var result = WithContext(context => Api.GetStatusChange(context, 0, query));
            ThrowOnFailure(result, readerName, "reading the reader's state");
            return new ReaderSnapshot(readerName, query[0].EventState, query[0].Atr, query[0].EventCount);
        }

        /// <summary>Connects shared, T=0 or T=1, so that other programs (DigiSign, browsers) keep their access.</summary>
        public CardConnection Connect(string readerName)
        {
            var card = IntPtr.Zero;
            var protocol = Protocols.Undefined;
            var result = WithContext(context => Api.Connect(context, readerName, ShareMode.Shared, Protocols.Any, out card, out protocol));
            ThrowOnFailure(result, readerName, "connecting to the card");
            return new CardConnection(Api, readerName, new CardHandle(Api, card), protocol, () => CardLeft(readerName));
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

        public void Dispose() => _handle?.Dispose();

        internal static void ThrowOnFailure(PcscResult result, string? readerName, string operation)
        {
            if (result != PcscResult.Success)
            {
                throw PcscErrorMap.ToException(result, readerName, operation);
            }
        }

        private PcscResult WithContext(Func<IntPtr, PcscResult> call)
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

            var result = call(_handle!.DangerousGetHandle());
            if (retried || !PcscErrorMap.MeansContextLost(result))
            {
                return result;
            }

            _handle.Dispose();
            _handle = null;
            var again = Establish();
            return again == PcscResult.Success ? call(_handle!.DangerousGetHandle()) : again;
        }

        private PcscResult Establish()
        {
            var result = Api.EstablishContext(PcscScope.System, out var context);
            if (result == PcscResult.Success)
            {
                _handle = new ContextHandle(Api, context);
            }

            return result;
        }

        // Windows stops the Smart Card service when the last reader is removed (Windows 8 and later): the context
        // then answers NO_SERVICE / SERVICE_STOPPED / INVALID_HANDLE. With no reader there is nothing to list,
        // which is not a failure. pcscd on Linux and macOS runs without readers, so there it is a real failure.
        private static bool IsWindows() =>
            System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
    }
}
