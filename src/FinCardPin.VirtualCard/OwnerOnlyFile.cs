using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// Creates a new file that only its owner can read: a virtual card file holds its codes in clear. On Unix mode 0600
    /// (chmod(2), set while the file is still empty); on Windows a protected DACL with one entry, full access for the
    /// file's owner (OWNER RIGHTS, S-1-3-4, written as a SID string: Microsoft's "Security Descriptor String Format"), given to
    /// CreateFileW so the file never exists with inherited access. netstandard2.0 has neither File.SetUnixFileMode
    /// nor FileSystemAclExtensions, hence the platform calls.
    /// </summary>
    internal static class OwnerOnlyFile
    {
        private const string OwnerOnlyDescriptor = "D:P(A;;FA;;;S-1-3-4)";
        private const uint OwnerReadWrite = 0x180; // 0600

        /// <summary>A stream on a new file at <paramref name="path"/> (it must not exist), readable by its owner only.</summary>
        public static FileStream Create(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return CreateOnWindows(path);
            }

            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            try
            {
                if (NativeMethods.chmod(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(path) + "\0"), OwnerReadWrite) != 0)
                {
                    throw new IOException("chmod 0600 failed for " + path + ": errno " + Marshal.GetLastWin32Error());
                }

                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        private static FileStream CreateOnWindows(string path)
        {
            if (!NativeMethods.ConvertStringSecurityDescriptorToSecurityDescriptorW(OwnerOnlyDescriptor, 1, out var descriptor, IntPtr.Zero))
            {
                throw new IOException("security descriptor: " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
            }

            try
            {
                var attributes = new NativeMethods.SecurityAttributes
                {
                    Length = Marshal.SizeOf<NativeMethods.SecurityAttributes>(),
                    SecurityDescriptor = descriptor,
                };
                const uint GenericWrite = 0x40000000;
                const uint CreateNew = 1;
                const uint Normal = 0x80;
                var handle = NativeMethods.CreateFileW(path, GenericWrite, 0, ref attributes, CreateNew, Normal, IntPtr.Zero);
                if (handle.IsInvalid)
                {
                    var error = Marshal.GetLastWin32Error();
                    handle.Dispose();
                    throw new IOException(path + ": " + new Win32Exception(error).Message);
                }

                return new FileStream(handle, FileAccess.Write);
            }
            finally
            {
                NativeMethods.LocalFree(descriptor);
            }
        }

        private static class NativeMethods
        {
            [StructLayout(LayoutKind.Sequential)]
            internal struct SecurityAttributes
            {
                public int Length;
                public IntPtr SecurityDescriptor;
                public int InheritHandle;
            }

            [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int chmod(byte[] utf8Path, uint mode); // NUL-terminated: netstandard2.0 has no LPUTF8Str

            [DllImport("advapi32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            [return: MarshalAs(UnmanagedType.Bool)]
            internal static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string descriptor, uint revision, out IntPtr securityDescriptor, IntPtr size);

            [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode, ExactSpelling = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            internal static extern SafeFileHandle CreateFileW(string name, uint access, uint share, ref SecurityAttributes attributes, uint disposition, uint flags, IntPtr template);

            [DllImport("kernel32.dll", ExactSpelling = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
            internal static extern IntPtr LocalFree(IntPtr memory);
        }
    }
}
