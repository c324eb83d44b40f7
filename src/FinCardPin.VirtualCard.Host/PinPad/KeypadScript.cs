using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// What the holder "types" on the emulated keypad: the file <c>keypad</c> in the control folder, one line per
    /// PIN-entry command (the first line is taken, and removed from the file, when the reader receives a
    /// PC_to_RDR_Secure). A line holds one word per prompt in the reader's order (current code, new code,
    /// confirmation — only the prompts the structure asks for):
    /// <list type="bullet">
    /// <item>digits: typed, then OK;</item>
    /// <item><c>cancel</c>: the Cancel key (the reader answers 6401);</item>
    /// <item><c>timeout</c>: nothing typed until the reader gives up (6400);</item>
    /// <item><c>wait=&lt;ms&gt;</c> (anywhere on the line): the reader answers only after that long (at most 120 s),
    /// as a holder who takes their time.</item>
    /// </list>
    /// No line (or no file) is a holder who types nothing: a time-out. Lines starting with # are comments.
    /// </summary>
    internal sealed class KeypadEntry : IDisposable
    {
        public const int MaxWaitMs = 120000;

        private readonly List<byte[]?> _prompts;

        private readonly HashSet<int> _cancelAt;

        private KeypadEntry(List<byte[]?> prompts, HashSet<int> cancelAt, int waitMs, bool scripted)
        {
            _prompts = prompts;
            _cancelAt = cancelAt;
            WaitMs = waitMs;
            Scripted = scripted;
        }

        public enum Key
        {
            Digits,
            Cancel,
            Timeout,
        }

        /// <summary>False when no line was there: the holder typed nothing.</summary>
        public bool Scripted { get; }

        public int WaitMs { get; }

        /// <summary>What the holder does at prompt <paramref name="index"/> (0-based); the digits as ASCII '0'..'9'.</summary>
        public Key At(int index, out byte[]? digits)
        {
            digits = null;
            if (index >= _prompts.Count)
            {
                return Key.Timeout;
            }

            byte[]? word = _prompts[index];
            if (word == null)
            {
                return _cancelAt.Contains(index) ? Key.Cancel : Key.Timeout;
            }

            digits = word;
            return Key.Digits;
        }

        /// <summary>Takes the first entry line from <paramref name="path"/> (and removes it from the file).</summary>
        public static KeypadEntry Take(string path)
        {
            if (!File.Exists(path))
            {
                return new KeypadEntry(new List<byte[]?>(), new HashSet<int>(), 0, false);
            }

            string[] lines = File.ReadAllLines(path);
            int taken = -1;
            for (int i = 0; i < lines.Length; i++)
            {
                string trimmed = lines[i].Trim();
                if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                {
                    taken = i;
                    break;
                }
            }

            if (taken < 0)
            {
                return new KeypadEntry(new List<byte[]?>(), new HashSet<int>(), 0, false);
            }

            string line = lines[taken];
            var rest = new StringBuilder();
            for (int i = 0; i < lines.Length; i++)
            {
                if (i != taken)
                {
                    rest.Append(lines[i]).Append('\n');
                }
            }

            File.WriteAllText(path, rest.ToString());
            return Parse(line);
        }

        internal static KeypadEntry Parse(string line)
        {
            var prompts = new List<byte[]?>();
            var cancelAt = new HashSet<int>();
            int wait = 0;
            foreach (string word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith("wait=", StringComparison.Ordinal))
                {
                    if (int.TryParse(word.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int ms))
                    {
                        wait = Math.Min(ms, MaxWaitMs);
                    }

                    continue;
                }

                if (word == "cancel")
                {
                    cancelAt.Add(prompts.Count);
                    prompts.Add(null);
                    continue;
                }

                if (word == "timeout")
                {
                    prompts.Add(null);
                    continue;
                }

                var digits = new byte[word.Length];
                bool allDigits = true;
                for (int i = 0; i < word.Length; i++)
                {
                    if (word[i] < '0' || word[i] > '9')
                    {
                        allDigits = false;
                        break;
                    }

                    digits[i] = (byte)word[i];
                }

                // Anything else the keypad has no key for: the holder gives up (time-out).
                prompts.Add(allDigits ? digits : null);
            }

            return new KeypadEntry(prompts, cancelAt, wait, true);
        }

        public void Dispose()
        {
            foreach (byte[]? digits in _prompts)
            {
                if (digits != null)
                {
                    Array.Clear(digits, 0, digits.Length);
                }
            }
        }
    }
}
