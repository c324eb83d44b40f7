using System;
using System.Globalization;
using System.Text;

namespace FinCardPin.Engine.Apdu
{
    /// <summary>Hex text as people read it on card traces: upper case, bytes separated by spaces.</summary>
    internal static class Hex
    {
        public static string Format(byte[] bytes) => Format(bytes, 0, bytes?.Length ?? 0);

        public static string Format(byte[] bytes, int offset, int count)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            var text = new StringBuilder(count * 3);
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    text.Append(' ');
                }

                text.Append(bytes[offset + i].ToString("X2", CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        /// <summary>Parses hex with or without separators (spaces, colons, dashes).</summary>
        public static byte[] Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var digits = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (c == ' ' || c == ':' || c == '-')
                {
                    continue;
                }

                if (!Uri.IsHexDigit(c))
                {
                    throw new FormatException("not hex: '" + c + "'");
                }

                digits.Append(c);
            }

            if (digits.Length % 2 != 0)
            {
                throw new FormatException("hex: odd length");
            }

            var bytes = new byte[digits.Length / 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = byte.Parse(digits.ToString(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }

            return bytes;
        }
    }
}
