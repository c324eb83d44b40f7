using System;
using System.Collections.Generic;

namespace FinCardPin.Engine.Fineid.Pkcs15
{
    /// <summary>One BER-TLV object: its tag and its value (a copy).</summary>
    internal sealed class TlvObject
    {
        public TlvObject(int tag, byte[] value)
        {
            Tag = tag;
            Value = value;
        }

        public int Tag { get; }

        public byte[] Value { get; }
    }

    /// <summary>
    /// The one BER-TLV reader of the engine. <see cref="ReadAll"/> reads objects one after another, strictly: a length
    /// that runs past the data is malformed (a truncated file), not something to guess around. <see cref="Find"/> looks
    /// for one tag in a card's answer, descending into constructed objects, and parses rather than indexing fixed
    /// offsets: some cards answer less data than others (libelectronic-id PR #54). Short and long-form lengths (81 xx,
    /// 82 xx xx) are both read; OpenSC's FinEID code expects TokenInfo with a long-form outer header.
    /// </summary>
    internal static class TlvReader
    {
        // Nesting deeper than this is no FINEID answer; the bound keeps crafted data from recursing without end.
        private const int MaxDepth = 8;

        /// <summary>The objects in <paramref name="data"/>; 00/FF bytes between objects (file padding) are skipped.</summary>
        /// <exception cref="FormatException">When an object's header or length does not fit the data.</exception>
        public static IReadOnlyList<TlvObject> ReadAll(byte[] data)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }

            var objects = new List<TlvObject>();
            var position = 0;
            while (position < data.Length)
            {
                if (data[position] == 0x00 || data[position] == 0xFF)
                {
                    position++;
                    continue;
                }

                objects.Add(ReadOne(data, ref position, data.Length));
            }

            return objects;
        }

        /// <summary>The header of the first object: its tag, where its value starts and how long the value is.</summary>
        /// <returns>False when the data is too short to hold the header.</returns>
        public static bool TryReadHeader(byte[] data, int start, out int tag, out int valueStart, out int valueLength)
        {
            if (data == null)
            {
                throw new ArgumentNullException(nameof(data));
            }

            var position = start;
            tag = 0;
            valueStart = 0;
            valueLength = 0;
            if (!TryReadTag(data, ref position, data.Length, out tag) || !TryReadLength(data, ref position, data.Length, out valueLength))
            {
                return false;
            }

            valueStart = position;
            return true;
        }

        /// <summary>
        /// The value of the first object with <paramref name="tag"/>, descending into constructed objects; null when
        /// there is none or the data is malformed before it (an answer is read as far as it makes sense, never thrown at).
        /// </summary>
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

                var constructed = (data[position] & 0x20) != 0;
                if (!TryReadTag(data, ref position, end, out var foundTag) || !TryReadLength(data, ref position, end, out var length)
                    || position + length > end)
                {
                    return null;
                }

                if (foundTag == tag)
                {
                    var value = new byte[length];
                    Buffer.BlockCopy(data, position, value, 0, length);
                    return value;
                }

                if (constructed && depth < MaxDepth)
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

        private static TlvObject ReadOne(byte[] data, ref int position, int end)
        {
            if (!TryReadTag(data, ref position, end, out var tag) || !TryReadLength(data, ref position, end, out var length))
            {
                throw new FormatException("TLV header: truncated, byte " + position);
            }

            if (position + length > end)
            {
                throw new FormatException("TLV value: past end (length " + length + ", byte " + position + ")");
            }

            var value = new byte[length];
            Buffer.BlockCopy(data, position, value, 0, length);
            position += length;
            return new TlvObject(tag, value);
        }

        private static bool TryReadTag(byte[] data, ref int position, int end, out int tag)
        {
            tag = 0;
            if (position >= end)
            {
                return false;
            }

            tag = data[position++];
            if ((tag & 0x1F) != 0x1F)
            {
                return true;
            }

            for (var bytes = 1; ; bytes++)
            {
                if (position >= end || bytes > 2)
                {
                    return false;
                }

                var next = data[position++];
                tag = (tag << 8) | next;
                if ((next & 0x80) == 0)
                {
                    return true;
                }
            }
        }

        private static bool TryReadLength(byte[] data, ref int position, int end, out int length)
        {
            length = 0;
            if (position >= end)
            {
                return false;
            }

            int first = data[position++];
            if (first < 0x80)
            {
                length = first;
                return true;
            }

            var count = first & 0x7F;
            if (count == 0 || count > 2 || position + count > end)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | data[position++];
            }

            return true;
        }
    }
}
