using System;
using System.Collections.Generic;

namespace FinCardPin.VirtualCard
{
    /// <summary>Byte helpers: the PIN encodings the card accepts, and building answers.</summary>
    internal sealed partial class VirtualFineidCard
    {
        /// <summary>Identity encoding: ASCII digits right-padded with 00 to 12 bytes. Null if malformed.</summary>
        private static string? DecodePadded(byte[] data, int offset)
        {
            int digits = 0;
            while (digits < IdentityPaddedLength && data[offset + digits] != 0x00)
            {
                digits++;
            }

            for (int i = digits; i < IdentityPaddedLength; i++)
            {
                if (data[offset + i] != 0x00)
                {
                    return null;
                }
            }

            return digits == 0 ? null : DecodeDigits(data, offset, digits);
        }

        /// <summary>ASCII digits only, at least one. Null otherwise.</summary>
        private static string? DecodeDigits(byte[] data, int offset, int count)
        {
            if (count <= 0)
            {
                return null;
            }

            var chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    return null;
                }

                chars[i] = (char)b;
            }

            return new string(chars);
        }

        private static bool SameBytes(byte[] a, IReadOnlyList<byte> b)
        {
            if (a.Length != b.Count)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] Slice(byte[] source, int offset, int count)
        {
            var result = new byte[count];
            Buffer.BlockCopy(source, offset, result, 0, count);
            return result;
        }

        private static byte[] Sw(ushort sw) => new[] { (byte)(sw >> 8), (byte)sw };

        private static byte[] Concat(byte[] data, ushort sw)
        {
            var result = new byte[data.Length + 2];
            Buffer.BlockCopy(data, 0, result, 0, data.Length);
            result[data.Length] = (byte)(sw >> 8);
            result[data.Length + 1] = (byte)sw;
            return result;
        }
    }
}
