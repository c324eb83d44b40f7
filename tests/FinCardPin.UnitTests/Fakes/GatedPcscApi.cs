using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using FinCardPin.Engine.Interop;

namespace FinCardPin.UnitTests.Fakes
{
    /// <summary>
    /// Wraps another fake and makes chosen calls block until the test opens the gate, as PC/SC does while another
    /// program holds the card's transaction or a card never answers. Counts what reached the fake after the gate.
    /// </summary>
    internal sealed class GatedPcscApi : IPcscApi
    {
        private readonly IPcscApi _inner;
        // Completion sources rather than events: a call the engine gave up may still wait at the gate when the test
        // is over, and they hold nothing that has to be disposed under it.
        private readonly TaskCompletionSource<bool> _gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _blocked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _lock = new object();
        private readonly List<string> _calls = new List<string>();

        public GatedPcscApi(IPcscApi inner)
        {
            _inner = inner;
        }

        public string Name => "gated " + _inner.Name;

        /// <summary>Connect waits for the gate (pcsc-lite's SCardConnect waits out another program's transaction).</summary>
        public bool BlockConnect { get; set; }

        /// <summary>BeginTransaction waits for the gate (another program's transaction).</summary>
        public bool BlockBeginTransaction { get; set; }

        /// <summary>Transmit of a command starting with this INS waits for the gate (a card that does not answer).</summary>
        public byte? BlockTransmitOfInstruction { get; set; }

        /// <summary>EndTransaction and Disconnect with a reset wait for the gate (a card whose final reset never ends).</summary>
        public bool BlockReset { get; set; }

        /// <summary>SCardReleaseContext blocks at the gate (a service that no longer answers).</summary>
        public bool BlockReleaseContext { get; set; }

        /// <summary>The result a blocked call returns once the gate opens.</summary>
        public PcscResult ResultAfterGate { get; set; } = PcscResult.Success;

        /// <summary>Every call, in order, with the thread it came on marked after the gate opened.</summary>
        public List<string> Calls
        {
            get
            {
                lock (_lock)
                {
                    return new List<string>(_calls);
                }
            }
        }

        /// <summary>Waits until a call is blocked at the gate.</summary>
        public bool WaitUntilBlocked(TimeSpan timeout) => _blocked.Task.Wait(timeout);

        public void OpenGate() => _gate.TrySetResult(true);

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            Record("EstablishContext");
            return _inner.EstablishContext(scope, out context);
        }

        public PcscResult ReleaseContext(IntPtr context)
        {
            Record("ReleaseContext");
            if (BlockReleaseContext)
            {
                WaitAtGate();
            }

            return _inner.ReleaseContext(context);
        }

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers) => _inner.ListReaders(context, out readers);

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers) =>
            _inner.GetStatusChange(context, timeoutMilliseconds, readers);

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols, out IntPtr card, out Protocols activeProtocol)
        {
            Record("Connect");
            if (BlockConnect)
            {
                WaitAtGate();
                Record("Connect returns");
            }

            return _inner.Connect(context, readerName, shareMode, preferredProtocols, out card, out activeProtocol);
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization, out Protocols activeProtocol) =>
            _inner.Reconnect(card, shareMode, preferredProtocols, initialization, out activeProtocol);

        public PcscResult Disconnect(IntPtr card, Disposition disposition)
        {
            Record("Disconnect " + disposition);
            if (BlockReset && disposition == Disposition.ResetCard)
            {
                WaitAtGate();
            }

            return _inner.Disconnect(card, disposition);
        }

        public PcscResult BeginTransaction(IntPtr card)
        {
            Record("BeginTransaction");
            if (BlockBeginTransaction)
            {
                WaitAtGate();
                Record("BeginTransaction returns " + ResultAfterGate);
                return ResultAfterGate;
            }

            return _inner.BeginTransaction(card);
        }

        public PcscResult EndTransaction(IntPtr card, Disposition disposition)
        {
            Record("EndTransaction " + disposition);
            if (BlockReset && disposition == Disposition.ResetCard)
            {
                WaitAtGate();
            }

            return _inner.EndTransaction(card, disposition);
        }

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            Record("Transmit " + send[1].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            if (BlockTransmitOfInstruction == send[1])
            {
                WaitAtGate();
                Record("Transmit returns " + ResultAfterGate);
                if (ResultAfterGate != PcscResult.Success)
                {
                    return ResultAfterGate;
                }
            }

            return _inner.Transmit(card, protocol, send, sendLength, receive, ref receiveLength);
        }

        public PcscResult Cancel(IntPtr context)
        {
            Record("Cancel");
            return _inner.Cancel(context);
        }

        /// <summary>A control call with this code waits for the gate (a keypad nobody answers).</summary>
        public uint? BlockControlCode { get; set; }

        public uint ControlCode(int functionNumber) => _inner.ControlCode(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            Record("Control " + controlCode.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            if (BlockControlCode == controlCode)
            {
                WaitAtGate();
                Record("Control returns " + ResultAfterGate);
                if (ResultAfterGate != PcscResult.Success)
                {
                    return ResultAfterGate;
                }
            }

            return _inner.Control(card, controlCode, send, sendLength, receive, ref receiveLength);
        }

        private void WaitAtGate()
        {
            _blocked.TrySetResult(true);
            _gate.Task.Wait();
        }

        private void Record(string call)
        {
            lock (_lock)
            {
                _calls.Add(call);
            }
        }
    }
}
