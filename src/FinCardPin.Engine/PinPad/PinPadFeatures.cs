using System.Collections.Generic;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// Parsing of the Part 10 answers. GET_FEATURE_REQUEST: tag, length 4, the control code big-endian (pcsc-lite
    /// reader.h PCSC_TLV_STRUCTURE). FEATURE_GET_TLV_PROPERTIES: tag, length, value little-endian (reader.h
    /// PCSCv2_PART10_PROPERTY_*). FEATURE_IFD_PIN_PROPERTIES: PIN_PROPERTIES_STRUCTURE (wLcdLayout,
    /// bEntryValidationCondition, bTimeOut2: 4 bytes), or the 8-byte form some older Windows drivers answer.
    /// </summary>
    internal static class PinPadFeatures
    {
        public const byte VerifyPinStart = 0x01;
        public const byte VerifyPinFinish = 0x02;
        public const byte ModifyPinStart = 0x03;
        public const byte ModifyPinFinish = 0x04;
        public const byte VerifyPinDirect = 0x06;
        public const byte ModifyPinDirect = 0x07;
        public const byte IfdPinProperties = 0x0A;
        public const byte GetTlvProperties = 0x12;

        public const byte PropertyMinPinSize = 0x06;
        public const byte PropertyMaxPinSize = 0x07;
        public const byte PropertyVendorId = 0x0B;
        public const byte PropertyProductId = 0x0C;

        /// <summary>The features of a GET_FEATURE_REQUEST answer; a malformed tail is dropped (what came before stays).</summary>
        public static Dictionary<byte, uint> ParseFeatures(byte[] answer, int length)
        {
            var features = new Dictionary<byte, uint>();
            for (var i = 0; i + 2 <= length;)
            {
                var tag = answer[i];
                var size = answer[i + 1];
                if (size != 4 || i + 2 + size > length)
                {
                    break;
                }

                var code = (uint)answer[i + 2] << 24 | (uint)answer[i + 3] << 16 | (uint)answer[i + 4] << 8 | answer[i + 5];
                if (!features.ContainsKey(tag))
                {
                    features.Add(tag, code);
                }

                i += 2 + size;
            }

            return features;
        }

        /// <summary>The properties of a FEATURE_GET_TLV_PROPERTIES answer, each value read little-endian (1, 2 or 4 bytes).</summary>
        public static Dictionary<byte, int> ParseProperties(byte[] answer, int length)
        {
            var properties = new Dictionary<byte, int>();
            for (var i = 0; i + 2 <= length;)
            {
                var tag = answer[i];
                var size = answer[i + 1];
                if (i + 2 + size > length)
                {
                    break;
                }

                if (size >= 1 && size <= 4 && !properties.ContainsKey(tag))
                {
                    var value = 0;
                    for (var b = size - 1; b >= 0; b--)
                    {
                        value = (value << 8) | answer[i + 2 + b];
                    }

                    properties.Add(tag, value);
                }

                i += 2 + size;
            }

            return properties;
        }

        /// <summary>wLcdLayout of a PIN_PROPERTIES_STRUCTURE answer (4 bytes, or the older 8-byte form), or null.</summary>
        public static int? LcdLayout(byte[] answer, int length) =>
            length == 4 || length == 8 ? answer[0] | answer[1] << 8 : (int?)null;

        public static string NameOf(byte tag)
        {
            switch (tag)
            {
                case VerifyPinStart: return "VERIFY_PIN_START";
                case VerifyPinFinish: return "VERIFY_PIN_FINISH";
                case ModifyPinStart: return "MODIFY_PIN_START";
                case ModifyPinFinish: return "MODIFY_PIN_FINISH";
                case 0x05: return "GET_KEY_PRESSED";
                case VerifyPinDirect: return "VERIFY_PIN_DIRECT";
                case ModifyPinDirect: return "MODIFY_PIN_DIRECT";
                case 0x08: return "MCT_READER_DIRECT";
                case 0x09: return "MCT_UNIVERSAL";
                case IfdPinProperties: return "IFD_PIN_PROPERTIES";
                case 0x0B: return "ABORT";
                case 0x0C: return "SET_SPE_MESSAGE";
                case 0x0D: return "VERIFY_PIN_DIRECT_APP_ID";
                case 0x0E: return "MODIFY_PIN_DIRECT_APP_ID";
                case 0x0F: return "WRITE_DISPLAY";
                case 0x10: return "GET_KEY";
                case 0x11: return "IFD_DISPLAY_PROPERTIES";
                case GetTlvProperties: return "GET_TLV_PROPERTIES";
                case 0x13: return "CCID_ESC_COMMAND";
                case 0x20: return "EXECUTE_PACE";
                default: return "FEATURE";
            }
        }
    }
}
