using System;
using System.Collections.Generic;
using System.Text;

namespace FinCardPin.Engine.Fineid.Pkcs15
{
    /// <summary>
    /// Reads the two PKCS#15 files that say how a card's codes work: EF.ODF (5031), which points to the AODF, and the
    /// AODF with one PinAuthObject per code (PKCS#15 v1.1 section 6.8, ISO/IEC 7816-15). Anything it does not
    /// understand is a <see cref="FormatException"/>, so the caller falls back to the built-in profile instead of
    /// acting on half-read data.
    /// </summary>
    internal static class Pkcs15Parser
    {
        private const int OdfAuthObjectsTag = 0xA8;
        private const int SequenceTag = 0x30;
        private const int OctetStringTag = 0x04;
        private const int Utf8StringTag = 0x0C;
        private const int BitStringTag = 0x03;
        private const int EnumeratedTag = 0x0A;
        private const int IntegerTag = 0x02;
        private const int PinReferenceTag = 0x80;
        private const int TypeAttributesTag = 0xA1;

        /// <summary>The file id (last two bytes of the path) of the AODF the ODF names, or null when it names none.</summary>
        public static byte[]? AodfFileId(byte[] odf)
        {
            foreach (var entry in TlvReader.ReadAll(odf))
            {
                if (entry.Tag != OdfAuthObjectsTag)
                {
                    continue;
                }

                // authObjects [8] PKCS15Objects: a Path (SEQUENCE { OCTET STRING path, ... }) in the files FINEID cards use.
                var inner = Single(entry.Value, SequenceTag, "the ODF's AODF path");
                var path = First(TlvReader.ReadAll(inner.Value), OctetStringTag)
                    ?? throw new FormatException("ODF: AODF entry, no path");
                if (path.Value.Length < 2 || path.Value.Length % 2 != 0)
                {
                    throw new FormatException("The ODF's AODF path has " + path.Value.Length + " bytes.");
                }

                return new[] { path.Value[path.Value.Length - 2], path.Value[path.Value.Length - 1] };
            }

            return null;
        }

        /// <summary>The PIN objects of an AODF, in the card's order. Other authentication objects are skipped.</summary>
        public static IReadOnlyList<PinObject> PinObjects(byte[] aodf)
        {
            var pins = new List<PinObject>();
            foreach (var entry in TlvReader.ReadAll(aodf))
            {
                // pin PinAuthObject is a SEQUENCE; biometric and other templates have context tags and are not codes.
                if (entry.Tag == SequenceTag)
                {
                    pins.Add(ReadPinObject(entry.Value));
                }
            }

            return pins;
        }

        private static PinObject ReadPinObject(byte[] value)
        {
            var parts = TlvReader.ReadAll(value);
            if (parts.Count < 3 || parts[0].Tag != SequenceTag || parts[1].Tag != SequenceTag)
            {
                throw new FormatException("PIN object: no CommonObjectAttributes");
            }

            string? label = null;
            var common = TlvReader.ReadAll(parts[0].Value);
            var labelObject = First(common, Utf8StringTag);
            if (labelObject != null)
            {
                label = Encoding.UTF8.GetString(labelObject.Value);
            }

            var authId = First(TlvReader.ReadAll(parts[1].Value), OctetStringTag)?.Value ?? Array.Empty<byte>();
            TlvObject? typeAttributes = null;
            for (var i = 2; i < parts.Count && typeAttributes == null; i++)
            {
                if (parts[i].Tag == TypeAttributesTag)
                {
                    typeAttributes = parts[i];
                }
            }

            if (typeAttributes == null)
            {
                throw new FormatException("PIN object: no PinAttributes");
            }

            var attributes = TlvReader.ReadAll(Single(typeAttributes.Value, SequenceTag, "PinAttributes").Value);
            var index = 0;
            var flags = ReadFlags(Expect(attributes, ref index, BitStringTag, "pinFlags").Value);
            var pinType = ReadInteger(Expect(attributes, ref index, EnumeratedTag, "pinType").Value);
            var minLength = ReadInteger(Expect(attributes, ref index, IntegerTag, "minLength").Value);
            var storedLength = ReadInteger(Expect(attributes, ref index, IntegerTag, "storedLength").Value);
            int? maxLength = Optional(attributes, ref index, IntegerTag) is { } max ? ReadInteger(max.Value) : (int?)null;
            // Cards write references such as 82 as one byte (80 01 82), which DER reads as -126; OpenSC takes such a
            // byte as the unsigned reference too.
            int? reference = Optional(attributes, ref index, PinReferenceTag) is { } reft
                ? (reft.Value.Length == 1 ? reft.Value[0] : ReadInteger(reft.Value))
                : (int?)null;
            byte? padChar = null;
            if (Optional(attributes, ref index, OctetStringTag) is { } pad)
            {
                if (pad.Value.Length != 1)
                {
                    throw new FormatException("padChar has " + pad.Value.Length + " bytes.");
                }

                padChar = pad.Value[0];
            }

            if (minLength < 0 || storedLength < 0 || maxLength < 0 || reference < 0)
            {
                throw new FormatException("PIN object: negative length/reference");
            }

            return new PinObject(label, authId, flags, pinType, minLength, storedLength, maxLength, reference, padChar);
        }

        private static PinFlags ReadFlags(byte[] bits)
        {
            if (bits.Length == 0 || bits[0] > 7)
            {
                throw new FormatException("pinFlags: not a BIT STRING");
            }

            var flags = 0;
            for (var i = 1; i < bits.Length && i <= 2; i++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((bits[i] & (0x80 >> bit)) != 0)
                    {
                        flags |= 1 << (((i - 1) * 8) + bit);
                    }
                }
            }

            return (PinFlags)flags;
        }

        private static int ReadInteger(byte[] value)
        {
            if (value.Length == 0 || value.Length > 3)
            {
                throw new FormatException("An INTEGER of " + value.Length + " bytes.");
            }

            var result = (value[0] & 0x80) != 0 ? -1 : 0;
            foreach (var b in value)
            {
                result = (result << 8) | b;
            }

            return result;
        }

        private static TlvObject Single(byte[] value, int tag, string what)
        {
            var objects = TlvReader.ReadAll(value);
            if (objects.Count == 0 || objects[0].Tag != tag)
            {
                throw new FormatException(what + " is not where PKCS#15 puts it.");
            }

            return objects[0];
        }

        private static TlvObject Expect(IReadOnlyList<TlvObject> objects, ref int index, int tag, string what)
        {
            if (index >= objects.Count || objects[index].Tag != tag)
            {
                throw new FormatException("PinAttributes lacks " + what + ".");
            }

            return objects[index++];
        }

        private static TlvObject? Optional(IReadOnlyList<TlvObject> objects, ref int index, int tag)
        {
            return index < objects.Count && objects[index].Tag == tag ? objects[index++] : null;
        }

        private static TlvObject? First(IReadOnlyList<TlvObject> objects, int tag)
        {
            foreach (var item in objects)
            {
                if (item.Tag == tag)
                {
                    return item;
                }
            }

            return null;
        }
    }
}
