using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    /// <summary>The native PC/SC binding of the running operating system, chosen once.</summary>
    internal static class PcscPlatform
    {
        private static readonly Lazy<IPcscApi> s_native = new Lazy<IPcscApi>(Create);

        /// <summary>
        /// The binding for this OS: winscard.dll on Windows, pcsc-lite on Linux, PCSC.framework on macOS. Throws
        /// <see cref="PlatformNotSupportedException"/> (every time it is read) on any other OS or process bitness.
        /// A PC/SC library that is missing or incomplete does not throw here: every call then answers
        /// <see cref="PcscResult.NoService"/>.
        /// </summary>
        public static IPcscApi Native => s_native.Value;

        private static MissingLibraryGuard Create()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return new MissingLibraryGuard(new WindowsPcscApi());
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                if (IntPtr.Size != 8)
                {
                    throw new PlatformNotSupportedException("Linux/32-bit");
                }

                return new MissingLibraryGuard(new LinuxPcscApi());
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                if (IntPtr.Size != 8)
                {
                    throw new PlatformNotSupportedException("macOS/32-bit");
                }

                return new MissingLibraryGuard(new MacPcscApi());
            }

            // The message is the platform alone: the cmdlet assembly words the refusal.
            throw new PlatformNotSupportedException(RuntimeInformation.OSDescription);
        }
    }

    /// <summary>
    /// Turns a missing or unusable PC/SC library into <see cref="PcscResult.NoService"/>: no PC/SC library = no
    /// service. .NET loads a DllImport library at the first call, so a Linux host without libpcsclite1 throws
    /// <see cref="DllNotFoundException"/> there; an older library without an entry point throws
    /// <see cref="EntryPointNotFoundException"/>; a library of the other bitness throws
    /// <see cref="BadImageFormatException"/>. The caller maps NoService like a stopped service.
    /// </summary>
    internal sealed class MissingLibraryGuard : IPcscApi
    {
        private readonly IPcscApi _inner;

        internal MissingLibraryGuard(IPcscApi inner)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        }

        public string Name => _inner.Name;

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            try
            {
                return _inner.EstablishContext(scope, out context);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                context = IntPtr.Zero;
                return PcscResult.NoService;
            }
        }

        public PcscResult ReleaseContext(IntPtr context) => Guard(() => _inner.ReleaseContext(context));

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            try
            {
                return _inner.ListReaders(context, out readers);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                readers = Array.Empty<string>();
                return PcscResult.NoService;
            }
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers) =>
            Guard(() => _inner.GetStatusChange(context, timeoutMilliseconds, readers));

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            try
            {
                return _inner.Connect(context, readerName, shareMode, preferredProtocols, out card, out activeProtocol);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                card = IntPtr.Zero;
                activeProtocol = Protocols.Undefined;
                return PcscResult.NoService;
            }
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols,
            Disposition initialization, out Protocols activeProtocol)
        {
            try
            {
                return _inner.Reconnect(card, shareMode, preferredProtocols, initialization, out activeProtocol);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                activeProtocol = Protocols.Undefined;
                return PcscResult.NoService;
            }
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition) =>
            Guard(() => _inner.Disconnect(card, disposition));

        public PcscResult BeginTransaction(IntPtr card) => Guard(() => _inner.BeginTransaction(card));

        public PcscResult EndTransaction(IntPtr card, Disposition disposition) =>
            Guard(() => _inner.EndTransaction(card, disposition));

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            try
            {
                return _inner.Transmit(card, protocol, send, sendLength, receive, ref receiveLength);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                receiveLength = 0;
                return PcscResult.NoService;
            }
        }

        public PcscResult Cancel(IntPtr context) => Guard(() => _inner.Cancel(context));

        public uint ControlCode(int functionNumber) => _inner.ControlCode(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            try
            {
                return _inner.Control(card, controlCode, send, sendLength, receive, ref receiveLength);
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                receiveLength = 0;
                return PcscResult.NoService;
            }
        }

        /// <summary>True for the exceptions that mean "no usable PC/SC library", never for anything else.</summary>
        internal static bool IsMissingLibrary(Exception e) =>
            e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException;

        private static PcscResult Guard(Func<PcscResult> call)
        {
            try
            {
                return call();
            }
            catch (Exception e) when (IsMissingLibrary(e))
            {
                return PcscResult.NoService;
            }
        }
    }
}
