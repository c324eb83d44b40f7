using System;
using System.Text;

namespace FinCardPin.VirtualCard
{
    /// <summary>Hex text helpers ("00 A4 04 0C", "00A4040C" and "00:A4:04:0C" all parse).</summary>
    internal static class Hex
    {
        public static byte[] Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var digits = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c == ' ' || c == ':' || c == '-' || c == '\t')
                {
                    continue;
                }

                if (!IsHexDigit(c))
                {
                    throw new FormatException("Not a hex string: '" + text + "'.");
                }

                digits.Append(c);
            }

            if (digits.Length % 2 != 0)
            {
                throw new FormatException("Odd number of hex digits: '" + text + "'.");
            }

            var bytes = new byte[digits.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)((ValueOf(digits[2 * i]) << 4) | ValueOf(digits[2 * i + 1]));
            }

            return bytes;
        }

        /// <summary>Upper-case hex with a space between bytes.</summary>
        public static string Format(byte[] bytes, int offset, int count)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            var sb = new StringBuilder(count * 3);
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(bytes[offset + i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        public static string Format(byte[] bytes) => Format(bytes, 0, bytes?.Length ?? 0);

        private static bool IsHexDigit(char c) =>
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        private static int ValueOf(char c)
        {
            if (c <= '9')
            {
                return c - '0';
            }

            return (c | 0x20) - 'a' + 10;
        }
    }
}
