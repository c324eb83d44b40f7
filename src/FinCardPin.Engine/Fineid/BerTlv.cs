using System;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Finds a tag in BER-TLV data, descending into constructed objects. Parses rather than indexing fixed offsets:
    /// some cards answer less data than others (libelectronic-id PR #54).
    /// </summary>
    internal static class BerTlv
    {
        /// <summary>The value of the first object with <paramref name="tag"/>, or null when there is none.</summary>
        public static byte[]? Find(byte[] data, int tag)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }

            return Find(data, 0, data.Length, tag, depth: 0);
        }

        private static byte[]? Find(byte[] data, int start, int end, int tag, int depth)
        {
            var position = start;
            while (position < end)
            {
                if (data[position] == 0x00 || data[position] == 0xFF)
                {
                    position++; // padding between objects
                    continue;
                }

                if (!TryReadHeader(data, ref position, end, out var foundTag, out var constructed, out var length))
                {
                    return null;
                }

                if (foundTag == tag)
                {
                    var value = new byte[length];
                    Buffer.BlockCopy(data, position, value, 0, length);
                    return value;
                }

                if (constructed && depth < 8)
                {
                    var inner = Find(data, position, position + length, tag, depth + 1);
                    if (inner != null)
                    {
                        return inner;
                    }
                }

                position += length;
            }

            return null;
        }

        private static bool TryReadHeader(byte[] data, ref int position, int end, out int tag, out bool constructed, out int length)
        {
            tag = 0;
            length = 0;
            constructed = (data[position] & 0x20) != 0;
            tag = data[position++];
            if ((tag & 0x1F) == 0x1F)
            {
                do
                {
                    if (position >= end || tag > 0xFFFFFF)
                    {
                        return false;
                    }

                    tag = (tag << 8) | data[position];
                }
                while ((data[position++] & 0x80) != 0);
            }

            if (position >= end)
            {
                return false;
            }

            int first = data[position++];
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                var count = first & 0x7F;
                if (count == 0 || count > 2 || position + count > end)
                {
                    return false;
                }

                for (var i = 0; i < count; i++)
                {
                    length = (length << 8) | data[position++];
                }
            }

            return position + length <= end;
        }
    }
}
