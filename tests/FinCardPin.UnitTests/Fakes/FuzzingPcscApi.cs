using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Interop;

namespace FinCardPin.UnitTests.Fakes
{
    /// <summary>
    /// A card that answers at random: plausible answers to what was asked (then often mutated), random bytes, truncated
    /// and malformed TLVs, 61xx/6Cxx that never end, impossible counters, and PC/SC failures in the middle. Seeded,
    /// so a failing run can be repeated. It records every command that carried a code (VERIFY, CHANGE, RESET RETRY
    /// COUNTER with data) for the "at most once" property.
    /// </summary>
    internal sealed class FuzzingPcscApi : IPcscApi
    {
        public const string ReaderName = "Fuzz Reader 0";

        private static readonly ushort[] InterestingStatusWords =
        {
            0x9000, 0x6282, 0x6300, 0x63C0, 0x63C1, 0x63C2, 0x63C4, 0x63C5, 0x63C6, 0x63C9, 0x63CF, 0x6400, 0x6581,
            0x6700, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6A80, 0x6A81, 0x6A82, 0x6A86, 0x6A88, 0x6B00, 0x6D00,
            0x6E00, 0x6F00, 0x6100, 0x6101, 0x61FF, 0x6C00, 0x6C01, 0x6C0C, 0x6CFF, 0x0000, 0xFFFF,
        };

        private static readonly PcscResult[] Failures =
        {
            PcscResult.ResetCard, PcscResult.RemovedCard, PcscResult.NotTransacted, PcscResult.CommunicationError,
            PcscResult.UnresponsiveCard, PcscResult.SharingViolation, PcscResult.InvalidHandle, PcscResult.NoService,
            PcscResult.ProtocolMismatch, PcscResult.InsufficientBuffer, PcscResult.Timeout,
        };

        private readonly Random _random;
        private readonly byte[] _atr;
        private readonly Protocols _protocol;

        public FuzzingPcscApi(Random random, byte[] atr, Protocols protocol)
        {
            _random = random;
            _atr = atr;
            _protocol = protocol;
        }

        public string Name => "fuzzing fake";

        /// <summary>Answers (and failures) given so far, over the fake's life.</summary>
        public int AnswersGiven { get; private set; }

        /// <summary>The commands that carried a code, as hex, since <see cref="StartOperation"/>.</summary>
        public List<string> CodeCommands { get; } = new List<string>();

        /// <summary>True when, since <see cref="StartOperation"/>, the card was reset as the session ended.</summary>
        public bool ResetAtEnd { get; private set; }

        public void StartOperation()
        {
            CodeCommands.Clear();
            ResetAtEnd = false;
        }

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            context = new IntPtr(0x100);
            return PcscResult.Success;
        }

        public PcscResult ReleaseContext(IntPtr context) => PcscResult.Success;

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            readers = new[] { ReaderName };
            return PcscResult.Success;
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            if (timeoutMilliseconds > 0)
            {
                // Waiting for a removal that never comes: answer at once instead of sleeping.
                return PcscResult.Timeout;
            }

            foreach (var reader in readers)
            {
                reader.EventState = ReaderStates.Present | ReaderStates.Changed;
                reader.Atr = _atr;
            }

