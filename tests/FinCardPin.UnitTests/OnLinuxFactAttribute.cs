using System.Runtime.InteropServices;
using Xunit;

namespace FinCardPin.UnitTests
{
    /// <summary>A test that reads what only Linux tells (/proc): reported as skipped elsewhere, never as passed.</summary>
    public sealed class OnLinuxFactAttribute : FactAttribute
    {
        public OnLinuxFactAttribute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Skip = "reads /proc, which only Linux has";
            }
        }
    }
}
