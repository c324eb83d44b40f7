using System;
using System.Collections.Generic;
using System.Management.Automation.Host;
using System.Text;

namespace FinCardPin
{
    /// <summary>
    /// Text helpers for the module's format views (FinCardPin.format.ps1xml). PowerShell cuts or wraps a value at
    /// any character; these shorten a reader name where it says least, and wrap long advice between words.
    /// </summary>
    public static class Formatting
    {
        private const char Ellipsis = '\u2026';
        private const int NarrowNameWidth = 24;

        // State 11, CardKind 22, CardSerial 10, Chip 20, and the four spaces between the five columns.
        private const int OtherReaderColumns = 11 + 22 + 10 + 20 + 4;
        private const int TailKept = 8;
        private static readonly char[] WordSeparator = { ' ' };

        /// <summary>
        /// The name cut in the middle to <paramref name="width"/> characters. Its start says which reader model it is;
        /// its end (pcsc-lite's "00 00", Windows' " 0") tells two readers of the same model apart.
        /// </summary>
        public static string ShortenMiddle(string? name, int width)
        {
            var text = name ?? string.Empty;
            if (text.Length <= width || width <= TailKept + 2)
            {
                return text;
            }

            var head = width - TailKept - 1;
            return text.Substring(0, head).TrimEnd() + Ellipsis + text.Substring(text.Length - TailKept);
        }

        /// <summary>
        /// How long a reader name may be in the reader table: 24 characters at 80 columns, and what a wider console
        /// leaves beside the other columns (State, CardKind, CardSerial and a Chip of 20), so that a name is not cut
        /// where there is room for it. Where the console's width is unknown (output redirected), 24.
        /// </summary>
        public static int ReaderNameWidth(PSHost? host)
        {
            int width;
            try
            {
                width = host?.UI?.RawUI?.WindowSize.Width ?? 0;
            }
            catch (Exception e) when (e is NotImplementedException || e is NotSupportedException || e is InvalidOperationException || e is HostException || e is System.IO.IOException)
            {
                width = 0;
            }

            return ReaderNameWidth(width);
        }

        /// <summary>The reader name's width for a console of <paramref name="consoleWidth"/> columns.</summary>
        public static int ReaderNameWidth(int consoleWidth) => Math.Max(NarrowNameWidth, consoleWidth - OtherReaderColumns);

        /// <summary>The text broken into lines of at most <paramref name="width"/> characters, between words.</summary>
        public static string WrapWords(string? text, int width)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (var word in text!.Split(WordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                line.Append(word);
            }

            lines.Add(line.ToString());
            return string.Join(Environment.NewLine, lines);
        }
    }
}
