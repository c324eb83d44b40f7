using System;
using System.Collections.Generic;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// EF.TokenInfo (PKCS#15: SEQUENCE { version, serialNumber, manufacturerID, label [0], tokenflags, ... }). The outer
    /// SEQUENCE may use a long-form length (30 81 xx / 30 82 xx xx: OpenSC's FinEID code reads past a 4-byte header) and
    /// the file may be longer than one READ BINARY, so the serial is taken from whatever prefix of the file was read
    /// as soon as it is complete there.
    /// </summary>
    public static class TokenInfo
    {
        private const int SequenceTag = 0x30;
        private const int OctetStringTag = 0x04;
        private const int LabelTag = 0x80;

        /// <summary>The serial as text: printable ASCII as it is, anything else as hex; null if absent or not (yet) complete.</summary>
        public static string? ReadSerial(byte[] tokenInfo)
        {
            var serial = Field(tokenInfo, OctetStringTag);
            if (serial == null || serial.Value.Length == 0)
            {
                return null;
            }

            var bytes = new byte[serial.Value.Length];
            Buffer.BlockCopy(tokenInfo, serial.Value.Offset, bytes, 0, bytes.Length);
            foreach (var b in bytes)
            {
                if (b < 0x20 || b > 0x7E)
                {
                    return Hex.Format(bytes).Replace(" ", string.Empty);
                }
            }

            return Encoding.ASCII.GetString(bytes);
        }

        /// <summary>
        /// Where the fields that identify a card or a person are: the serial number and the token label (a card could
        /// be personalised with the holder's name there). The diagnostics report blanks them.
        /// </summary>
        public static IReadOnlyList<(int Offset, int Length)> PersonalFields(byte[] tokenInfo)
        {
            var fields = new List<(int, int)>();
            foreach (var tag in new[] { OctetStringTag, LabelTag })
            {
                var field = Field(tokenInfo, tag);
                if (field != null)
                {
                    fields.Add(field.Value);
                }
            }

            return fields;
        }

        /// <summary>The total length of the file's outer SEQUENCE (header included), or null when the prefix is too short to tell.</summary>
        public static int? EncodedLength(byte[] prefix)
        {
            if (prefix == null)
            {
                throw new ArgumentNullException(nameof(prefix));
            }

            return TlvReader.TryReadHeader(prefix, 0, out _, out var valueStart, out var valueLength) ? valueStart + valueLength : (int?)null;
        }

        // The first top-level field with this tag inside the outer SEQUENCE, complete within the data read so far.
        private static (int Offset, int Length)? Field(byte[] tokenInfo, int wanted)
        {
            if (tokenInfo == null)
            {
                throw new ArgumentNullException(nameof(tokenInfo));
            }

            var start = 0;
            while (start < tokenInfo.Length && (tokenInfo[start] == 0x00 || tokenInfo[start] == 0xFF))
            {
                start++;
            }

            if (!TlvReader.TryReadHeader(tokenInfo, start, out var tag, out var position, out var length) || tag != SequenceTag)
            {
                return null;
            }

            var end = Math.Min(tokenInfo.Length, position + length);
            while (position < end)
            {
                if (!TlvReader.TryReadHeader(tokenInfo, position, out var fieldTag, out var valueStart, out var valueLength)
                    || valueStart + valueLength > end)
                {
                    return null;
                }

                if (fieldTag == wanted)
                {
                    return (valueStart, valueLength);
                }

                position = valueStart + valueLength;
            }

            return null;
        }
    }
}
