using System;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The size of an elementary file from a SELECT answer's file control parameters (ISO/IEC 7816-4, FCP template 62:
    /// tag 80 the data bytes, 81 the bytes with structural information), when the card gave them.
    /// </summary>
    internal static class FileControl
    {
        private const int FcpTemplate = 0x62;
        private const int DataSize = 0x80;
        private const int TotalSize = 0x81;

        public static int? Size(byte[] selectAnswer)
        {
            if (selectAnswer.Length == 0)
            {
                return null;
            }

            try
            {
                var outer = TlvReader.ReadAll(selectAnswer);
                if (outer.Count == 0 || outer[0].Tag != FcpTemplate)
                {
                    return null;
                }

                int? total = null;
                foreach (var item in TlvReader.ReadAll(outer[0].Value))
                {
                    if (item.Tag == DataSize && item.Value.Length is > 0 and <= 3)
                    {
                        return Number(item.Value);
                    }

                    if (item.Tag == TotalSize && item.Value.Length is > 0 and <= 3)
                    {
                        total = Number(item.Value);
                    }
                }

                return total;
            }
            catch (FormatException)
            {
                return null; // not a template we understand: read until the card says the file ends
            }
        }

        private static int Number(byte[] bytes)
        {
            var n = 0;
            foreach (var b in bytes)
            {
                n = (n << 8) | b;
            }

            return n;
        }
    }
}
