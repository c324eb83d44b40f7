using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// PC/SC over winscard.dll (the …W entry points): DWORD and LONG are 32-bit, SCARDCONTEXT/SCARDHANDLE are
    /// pointer-sized, reader names UTF-16 with lengths in characters. Works in x64 and x86 processes (Intune runs
    /// 32-bit PowerShell): the only bitness-dependent piece, SCARD_READERSTATE, is chosen by IntPtr.Size.
    /// </summary>
    internal sealed class WindowsPcscApi : IPcscApi
    {
        private const string Library = "winscard.dll";

        public string Name => "Windows Smart Card (winscard.dll)";

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context) =>
            PcscMarshal.FromInt32(NativeMethods.SCardEstablishContext((uint)scope, IntPtr.Zero, IntPtr.Zero, out context));

        public PcscResult ReleaseContext(IntPtr context) =>
            PcscMarshal.FromInt32(NativeMethods.SCardReleaseContext(context));

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            readers = Array.Empty<string>();
            var multiString = IntPtr.Zero;
            var length = PcscMarshal.AutoAllocate32;
            try
            {
                // SCARD_AUTOALLOCATE: the service allocates a buffer of the right size in one call (no race
                // between a size query and the data query); it is released with SCardFreeMemory.
                var result = PcscMarshal.FromInt32(
                    NativeMethods.SCardListReaders(context, IntPtr.Zero, ref multiString, ref length));
                if (result != PcscResult.Success)
                {
                    return result;
                }

                readers = PcscMarshal.ReadUtf16MultiString(multiString, checked((int)length));
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

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            if (IntPtr.Size == 8)
            {
                return PcscMarshal.GetStatusChange<WindowsReaderState64>(readers, true, AtrBuffer36.Length,
                    (states, count) => PcscMarshal.FromInt32(
                        NativeMethods.SCardGetStatusChange(context, timeoutMilliseconds, states, (uint)count)));
            }

            return PcscMarshal.GetStatusChange<WindowsReaderState32>(readers, true, AtrBuffer36.Length,
                (states, count) => PcscMarshal.FromInt32(
                    NativeMethods.SCardGetStatusChange(context, timeoutMilliseconds, states, (uint)count)));
        }

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            if (readerName == null)
            {
                throw new ArgumentNullException(nameof(readerName));
            }

            var result = NativeMethods.SCardConnect(context, readerName, (uint)shareMode, (uint)preferredProtocols,
                out card, out var active);
            activeProtocol = (Protocols)active;
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols,
            Disposition initialization, out Protocols activeProtocol)
        {
            var result = NativeMethods.SCardReconnect(card, (uint)shareMode, (uint)preferredProtocols,
                (uint)initialization, out var active);
            activeProtocol = (Protocols)active;
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromInt32(NativeMethods.SCardDisconnect(card, (uint)disposition));

        public PcscResult BeginTransaction(IntPtr card) =>
            PcscMarshal.FromInt32(NativeMethods.SCardBeginTransaction(card));

        public PcscResult EndTransaction(IntPtr card, Disposition disposition) =>
            PcscMarshal.FromInt32(NativeMethods.SCardEndTransaction(card, (uint)disposition));

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var sendPci = WindowsIoRequest.For(protocol);
            var length = (uint)receiveLength;

            // send and receive are blittable byte[]: the marshaller pins them and passes their address, no copy.
            var result = NativeMethods.SCardTransmit(card, ref sendPci, send, (uint)sendLength, IntPtr.Zero, receive,
                ref length);
            receiveLength = (int)Math.Min(length, (uint)receive.Length);
            return PcscMarshal.FromInt32(result);
        }

        public PcscResult Cancel(IntPtr context) =>
            PcscMarshal.FromInt32(NativeMethods.SCardCancel(context));

        public uint ControlCode(int functionNumber) => ControlCodes.Windows(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            PcscMarshal.CheckTransmitArguments(send, sendLength, receive, receiveLength);
            var result = NativeMethods.SCardControl(card, controlCode, send, (uint)sendLength, receive,
                (uint)receiveLength, out var returned);
            receiveLength = (int)Math.Min(returned, (uint)receiveLength);
            return PcscMarshal.FromInt32(result);
        }

        /// <summary>winscard.dll, loaded from System32 only (no DLL planting from the current directory).</summary>
        private static class NativeMethods
        {
            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardEstablishContext", ExactSpelling = true)]
            internal static extern int SCardEstablishContext(uint dwScope, IntPtr pvReserved1, IntPtr pvReserved2,
                out IntPtr phContext);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardReleaseContext", ExactSpelling = true)]
            internal static extern int SCardReleaseContext(IntPtr hContext);

            /// <summary>With *pcchReaders = SCARD_AUTOALLOCATE, mszReaders receives a pointer to the service's buffer.</summary>
            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardListReadersW", ExactSpelling = true)]
            internal static extern int SCardListReaders(IntPtr hContext, IntPtr mszGroups, ref IntPtr mszReaders,
                ref uint pcchReaders);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardFreeMemory", ExactSpelling = true)]
            internal static extern int SCardFreeMemory(IntPtr hContext, IntPtr pvMem);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardGetStatusChangeW", ExactSpelling = true)]
            internal static extern int SCardGetStatusChange(IntPtr hContext, uint dwTimeout, IntPtr rgReaderStates,
                uint cReaders);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardConnectW", ExactSpelling = true, CharSet = CharSet.Unicode)]
            internal static extern int SCardConnect(IntPtr hContext, [MarshalAs(UnmanagedType.LPWStr)] string szReader,
                uint dwShareMode, uint dwPreferredProtocols, out IntPtr phCard, out uint pdwActiveProtocol);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardReconnect", ExactSpelling = true)]
            internal static extern int SCardReconnect(IntPtr hCard, uint dwShareMode, uint dwPreferredProtocols,
                uint dwInitialization, out uint pdwActiveProtocol);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardDisconnect", ExactSpelling = true)]
            internal static extern int SCardDisconnect(IntPtr hCard, uint dwDisposition);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardBeginTransaction", ExactSpelling = true)]
            internal static extern int SCardBeginTransaction(IntPtr hCard);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardEndTransaction", ExactSpelling = true)]
            internal static extern int SCardEndTransaction(IntPtr hCard, uint dwDisposition);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardTransmit", ExactSpelling = true)]
            internal static extern int SCardTransmit(IntPtr hCard, ref WindowsIoRequest pioSendPci,
                [In] byte[] pbSendBuffer, uint cbSendLength, IntPtr pioRecvPci, [In, Out] byte[] pbRecvBuffer,
                ref uint pcbRecvLength);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardCancel", ExactSpelling = true)]
            internal static extern int SCardCancel(IntPtr hContext);

            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [DllImport(Library, EntryPoint = "SCardControl", ExactSpelling = true)]
            internal static extern int SCardControl(IntPtr hCard, uint dwControlCode, [In] byte[] lpInBuffer,
                uint cbInBufferSize, [In, Out] byte[] lpOutBuffer, uint cbOutBufferSize, out uint lpBytesReturned);
        }
    }
}
