using System;
using System.Runtime.CompilerServices;

namespace FinCardPin.Engine.Secrets
{
    /// <summary>
    /// Zeroes buffers that held a secret. netstandard2.0 has no CryptographicOperations.ZeroMemory; the attributes
    /// keep the JIT from removing a clear of a buffer that is never read again.
    /// </summary>
    internal static class SecureMemory
    {
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static void Zero(byte[]? buffer)
        {
            if (buffer == null)
            {
                return;
            }

            for (var i = 0; i < buffer.Length; i++)
            {
                buffer[i] = 0;
            }
        }

        /// <summary>Compares without an early exit, so the time taken says nothing about where two codes differ.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
        public static bool FixedTimeEquals(byte[] left, byte[] right)
        {
            if (left == null || right == null)
            {
                throw new ArgumentNullException(left == null ? nameof(left) : nameof(right));
            }

            if (left.Length != right.Length)
            {
                return false;
            }

            var difference = 0;
            for (var i = 0; i < left.Length; i++)
            {
                difference |= left[i] ^ right[i];
            }

            return difference == 0;
        }
    }
}
