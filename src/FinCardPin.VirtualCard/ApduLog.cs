using System;
using FinCardPin.Engine.Apdu;
using System.IO;
using System.Text;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// The card's APDU log: one line per command (<c>00 20 00 82 [code redacted] -> 63 C3</c>), appended and
    /// flushed at once, and power events as comment lines starting with <c>#</c>. The data of VERIFY, CHANGE
    /// REFERENCE DATA and RESET RETRY COUNTER (INS 20, 24, 2C) is never written, nor its length. Several cards
    /// (readers) may share one file.
    /// </summary>
    internal sealed class ApduLog
    {
        private static readonly object FileGate = new object();
        private static readonly Encoding Utf8 = new UTF8Encoding(false);

        public ApduLog(string path)
        {
            Path = path ?? throw new ArgumentNullException(nameof(path));
        }

        public string Path { get; }

        /// <summary>Writes "# <paramref name="text"/>".</summary>
        public void Comment(string text) => Append("# " + text);

        public void Command(byte[] command, int length, byte[]? response)
        {
            Append(FormatCommand(command, length) + " -> " + (response == null ? "(card removed)" : response.Length == 0 ? "(no answer)" : Hex.Format(response)));
        }

        /// <summary>The command as the log shows it, with PIN data redacted.</summary>
        public static string FormatCommand(byte[] command, int length)
        {
            if (command == null)
            {
                throw new ArgumentNullException(nameof(command));
            }

            if (length < 0 || length > command.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            if (length <= 5 || !IsPinCommand(command[1]))
            {
                return Hex.Format(command, 0, length);
            }

            // The header in clear; Lc and the data replaced by one marker (Lc would tell an unpadded code's length);
            // a trailing Le in clear.
            int lc = command[4];
            int redacted = lc > 0 && 5 + lc <= length ? lc : length - 5;
            var sb = new StringBuilder();
            sb.Append(Hex.Format(command, 0, 4));
            sb.Append(' ').Append(CommandApdu.RedactedCode);
            int rest = length - 5 - redacted;
            if (rest > 0)
            {
                sb.Append(' ').Append(Hex.Format(command, 5 + redacted, rest));
            }

            return sb.ToString();
        }

        private static bool IsPinCommand(byte ins) => ins == 0x20 || ins == 0x24 || ins == 0x2C;

        private void Append(string line)
        {
            lock (FileGate)
            {
                using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    byte[] bytes = Utf8.GetBytes(line + "\n");
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush();
                }
            }
        }
    }
}
