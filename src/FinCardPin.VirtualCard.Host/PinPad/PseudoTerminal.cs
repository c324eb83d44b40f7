using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// A Linux pseudo-terminal: the emulated reader reads and writes the master side; the CCID driver (libccidtwin)
    /// opens the slave side as if it were the reader's serial port. The emulator keeps a descriptor of the slave open
    /// itself, so that reading the master never fails with EIO while the driver has the port closed (between pcscd's
    /// start and its first open, or after it closes the reader).
    /// </summary>
    internal sealed class PseudoTerminal : IDisposable
    {
        private const int ReadWrite = 2;
        private const int NoControllingTerminal = 0x100;
        private const short PollIn = 0x1;
        private const int Interrupted = 4;

        private int _master = -1;
        private int _slave = -1;

        private PseudoTerminal(int master, int slave, string slavePath)
        {
            _master = master;
            _slave = slave;
            SlavePath = slavePath;
        }

        /// <summary>The slave's path (/dev/pts/N): what the driver opens.</summary>
        public string SlavePath { get; }

        public static PseudoTerminal Open()
        {
            int master = NativeMethods.posix_openpt(ReadWrite | NoControllingTerminal);
            if (master < 0)
            {
                throw new IOException("posix_openpt: " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
            }

            try
            {
                if (NativeMethods.grantpt(master) != 0 || NativeMethods.unlockpt(master) != 0)
                {
                    throw new IOException("grantpt/unlockpt: " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
                }

                var name = new byte[256];
                int error = NativeMethods.ptsname_r(master, name, (UIntPtr)name.Length);
                if (error != 0)
                {
                    throw new IOException("ptsname_r: " + new Win32Exception(error).Message);
                }

                string path = Encoding.UTF8.GetString(name, 0, Array.IndexOf(name, (byte)0));
                int slave = NativeMethods.open(NulTerminated(path), ReadWrite | NoControllingTerminal);
                if (slave < 0)
                {
                    throw new IOException("open " + path + ": " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
                }

                // Raw from the start: no echo, no line editing, no CR/LF mapping (the driver sets the same when it
                // opens the port; this only covers the moments before).
                var attributes = new byte[128];
                if (NativeMethods.tcgetattr(slave, attributes) == 0)
                {
                    NativeMethods.cfmakeraw(attributes);
                    _ = NativeMethods.tcsetattr(slave, 0, attributes);
                }

                return new PseudoTerminal(master, slave, path);
            }
            catch
            {
                _ = NativeMethods.close(master);
                throw;
            }
        }

        /// <summary>Waits up to <paramref name="timeoutMs"/> for bytes from the driver; returns how many were read (0: none yet).</summary>
        public int Read(byte[] buffer, int timeoutMs)
        {
            var poll = new PollFd { Fd = _master, Events = PollIn };
            int ready = NativeMethods.poll(ref poll, (UIntPtr)1, timeoutMs);
            if (ready < 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error == Interrupted)
                {
                    return 0;
                }

                throw new IOException("poll: " + new Win32Exception(error).Message);
            }

            if (ready == 0)
            {
                return 0;
            }

            IntPtr read = NativeMethods.read(_master, buffer, (UIntPtr)buffer.Length);
            if ((long)read < 0)
            {
                int error = Marshal.GetLastWin32Error();
                if (error == Interrupted)
                {
                    return 0;
                }

                throw new IOException("read: " + new Win32Exception(error).Message);
            }

            return checked((int)read);
        }

        /// <summary>Writes all of <paramref name="bytes"/> to the driver.</summary>
        public void Write(byte[] bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                var rest = new byte[bytes.Length - done];
                Buffer.BlockCopy(bytes, done, rest, 0, rest.Length);
                IntPtr written = NativeMethods.write(_master, rest, (UIntPtr)rest.Length);
                if ((long)written < 0)
                {
                    int error = Marshal.GetLastWin32Error();
                    if (error == Interrupted)
                    {
                        continue;
                    }

                    throw new IOException("write: " + new Win32Exception(error).Message);
                }

                done += checked((int)written);
            }
        }

        public void Dispose()
        {
            if (_slave >= 0)
            {
                _ = NativeMethods.close(_slave);
                _slave = -1;
            }

            if (_master >= 0)
            {
                _ = NativeMethods.close(_master);
                _master = -1;
            }
        }

        private static byte[] NulTerminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int posix_openpt(int flags);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int grantpt(int fd);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int unlockpt(int fd);

            [DllImport("libc")]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int ptsname_r(int fd, byte[] buffer, UIntPtr length);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int open(byte[] utf8Path, int flags);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int close(int fd);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int tcgetattr(int fd, byte[] termios);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int tcsetattr(int fd, int when, byte[] termios);

            [DllImport("libc")]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern void cfmakeraw(byte[] termios);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int poll(ref PollFd fds, UIntPtr count, int timeoutMs);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern IntPtr read(int fd, byte[] buffer, UIntPtr count);

            [DllImport("libc", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern IntPtr write(int fd, byte[] buffer, UIntPtr count);
        }
    }
}
