using System;
using System.Collections.Generic;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// The PC/SC calls the engine uses, in one platform-neutral shape. Each implementation translates to its own
    /// native ABI (Windows, pcsc-lite, macOS) or serves virtual readers in process. Handles are carried as
    /// <see cref="IntPtr"/> whatever their native width. No method throws for a PC/SC failure: every failure is
    /// a <see cref="PcscResult"/> for the caller to interpret.
    /// </summary>
    internal interface IPcscApi
    {
        /// <summary>A short name for diagnostics, e.g. "pcsc-lite (libpcsclite.so.1)".</summary>
        string Name { get; }

        PcscResult EstablishContext(PcscScope scope, out IntPtr context);

        PcscResult ReleaseContext(IntPtr context);

        /// <summary>
        /// Lists every reader. Returns <see cref="PcscResult.NoReadersAvailable"/> (with an empty list) when there
        /// are none; the caller treats that as an empty list, not as a failure.
        /// </summary>
        PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers);

        /// <summary>
        /// Fills <see cref="ReaderStateQuery.EventState"/>, <see cref="ReaderStateQuery.EventCount"/> and
        /// <see cref="ReaderStateQuery.Atr"/> of every entry. A zero timeout returns at once.
        /// </summary>
        PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers);

        PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol);

        PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization,
            out Protocols activeProtocol);

        PcscResult Disconnect(IntPtr card, Disposition disposition);

        PcscResult BeginTransaction(IntPtr card);

        PcscResult EndTransaction(IntPtr card, Disposition disposition);

        /// <summary>
        /// Sends <paramref name="sendLength"/> bytes of <paramref name="send"/> with the PCI of
        /// <paramref name="protocol"/>; on entry <paramref name="receiveLength"/> is the room in
        /// <paramref name="receive"/>, on return the length of the answer. Must not copy the send buffer into
        /// managed memory that outlives the call: it may hold a PIN.
        /// </summary>
        PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength);

        /// <summary>
        /// SCARD_CTL_CODE(<paramref name="functionNumber"/>) in this platform's form: Windows builds it as a device I/O
        /// control code (FILE_DEVICE_SMARTCARD, METHOD_BUFFERED: 3400 is 0x313520), pcsc-lite and macOS as
        /// 0x42000000 + function (3400 is 0x42000D48). See <see cref="ControlCodes"/>.
        /// </summary>
        uint ControlCode(int functionNumber);

        /// <summary>
        /// SCardControl: sends <paramref name="sendLength"/> bytes of <paramref name="send"/> (0 allowed) to the
        /// reader's driver under <paramref name="controlCode"/>; on entry <paramref name="receiveLength"/> is the room
        /// in <paramref name="receive"/>, on return the length of the answer. A PIN-pad block holds no code (the
        /// reader inserts it), but the same no-copy rule as <see cref="Transmit"/> applies.
        /// </summary>
        PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength);

        /// <summary>Interrupts a blocking SCardGetStatusChange on this context.</summary>
        PcscResult Cancel(IntPtr context);
    }
}
