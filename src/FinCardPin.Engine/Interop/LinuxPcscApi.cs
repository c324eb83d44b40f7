using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// PC/SC over pcsc-lite's libpcsclite.so.1 on LP64 Linux (x64, arm64). pcsc-lite's DWORD is C unsigned long and
    /// its LONG (every return code, and SCARDCONTEXT/SCARDHANDLE) is C long: 64-bit here. Every DWORD is therefore
    /// marshalled as UIntPtr and every LONG as IntPtr, so each pointer parameter (pcchReaders, pdwActiveProtocol,
    /// pcbRecvLength) points at 8 bytes, as pcsc-lite writes 8. Returned LONGs are truncated to their low 32 bits.
    /// Reader names are UTF-8, lengths in bytes.
    /// </summary>
    internal sealed class LinuxPcscApi : IPcscApi
    {
        private const string Library = "libpcsclite.so.1";

        public string Name => "pcsc-lite (" + Library + ")";

        /// <summary>SCARD_AUTOALLOCATE = (DWORD)-1 at the width of unsigned long.</summary>
        private static UIntPtr AutoAllocate =>
            UIntPtr.Size == 8 ? new UIntPtr(ulong.MaxValue) : new UIntPtr(uint.MaxValue);

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context) =>
            PcscMarshal.FromNativeLong(
                NativeMethods.SCardEstablishContext(Dword((uint)scope), IntPtr.Zero, IntPtr.Zero, out context));

        public PcscResult ReleaseContext(IntPtr context) =>
            PcscMarshal.FromNativeLong(NativeMethods.SCardReleaseContext(context));

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            readers = Array.Empty<string>();
            var multiString = IntPtr.Zero;
            var length = AutoAllocate;
            try
            {
                // SCARD_AUTOALLOCATE: one call, no race between a size query and the data query.
                var result = PcscMarshal.FromNativeLong(
                    NativeMethods.SCardListReaders(context, IntPtr.Zero, ref multiString, ref length));
                if (result != PcscResult.Success)
                {
                    return result;
                }

                readers = PcscMarshal.ReadUtf8MultiString(multiString, checked((int)length.ToUInt64()));
                return readers.Count == 0 ? PcscResult.NoReadersAvailable : PcscResult.Success;
            }
            finally
            {
                if (multiString != IntPtr.Zero)
                {
                    // Its result is not the caller's answer: a buffer the service could not take back leaves nothing
                    // to retry or report, and must not turn a listing that worked into a failure.
                    _ = NativeMethods.SCardFreeMemory(context, multiString);
                }
            }
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers) =>
            PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, AtrBuffer33.Length,
                (states, count) => PcscMarshal.FromNativeLong(
                    NativeMethods.SCardGetStatusChange(context, Dword(timeoutMilliseconds), states, Dword((uint)count))));

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            var name = PcscMarshal.ToNullTerminatedUtf8(readerName);
            var result = NativeMethods.SCardConnect(context, name, Dword((uint)shareMode), Dword((uint)preferredProtocols),
                out card, out var active);
            activeProtocol = (Protocols)unchecked((uint)active.ToUInt64());
            return PcscMarshal.FromNativeLong(result);
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols,
            Disposition initialization, out Protocols activeProtocol)
        {
            var result = NativeMethods.SCardReconnect(card, Dword((uint)shareMode), Dword((uint)preferredProtocols),
                Dword((uint)initialization), out var active);
            activeProtocol = (Protocols)unchecked((uint)active.ToUInt64());
            return PcscMarshal.FromNativeLong(result);
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromNativeLong(NativeMethods.SCardDisconnect(card, Dword((uint)disposition)));

        public PcscResult BeginTransaction(IntPtr card) =>
            PcscMarshal.FromNativeLong(NativeMethods.SCardBeginTransaction(card));

        public PcscResult EndTransaction(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromNativeLong(NativeMethods.SCardEndTransaction(card, Dword((uint)disposition)));

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var sendPci = LinuxIoRequest.For(protocol);
            var length = Dword((uint)receiveLength);

            // send and receive are blittable byte[]: the marshaller pins them and passes their address, no copy.
            var result = NativeMethods.SCardTransmit(card, ref sendPci, send, Dword((uint)sendLength), IntPtr.Zero,
                receive, ref length);
            receiveLength = (int)Math.Min(length.ToUInt64(), (ulong)receive.Length);
            return PcscMarshal.FromNativeLong(result);
        }

        public PcscResult Cancel(IntPtr context) =>
            PcscMarshal.FromNativeLong(NativeMethods.SCardCancel(context));

        public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var result = NativeMethods.SCardControl(card, Dword(controlCode), send, Dword((uint)sendLength), receive,
                Dword((uint)receiveLength), out var returned);
            receiveLength = (int)Math.Min(returned.ToUInt64(), (ulong)receiveLength);
            return PcscMarshal.FromNativeLong(result);
        }

        /// <summary>A 32-bit value zero-extended to unsigned long (INFINITE stays 0xFFFFFFFF, as pcsc-lite compares).</summary>
        private static UIntPtr Dword(uint value) => new UIntPtr(value);

        private static class NativeMethods
        {
            [DllImport(Library, EntryPoint = "SCardEstablishContext", ExactSpelling = true)]
            internal static extern IntPtr SCardEstablishContext(UIntPtr dwScope, IntPtr pvReserved1,
                IntPtr pvReserved2, out IntPtr phContext);

            [DllImport(Library, EntryPoint = "SCardReleaseContext", ExactSpelling = true)]
            internal static extern IntPtr SCardReleaseContext(IntPtr hContext);

            /// <summary>With *pcchReaders = SCARD_AUTOALLOCATE, mszReaders receives a pointer to pcsc-lite's buffer.</summary>
            [DllImport(Library, EntryPoint = "SCardListReaders", ExactSpelling = true)]
            internal static extern IntPtr SCardListReaders(IntPtr hContext, IntPtr mszGroups, ref IntPtr mszReaders,
                ref UIntPtr pcchReaders);

            [DllImport(Library, EntryPoint = "SCardFreeMemory", ExactSpelling = true)]
            internal static extern IntPtr SCardFreeMemory(IntPtr hContext, IntPtr pvMem);

            [DllImport(Library, EntryPoint = "SCardGetStatusChange", ExactSpelling = true)]
            internal static extern IntPtr SCardGetStatusChange(IntPtr hContext, UIntPtr dwTimeout,
                IntPtr rgReaderStates, UIntPtr cReaders);

            [DllImport(Library, EntryPoint = "SCardConnect", ExactSpelling = true)]
            internal static extern IntPtr SCardConnect(IntPtr hContext, [In] byte[] szReader, UIntPtr dwShareMode,
                UIntPtr dwPreferredProtocols, out IntPtr phCard, out UIntPtr pdwActiveProtocol);

            [DllImport(Library, EntryPoint = "SCardReconnect", ExactSpelling = true)]
            internal static extern IntPtr SCardReconnect(IntPtr hCard, UIntPtr dwShareMode,
                UIntPtr dwPreferredProtocols, UIntPtr dwInitialization, out UIntPtr pdwActiveProtocol);

            [DllImport(Library, EntryPoint = "SCardDisconnect", ExactSpelling = true)]
            internal static extern IntPtr SCardDisconnect(IntPtr hCard, UIntPtr dwDisposition);

            [DllImport(Library, EntryPoint = "SCardBeginTransaction", ExactSpelling = true)]
            internal static extern IntPtr SCardBeginTransaction(IntPtr hCard);

            [DllImport(Library, EntryPoint = "SCardEndTransaction", ExactSpelling = true)]
            internal static extern IntPtr SCardEndTransaction(IntPtr hCard, UIntPtr dwDisposition);

            [DllImport(Library, EntryPoint = "SCardTransmit", ExactSpelling = true)]
            internal static extern IntPtr SCardTransmit(IntPtr hCard, ref LinuxIoRequest pioSendPci,
                [In] byte[] pbSendBuffer, UIntPtr cbSendLength, IntPtr pioRecvPci, [In, Out] byte[] pbRecvBuffer,
                ref UIntPtr pcbRecvLength);

            [DllImport(Library, EntryPoint = "SCardCancel", ExactSpelling = true)]
            internal static extern IntPtr SCardCancel(IntPtr hContext);

            /// <summary>pcsc-lite's (DWORD is unsigned long): the 1.1-era signature with an explicit output room.</summary>
            [DllImport(Library, EntryPoint = "SCardControl", ExactSpelling = true)]
            internal static extern IntPtr SCardControl(IntPtr hCard, UIntPtr dwControlCode, [In] byte[] pbSendBuffer,
                UIntPtr cbSendLength, [In, Out] byte[] pbRecvBuffer, UIntPtr cbRecvLength, out UIntPtr lpBytesReturned);
        }
    }
}
