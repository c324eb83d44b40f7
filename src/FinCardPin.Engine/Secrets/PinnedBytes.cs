using System;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Secrets
{
    /// <summary>
    /// A byte array that the garbage collector may not move for as long as it lives, so that a code written into it
    /// leaves no stale copy behind in memory the collector compacted away; it is zeroed before it is let go. The
    /// array is pinned before anything is written into it.
    /// </summary>
    internal sealed class PinnedBytes : IDisposable
    {
        private readonly byte[] _bytes;
        private GCHandle _pin;

        public PinnedBytes(int length)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            _bytes = new byte[length];
            _pin = GCHandle.Alloc(_bytes, GCHandleType.Pinned);
        }

        /// <summary>The pinned array itself (not a copy): write into it, hand it to a native call, never keep it.</summary>
        public byte[] Array
        {
            get
            {
                if (!_pin.IsAllocated)
                {
                    throw new ObjectDisposedException(nameof(PinnedBytes));
                }

                return _bytes;
            }
        }

        public int Length => _bytes.Length;

        /// <summary>Zeroes the bytes and keeps the array pinned, for the next use.</summary>
        public void Clear() => SecureMemory.Zero(_bytes);

        public void Dispose()
        {
            if (!_pin.IsAllocated)
            {
                return;
            }

            SecureMemory.Zero(_bytes);
            _pin.Free();
        }
    }
}
