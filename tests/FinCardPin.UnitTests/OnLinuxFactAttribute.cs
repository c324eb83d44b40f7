using System;
using System.Runtime.InteropServices;
using Xunit;

namespace FinCardPin.UnitTests
{
    /// <summary>
    /// A test that reads what only Linux tells (/proc) or sets what only Linux has (thread affinity): reported as skipped
    /// elsewhere, and on machines with fewer processors than it needs, never as passed.
    /// </summary>
    public sealed class OnLinuxFactAttribute : FactAttribute
    {
        private int _processors = 1;

        public OnLinuxFactAttribute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Skip = "needs Linux (/proc, thread affinity)";
            }
        }

        /// <summary>The processors the test needs.</summary>
        public int Processors
        {
            get => _processors;
            set
            {
                _processors = value;
                if (Skip == null && Environment.ProcessorCount < value)
                {
                    Skip = $"needs {value} processors; this machine has {Environment.ProcessorCount}";
                }
            }
        }
    }
}
