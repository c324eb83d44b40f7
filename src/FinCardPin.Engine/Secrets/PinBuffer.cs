using System;
using System.Runtime.InteropServices;
using System.Security;

namespace FinCardPin.Engine.Secrets
{
    /// <summary>
    /// A code as ASCII bytes, taken from a <see cref="SecureString"/> without ever becoming a System.String, and
    /// zeroed on <see cref="Dispose"/>. Characters other than the ASCII digits 0–9 are not kept: the buffer only
    /// remembers that there was one, so that a refusal can say so without repeating the input. The digits live in
    /// pinned memory from the moment they are read until they are zeroed.
    /// </summary>
    internal sealed class PinBuffer : IDisposable
    {
        private readonly PinnedBytes _digits;
        private bool _disposed;

        private PinBuffer(PinnedBytes digits, bool isAllAsciiDigits)
        {
            _digits = digits;
            IsAllAsciiDigits = isAllAsciiDigits;
        }

        public int Length => _digits.Length;

        /// <summary>False when the input held anything but '0'–'9' (other Unicode digits included).</summary>
        public bool IsAllAsciiDigits { get; }

        public static PinBuffer FromSecureString(SecureString secret)
        {
            if (secret == null)
            {
                throw new ArgumentNullException(nameof(secret));
            }

            var length = secret.Length;
            var digits = new PinnedBytes(length);
            var allDigits = true;
            var unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
                for (var i = 0; i < length; i++)
                {
                    var c = Marshal.ReadInt16(unmanaged, i * 2);
                    if (c >= '0' && c <= '9')
                    {
                        digits.Array[i] = (byte)c;
                    }
                    else
                    {
                        allDigits = false;
                    }
                }
            }
            catch
            {
                digits.Dispose();
                throw;
            }
            finally
            {
                if (unmanaged != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                }
            }

            return new PinBuffer(digits, allDigits);
        }

        /// <summary>Copies the digits into <paramref name="destination"/> (a buffer the caller zeroes after use).</summary>
        public void CopyTo(byte[] destination, int offset)
        {
            ThrowIfDisposed();
            Buffer.BlockCopy(_digits.Array, 0, destination, offset, _digits.Length);
        }

        public bool SameDigitsAs(PinBuffer other)
        {
            if (other == null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            ThrowIfDisposed();
            other.ThrowIfDisposed();
            return SecureMemory.FixedTimeEquals(_digits.Array, other._digits.Array);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _digits.Dispose();
                _disposed = true;
            }
        }

        private void ThrowIfDisposed()
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(PinBuffer));
            }
        }
    }
}
