using System;
using System.Collections.Generic;
using System.Text;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// EF.TokenInfo (PKCS#15: SEQUENCE { version, serialNumber, manufacturerID, label [0], tokenflags, ... }). The outer
    /// SEQUENCE may use a long-form length (30 81 xx / 30 82 xx xx: OpenSC's FinEID code reads past a 4-byte header) and
    /// the file may be longer than one READ BINARY, so the serial is taken from whatever prefix of the file was read
    /// as soon as it is complete there.
    /// </summary>
    internal static class TokenInfo
    {
        private const int SequenceTag = 0x30;
        private const int OctetStringTag = 0x04;
        private const int LabelTag = 0x80;

        /// <summary>
        /// The longest serial taken as one. FINEID cards hold their card number as ASCII digits (ten on the cards seen so
        /// far); PKCS#15 (ISO/IEC 7816-15 TokenInfo) bounds the OCTET STRING nowhere, so a bound of our own keeps a
        /// card's bytes out of messages, file names and command lines that someone else reads.
        /// </summary>
        public const int MaxSerialLength = 32;

        /// <summary>
        /// The serial as text when it is one as FINEID cards hold it: 1 to <see cref="MaxSerialLength"/> ASCII digits or
        /// capital letters. Null when it is absent, not (yet) complete, or anything else (<see cref="HasForeignSerial"/>
        /// tells that case apart): a card's bytes are never shown as text unless they are a serial.
        /// </summary>
        public static string? ReadSerial(byte[] tokenInfo)
        {
            var bytes = SerialBytes(tokenInfo);
            return bytes != null && IsFineidSerial(bytes) ? Encoding.ASCII.GetString(bytes) : null;
        }

        /// <summary>Whether the serial field is complete in the data read so far (whatever it holds).</summary>
        public static bool HasSerialField(byte[] prefix) => SerialBytes(prefix) != null;

        /// <summary>The card gives a serial field that is not a FINEID serial (other characters, or too long): read as unknown.</summary>
        public static bool HasForeignSerial(byte[] tokenInfo)
        {
            var bytes = SerialBytes(tokenInfo);
            return bytes != null && !IsFineidSerial(bytes);
        }

        /// <summary>Whether <paramref name="serial"/> is 1 to <see cref="MaxSerialLength"/> ASCII digits or capital letters.</summary>
        public static bool IsFineidSerial(string? serial)
        {
            if (serial == null || serial.Length == 0 || serial.Length > MaxSerialLength)
            {
                return false;
            }

            foreach (var c in serial)
            {
                if (!IsSerialCharacter(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsFineidSerial(byte[] bytes)
        {
            if (bytes.Length > MaxSerialLength)
            {
                return false;
            }

            foreach (var b in bytes)
            {
                if (!IsSerialCharacter((char)b))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsSerialCharacter(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');

        // The serial field's bytes, or null when absent, empty or not complete in the data read so far.
        private static byte[]? SerialBytes(byte[] tokenInfo)
        {
            var serial = Field(tokenInfo, OctetStringTag);
            if (serial == null || serial.Value.Length == 0)
            {
                return null;
            }

            var bytes = new byte[serial.Value.Length];
            Buffer.BlockCopy(tokenInfo, serial.Value.Offset, bytes, 0, bytes.Length);
            return bytes;
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
