using System;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// The processor the calling thread runs on, asked of Linux at every call (sched_getcpu, answered in user space).
    /// Not .NET's Thread.GetCurrentProcessorId: it keeps the answer for many calls of a thread, so a thread that has
    /// moved is reported where it was. Only Linux: nothing else needs it (see CardWorker.Job.Wait).
    /// </summary>
    internal static class CurrentProcessor
    {
        private static bool _known = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>The processor's number, or -1 when it cannot be told.</summary>
        public static int Number()
        {
            if (!_known)
            {
                return -1;
            }

            try
            {
                return NativeMethods.sched_getcpu();
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                _known = false;
                return -1;
            }
        }

        private static class NativeMethods
        {
            [DllImport("libc", EntryPoint = "sched_getcpu", ExactSpelling = true)]
            [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
            internal static extern int sched_getcpu();
        }
    }
}
