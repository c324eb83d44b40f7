using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>The kinds of keypad a virtual reader can have, after readers others met (pinpad notes of OpenSC, libccid, GnuPG).</summary>
    internal enum VirtualPinPadModel
    {
        /// <summary>No keypad: every control code "not supported", as vpcd answers.</summary>
        None,

        /// <summary>Gemalto GemPC Pinpad / CT700 (08E6:3478): fixed length only, 4-8 digits, verify and modify.</summary>
        FixedLength,

        /// <summary>A Cherry keypad reader (046A:0010): takes the length typed (bmPINBlockString 00), 4-12 digits, verify and modify.</summary>
        VariableLength,

        /// <summary>Lists FEATURE_VERIFY_PIN_DIRECT only (08E6:3437).</summary>
        VerifyOnly,

        /// <summary>Lists MODIFY too but cannot do it: answers it SCARD_E_NOT_TRANSACTED, as libccidtwin does for a GemPC Pinpad without it.</summary>
        ModifyNotTransacted,

        /// <summary>HID Omnikey 3121 (076B:3031): lists a keypad it does not have.</summary>
        FalseClaim,

        /// <summary>Lists a keypad (08E6:3478) but answers every PIN request 6B80 (a structure it does not take).</summary>
        RejectsStructure,
    }

    /// <summary>
    /// A virtual reader's keypad and the holder in front of it: a script of entries, one per prompt — digits ("1234"),
    /// "cancel" (the reader answers 6401), "timeout" (6400), "disabled" (6404). A modify that asks the new code twice
    /// takes two entries for it: two different ones make the reader answer 6402. The keypad puts the digits into the
    /// block's APDU as bmFormatString and the insertion offsets say (PC/SC Part 10 2.5.2-2.5.3) and hands it to the
    /// card. With a file (FINCARDPIN_VIRTUAL_PINPADS) the script is its lines after the first ("model=FixedLength"),
    /// each used entry removed, and every block received appended to "file.seen" as hex (blocks hold no digits), so
    /// another process sees what is left and what was asked.
    /// </summary>
    internal sealed class VirtualPinPad
    {
        /// <summary>Keypad files separated by <see cref="Path.PathSeparator"/>, each in its card's position of FINCARDPIN_VIRTUAL_CARDS; one entry: every reader.</summary>
        public const string EnvironmentVariable = "FINCARDPIN_VIRTUAL_PINPADS";

        // The feature tags and their control codes are written out here, not taken from the engine: a keypad that shared
        // the engine's constants would agree with a wrong one instead of catching it. Only GET_FEATURE_REQUEST's code is
        // the engine's (ControlCodes, in Answer), so a wrong one there is not caught by this keypad but by the PinPad
        // tier's libccidtwin reader.
        private const uint FeatureBase = 0x42330000; // libccid's control codes: 0x42330000 + feature tag
        private const byte VerifyDirect = 0x06;
        private const byte ModifyDirect = 0x07;
        private const byte IfdPinProperties = 0x0A;
        private const byte TlvProperties = 0x12;

        private readonly Queue<string> _script;
        private readonly string? _file;
        private readonly object _lock = new object();

        public VirtualPinPad(VirtualPinPadModel model, IEnumerable<string>? script = null)
        {
            Model = model;
            _script = new Queue<string>(script ?? Array.Empty<string>());
        }

        private VirtualPinPad(VirtualPinPadModel model, IEnumerable<string> script, string file)
            : this(model, script)
        {
            _file = file;
        }

        public VirtualPinPadModel Model { get; }

        /// <summary>Every PIN block received, as hex, in order.</summary>
        public List<string> Seen { get; } = new List<string>();

        /// <summary>The entries not used yet.</summary>
        public IReadOnlyList<string> ScriptLeft
        {
            get
            {
                lock (_lock)
                {
                    return _script.ToArray();
                }
            }
        }

        /// <summary>Reads a keypad file: "model=Name" on the first line, then one script entry per line.</summary>
        public static VirtualPinPad Load(string path)
        {
            var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            var first = lines.Count == 0 ? "model=None" : lines[0];
            if (!first.StartsWith("model=", StringComparison.OrdinalIgnoreCase)
                || !Enum.TryParse(first.Substring(6), true, out VirtualPinPadModel model))
            {
                throw new InvalidDataException(path + ": the first line must be model=" + string.Join("|", Enum.GetNames(typeof(VirtualPinPadModel))));
            }

            return new VirtualPinPad(model, lines.Skip(1), Path.GetFullPath(path));
        }

        /// <summary>Writes a keypad file.</summary>
        public static void Save(string path, VirtualPinPadModel model, IEnumerable<string> script) =>
            File.WriteAllLines(path, new[] { "model=" + model }.Concat(script ?? Array.Empty<string>()));

        /// <summary>SCardControl on this reader. <paramref name="toCard"/> sends an APDU to the card and returns its answer (null: no card).</summary>
        internal PcscResult Control(uint controlCode, byte[] send, int sendLength, Func<byte[], byte[]?> toCard, byte[] receive, ref int receiveLength)
        {
            byte[]? answer;
            var result = Answer(controlCode, send.Take(sendLength).ToArray(), toCard, out answer);
            if (result != PcscResult.Success)
            {
                receiveLength = 0;
                return result;
            }

            if (answer!.Length > receiveLength)
            {
                receiveLength = answer.Length;
                return PcscResult.InsufficientBuffer;
            }

            Buffer.BlockCopy(answer, 0, receive, 0, answer.Length);
            receiveLength = answer.Length;
            return PcscResult.Success;
        }

        private PcscResult Answer(uint code, byte[] block, Func<byte[], byte[]?> toCard, out byte[]? answer)
        {
            answer = null;
            if (Model == VirtualPinPadModel.None)
            {
                return PcscResult.Unexpected;
            }

            if (code == ControlCodes.PcscLite(ControlCodes.GetFeatureRequestFunction) || code == ControlCodes.Windows(ControlCodes.GetFeatureRequestFunction))
            {
                answer = Features();
                return PcscResult.Success;
            }

            if (code == FeatureBase + TlvProperties)
            {
                answer = Properties();
                return PcscResult.Success;
            }

            if (code == FeatureBase + IfdPinProperties)
            {
                answer = new byte[] { 0x00, 0x00, 0x02, 0x1E }; // no display, OK key, 30 s
                return PcscResult.Success;
            }

            var verify = code == FeatureBase + VerifyDirect;
            var modify = code == FeatureBase + ModifyDirect;
            if (!verify && !(modify && HasModify))
            {
                return PcscResult.Unexpected;
            }

            lock (_lock)
            {
                var seen = Engine.Apdu.Hex.Format(block).Replace(" ", string.Empty);
                Seen.Add(seen);
                if (_file != null)
                {
                    File.AppendAllLines(_file + ".seen", new[] { seen });
                }

                if (Model == VirtualPinPadModel.FalseClaim || (modify && Model == VirtualPinPadModel.ModifyNotTransacted))
                {
                    return PcscResult.NotTransacted;
                }

                var sw = Model == VirtualPinPadModel.RejectsStructure ? Sw(0x6B, 0x80) : Entry(block, modify, toCard);
                if (sw == null)
                {
                    return PcscResult.RemovedCard;
                }

                SaveScript();
                answer = sw;
                return PcscResult.Success;
            }
        }

        private bool HasModify => Model != VirtualPinPadModel.VerifyOnly;

        private byte[]? Entry(byte[] block, bool modify, Func<byte[], byte[]?> toCard)
        {
            var header = modify ? 24 : 19;
            if (block.Length < header + 4)
            {
                return Sw(0x6B, 0x80);
            }

            var dataLength = BitConverter.ToInt32(block, header - 4);
            var format = block[2];
            var blockSize = block[3] & 0x0F;
            var max = block[modify ? 7 : 5];
            var min = block[modify ? 8 : 6];
            var confirm = modify ? block[9] : 0;
            var (readerMin, readerMax) = Range();

            // Only what the engine sends is emulated: ASCII, byte positions, no length field (others answer 6B80, as a
            // reader answers a structure it cannot use).
            if (header + dataLength != block.Length || (format & 0x83) != 0x82 || block[4] != 0
                || (blockSize == 0 && Model == VirtualPinPadModel.FixedLength) || (!modify && block[7] != 0x02) || (modify && block[10] != 0x02))
            {
                return Sw(0x6B, 0x80);
            }

            var apdu = new byte[dataLength];
            Buffer.BlockCopy(block, header, apdu, 0, dataLength);
            var position = (format >> 3) & 0x0F;
            var prompts = new List<string>();
            var count = modify ? ((confirm & 0x02) != 0 ? 1 : 0) + 1 + ((confirm & 0x01) != 0 ? 1 : 0) : 1;
            for (var i = 0; i < count; i++)
            {
                var entry = _script.Count == 0 ? "timeout" : _script.Dequeue();
                switch (entry.ToLowerInvariant())
                {
                    case "timeout": return Sw(0x64, 0x00);
                    case "cancel": return Sw(0x64, 0x01);
                    case "disabled": return Sw(0x64, 0x04);
                }

                if (entry.Length < Math.Max(min, readerMin) || entry.Length > Math.Min(max == 0 ? 99 : max, readerMax) || !entry.All(c => c >= '0' && c <= '9')
                    || (blockSize != 0 && entry.Length > blockSize))
                {
                    return Sw(0x64, 0x03);
                }

                prompts.Add(entry);
            }

            if (modify && (confirm & 0x01) != 0 && prompts[prompts.Count - 1] != prompts[prompts.Count - 2])
            {
                return Sw(0x64, 0x02);
            }

            var current = modify && (confirm & 0x02) != 0 ? prompts[0] : null;
            var typed = modify ? prompts[(confirm & 0x02) != 0 ? 1 : 0] : prompts[0];
            byte[] command;
            if (blockSize != 0)
            {
                command = apdu;
                var newOffset = modify ? block[6] : 0;
                var oldOffset = modify ? block[5] : 0;
                if (current != null)
                {
                    Write(command, 5 + position + oldOffset, current);
                }

                if (command.Length < 5 + position + newOffset + blockSize)
                {
                    return Sw(0x6B, 0x80);
                }

                Write(command, 5 + position + newOffset, typed);
            }
            else
            {
                // The reader sets Lc and appends the digits (the template is the header, or the header with Lc 00).
                var digits = (current ?? string.Empty) + typed;
                command = new byte[5 + digits.Length];
                Buffer.BlockCopy(apdu, 0, command, 0, 4);
                command[4] = (byte)digits.Length;
                Write(command, 5, digits);
            }

            var response = toCard(command);
            Array.Clear(command, 0, command.Length);
            return response == null || response.Length < 2 ? null : new[] { response[response.Length - 2], response[response.Length - 1] };
        }

        private static void Write(byte[] command, int offset, string digits)
        {
            for (var i = 0; i < digits.Length; i++)
            {
                command[offset + i] = (byte)digits[i];
            }
        }

        private void SaveScript()
        {
            if (_file != null)
            {
                Save(_file, Model, _script);
            }
        }

        private (int Min, int Max) Range()
        {
            switch (Model)
            {
                case VirtualPinPadModel.FixedLength:
                case VirtualPinPadModel.ModifyNotTransacted:
                case VirtualPinPadModel.RejectsStructure:
                    return (4, 8);
                default:
                    return (4, 12);
            }
        }

        private (int Vendor, int Product) UsbId()
        {
            switch (Model)
            {
                case VirtualPinPadModel.VariableLength: return (0x046A, 0x0010);
                case VirtualPinPadModel.VerifyOnly: return (0x08E6, 0x3437);
                case VirtualPinPadModel.FalseClaim: return (0x076B, 0x3031);
                default: return (0x08E6, 0x3478);
            }
        }

        private byte[] Features()
        {
            var tags = new List<byte> { VerifyDirect };
            if (HasModify)
            {
                tags.Add(ModifyDirect);
            }

            tags.Add(IfdPinProperties);
            tags.Add(TlvProperties);
            var answer = new List<byte>();
            foreach (var tag in tags)
            {
                var code = FeatureBase + tag;
                answer.AddRange(new byte[] { tag, 4, (byte)(code >> 24), (byte)(code >> 16), (byte)(code >> 8), (byte)code });
            }

            return answer.ToArray();
        }

        private byte[] Properties()
        {
            var (min, max) = Range();
            var (vendor, product) = UsbId();
            return new byte[]
            {
                0x01, 2, 0x00, 0x00,                          // wLcdLayout: no display
                0x02, 1, 0x02,                                // bEntryValidationCondition: OK key
                0x03, 1, 0x1E,                                // bTimeOut2
                0x06, 1, (byte)min,                           // bMinPINSize
                0x07, 1, (byte)max,                           // bMaxPINSize
                0x0B, 2, (byte)vendor, (byte)(vendor >> 8),   // wIdVendor
                0x0C, 2, (byte)product, (byte)(product >> 8), // wIdProduct
            };
        }

        private static byte[] Sw(byte sw1, byte sw2) => new[] { sw1, sw2 };

        /// <summary>For messages: the model and what is left of the script.</summary>
        public override string ToString() => Model.ToString() + " (" + ScriptLeft.Count.ToString(CultureInfo.InvariantCulture) + " entries left)";
    }
}