            return PcscResult.Success;
        }

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols, out IntPtr card, out Protocols activeProtocol)
        {
            card = new IntPtr(0x5000);
            activeProtocol = _protocol;
            return PcscResult.Success;
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization, out Protocols activeProtocol)
        {
            activeProtocol = _protocol;
            return Chance(10) ? Pick(Failures) : PcscResult.Success;
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition)
        {
            ResetAtEnd |= disposition == Disposition.ResetCard;
            return PcscResult.Success;
        }

        public PcscResult BeginTransaction(IntPtr card) => Chance(2) ? Pick(Failures) : PcscResult.Success;

        public PcscResult EndTransaction(IntPtr card, Disposition disposition)
        {
            if (Chance(5))
            {
                return Pick(Failures);
            }

            ResetAtEnd |= disposition == Disposition.ResetCard;
            return PcscResult.Success;
        }

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            AnswersGiven++;
            var command = new byte[sendLength];
            Buffer.BlockCopy(send, 0, command, 0, sendLength);
            var ins = sendLength > 1 ? command[1] : (byte)0;
            if ((ins == 0x20 || ins == 0x24 || ins == 0x2C) && sendLength > 5)
            {
                CodeCommands.Add(Hex.Format(command));
            }

            if (Chance(3))
            {
                return Pick(Failures);
            }

            var answer = Answer(command);
            if (answer.Length > receiveLength)
            {
                receiveLength = answer.Length;
                return PcscResult.InsufficientBuffer;
            }

            Buffer.BlockCopy(answer, 0, receive, 0, answer.Length);
            receiveLength = answer.Length;
            return PcscResult.Success;
        }

        public PcscResult Cancel(IntPtr context) => PcscResult.Success;

        public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

        /// <summary>How many control calls were made (none of them carries a code the fuzzer could answer).</summary>
        public int ControlCalls { get; private set; }

        /// <summary>A reader without a keypad, as pcscd reports a driver's "not supported".</summary>
        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            ControlCalls++;
            receiveLength = 0;
            return PcscResult.Unexpected;
        }

        private byte[] Answer(byte[] command)
        {
            var roll = _random.Next(100);
            if (roll < 35)
            {
                return Plausible(command);
            }

            if (roll < 60)
            {
                return Mutate(Plausible(command));
            }

            if (roll < 80)
            {
                return Concat(RandomBytes(_random.Next(4)), Pick(InterestingStatusWords));
            }

            if (roll < 90)
            {
                return RandomBytes(_random.Next(Chance(10) ? 259 : 40));
            }

            // The answers that loop: more data or wrong Le, with any length.
            return Concat(RandomBytes(_random.Next(3)), (ushort)((Chance(50) ? 0x6100 : 0x6C00) | _random.Next(256)));
        }

        /// <summary>What a FINEID card could answer to this command, with counters that may be impossible.</summary>
        private byte[] Plausible(byte[] command)
        {
            var ins = command.Length > 1 ? command[1] : (byte)0;
            var withData = command.Length > 5;
            switch (ins)
            {
                case 0xA4:
                    return Sw(0x9000);
                case 0xB0:
                    return Concat(TokenInfo(), 0x9000);
                case 0xCB:
                    return Concat(PinInfo(), 0x9000);
                case 0xC0:
                    return Concat(RandomBytes(_random.Next(30)), Chance(30) ? (ushort)0x9000 : (ushort)(0x63C0 | _random.Next(16)));
                case 0x20 when !withData:
                    return Sw((ushort)(0x63C0 | Tries()));
                case 0x20:
                case 0x24:
                case 0x2C:
                    return Chance(50) ? Sw(0x9000) : Sw((ushort)(0x63C0 | Tries()));
                default:
                    return Sw(0x6D00);
            }
        }

        private byte[] TokenInfo()
        {
            // Digits 1-4 only: the fuzz test's codes use none of them, so a serial in a trace is never taken for a code.
            var serial = Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, 9).Select(_ => (char)('1' + _random.Next(4))).ToArray()));
            var body = new List<byte> { 0x02, 0x01, 0x00, 0x04, (byte)serial.Length };
            body.AddRange(serial);
            body.AddRange(new byte[] { 0x0C, 0x03, 0x44, 0x56, 0x56 });
            return Tlv(0x30, body.ToArray());
        }

        private byte[] PinInfo()
        {
            var inner = new List<byte> { 0x83, 0x01, 0x11 };
            inner.AddRange(new byte[] { 0xDF, 0x21, 0x04, (byte)(Chance(20) ? _random.Next(256) : Tries()), 0xFF, 0xA5, 0x03 });
            inner.AddRange(new byte[] { 0xDF, 0x2F, 0x01, (byte)_random.Next(2) });
            return Tlv(0xA0, inner.ToArray());
        }

        // Mostly a count a card can have; sometimes one it cannot (6-15).
        private int Tries() => Chance(25) ? _random.Next(6, 16) : _random.Next(6);

        private byte[] Mutate(byte[] answer)
        {
            var bytes = answer.ToList();
            switch (_random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[_random.Next(bytes.Count)] = (byte)_random.Next(256);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveRange(0, _random.Next(bytes.Count)); // truncated from the front: TLVs start anywhere
                    break;
                case 2 when bytes.Count > 2:
                    bytes.RemoveRange(_random.Next(bytes.Count - 2), 1); // one byte missing inside
                    break;
                case 3:
                    bytes.InsertRange(0, new byte[] { (byte)Pick(new[] { 0x30, 0xA0, 0xDF }), (byte)Pick(new[] { 0x81, 0x82, 0x84, 0xFF, 0x7F }) });
                    break;
                case 4:
                    bytes.InsertRange(Math.Max(0, bytes.Count - 2), RandomBytes(_random.Next(1, 200)));
                    break;
                default:
                    if (bytes.Count >= 2)
                    {
                        bytes[bytes.Count - 2] = (byte)Pick(new[] { 0x61, 0x6C, 0x63, 0x69, 0x6A, 0x90 });
                    }

                    break;
            }

            return bytes.Take(258).ToArray();
        }

        private bool Chance(int percent) => _random.Next(100) < percent;

        private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

        private byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            _random.NextBytes(bytes);
            return bytes;
        }

        private static byte[] Sw(ushort sw) => new[] { (byte)(sw >> 8), (byte)sw };

        private static byte[] Concat(byte[] data, ushort sw) => data.Concat(Sw(sw)).ToArray();

        private static byte[] Tlv(byte tag, byte[] value)
        {
            var result = new List<byte> { tag };
            if (value.Length >= 0x80)
            {
                result.Add(0x81);
            }

            result.Add((byte)value.Length);
            result.AddRange(value);
            return result.ToArray();
        }
    }
}
