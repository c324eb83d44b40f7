using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// PC/SC over Apple's PCSC.framework, loaded by its absolute path (the bare framework name does not resolve on
    /// .NET 8, pcsc-sharp PR #119). DWORD and LONG are 32-bit, SCARDCONTEXT and SCARDHANDLE are 32-bit too (carried
    /// in <see cref="IntPtr"/> zero-extended), reader names UTF-8 with lengths in bytes, SCARD_READERSTATE packed.
    /// </summary>
    internal sealed class MacPcscApi : IPcscApi
    {
        private const string Library = "/System/Library/Frameworks/PCSC.framework/PCSC";

        /// <summary>A reader may arrive between the size query and the data query: retry that many times.</summary>
        private const int ListReadersAttempts = 4;

        public string Name => "macOS PC/SC (PCSC.framework)";

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            var result = NativeMethods.SCardEstablishContext((uint)scope, IntPtr.Zero, IntPtr.Zero, out var native);
            context = ToIntPtr(native);
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult ReleaseContext(IntPtr context) =>
            PcscMarshal.FromInt32(NativeMethods.SCardReleaseContext(ToHandle(context)));

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            // Size-then-data with a retry on SCARD_E_INSUFFICIENT_BUFFER: SCARD_AUTOALLOCATE support in Apple's
            // reimplementation is not documented, and the retry closes the race it would avoid.
            readers = Array.Empty<string>();
            var handle = ToHandle(context);
            var result = PcscResult.InsufficientBuffer;
            for (var attempt = 0; attempt < ListReadersAttempts && result == PcscResult.InsufficientBuffer; attempt++)
            {
                uint length = 0;
                result = PcscMarshal.FromInt32(NativeMethods.SCardListReaders(handle, IntPtr.Zero, null, ref length));
                if (result != PcscResult.Success)
                {
                    break;
                }

                if (length == 0)
                {
                    return PcscResult.NoReadersAvailable;
                }

                var buffer = new byte[length];
                result = PcscMarshal.FromInt32(NativeMethods.SCardListReaders(handle, IntPtr.Zero, buffer, ref length));
                if (result == PcscResult.Success)
                {
                    // macOS answers an empty list with a single NUL byte and success.
                    readers = PcscMarshal.ParseUtf8MultiString(buffer, (int)Math.Min(length, (uint)buffer.Length));
                    return readers.Count == 0 ? PcscResult.NoReadersAvailable : PcscResult.Success;
                }
            }

            return result;
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            var handle = ToHandle(context);
            return PcscMarshal.GetStatusChange<MacReaderState>(readers, false, AtrBuffer33.Length,
                (states, count) => PcscMarshal.FromInt32(
                    NativeMethods.SCardGetStatusChange(handle, timeoutMilliseconds, states, (uint)count)));
        }

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            var name = PcscMarshal.ToNullTerminatedUtf8(readerName);
            var result = NativeMethods.SCardConnect(ToHandle(context), name, (uint)shareMode, (uint)preferredProtocols,
                out var native, out var active);
            card = ToIntPtr(native);
            activeProtocol = (Protocols)active;
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols,
            Disposition initialization, out Protocols activeProtocol)
        {
            var result = NativeMethods.SCardReconnect(ToHandle(card), (uint)shareMode, (uint)preferredProtocols,
                (uint)initialization, out var active);
            activeProtocol = (Protocols)active;
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromInt32(NativeMethods.SCardDisconnect(ToHandle(card), (uint)disposition));

        public PcscResult BeginTransaction(IntPtr card) =>
            PcscMarshal.FromInt32(NativeMethods.SCardBeginTransaction(ToHandle(card)));

        public PcscResult EndTransaction(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromInt32(NativeMethods.SCardEndTransaction(ToHandle(card), (uint)disposition));

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var sendPci = MacIoRequest.For(protocol);
            var length = (uint)receiveLength;

            // send and receive are blittable byte[]: the marshaller pins them and passes their address, no copy.
            var result = NativeMethods.SCardTransmit(ToHandle(card), ref sendPci, send, (uint)sendLength, IntPtr.Zero,
                receive, ref length);
            receiveLength = (int)Math.Min(length, (uint)receive.Length);
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Cancel(IntPtr context) =>
            PcscMarshal.FromInt32(NativeMethods.SCardCancel(ToHandle(context)));

        public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var result = NativeMethods.SCardControl132(ToHandle(card), controlCode, send, (uint)sendLength, receive,
                (uint)receiveLength, out var returned);
            receiveLength = (int)Math.Min(returned, (uint)receiveLength);
            return PcscMarshal.FromInt32(result);
        }

        /// <summary>A 32-bit SCARDCONTEXT/SCARDHANDLE carried zero-extended in an IntPtr.</summary>
        internal static IntPtr ToIntPtr(uint handle) => new IntPtr((long)handle);

        /// <summary>The 32-bit handle back from its IntPtr carrier.</summary>
        internal static uint ToHandle(IntPtr handle) => unchecked((uint)handle.ToInt64());

        private static class NativeMethods
        {
            [DllImport(Library, EntryPoint = "SCardEstablishContext", ExactSpelling = true)]
            internal static extern int SCardEstablishContext(uint dwScope, IntPtr pvReserved1, IntPtr pvReserved2,
                out uint phContext);

            [DllImport(Library, EntryPoint = "SCardReleaseContext", ExactSpelling = true)]
            internal static extern int SCardReleaseContext(uint hContext);

            [DllImport(Library, EntryPoint = "SCardListReaders", ExactSpelling = true)]
            internal static extern int SCardListReaders(uint hContext, IntPtr mszGroups, [In, Out] byte[]? mszReaders,
                ref uint pcchReaders);

            [DllImport(Library, EntryPoint = "SCardGetStatusChange", ExactSpelling = true)]
            internal static extern int SCardGetStatusChange(uint hContext, uint dwTimeout, IntPtr rgReaderStates,
                uint cReaders);

            [DllImport(Library, EntryPoint = "SCardConnect", ExactSpelling = true)]
            internal static extern int SCardConnect(uint hContext, [In] byte[] szReader, uint dwShareMode,
                uint dwPreferredProtocols, out uint phCard, out uint pdwActiveProtocol);

            [DllImport(Library, EntryPoint = "SCardReconnect", ExactSpelling = true)]
            internal static extern int SCardReconnect(uint hCard, uint dwShareMode, uint dwPreferredProtocols,
                uint dwInitialization, out uint pdwActiveProtocol);

            [DllImport(Library, EntryPoint = "SCardDisconnect", ExactSpelling = true)]
            internal static extern int SCardDisconnect(uint hCard, uint dwDisposition);

            [DllImport(Library, EntryPoint = "SCardBeginTransaction", ExactSpelling = true)]
            internal static extern int SCardBeginTransaction(uint hCard);

            [DllImport(Library, EntryPoint = "SCardEndTransaction", ExactSpelling = true)]
            internal static extern int SCardEndTransaction(uint hCard, uint dwDisposition);

            [DllImport(Library, EntryPoint = "SCardTransmit", ExactSpelling = true)]
            internal static extern int SCardTransmit(uint hCard, ref MacIoRequest pioSendPci, [In] byte[] pbSendBuffer,
                uint cbSendLength, IntPtr pioRecvPci, [In, Out] byte[] pbRecvBuffer, ref uint pcbRecvLength);

            [DllImport(Library, EntryPoint = "SCardCancel", ExactSpelling = true)]
            internal static extern int SCardCancel(uint hContext);

            /// <summary>
            /// The PC/SC 2 signature. PCSC.framework's plain SCardControl is the old pcsc-lite 1.0 one (no control
            /// code); SCardControl132 is the current one (pcsc-sharp MacOsxNativeMethods, Apple's winscard.h).
            /// </summary>
            [DllImport(Library, EntryPoint = "SCardControl132", ExactSpelling = true)]
            internal static extern int SCardControl132(uint hCard, uint dwControlCode, [In] byte[] pbSendBuffer,
                uint cbSendLength, [In, Out] byte[] pbRecvBuffer, uint cbRecvLength, out uint lpBytesReturned);
        }
    }
}
