using System;
using System.Text;

namespace FinCardPin.Engine.Apdu
{
    /// <summary>
    /// A short ISO 7816-4 command APDU. The four encodings follow from what is present: no data and no Le is
    /// case 1, Le only case 2, data only case 3, data and Le case 4. An Le of 256 is encoded as 00.
    /// A sensitive command (one that carries a PIN) never shows its data, nor the length of it, in a trace, and is
    /// encoded only into a buffer its sender zeroes (<see cref="EncodeTo"/>).
    /// </summary>
    internal readonly struct CommandApdu
    {
        public const int MaxData = 255;
        public const int MaxLe = 256;

        private readonly byte[]? _data;

        public CommandApdu(byte cla, byte ins, byte p1, byte p2, byte[]? data = null, int? le = null, bool isSensitive = false)
        {
            if (data != null && data.Length > MaxData)
            {
                throw new ArgumentOutOfRangeException(nameof(data), "short APDU: data > 255 bytes");
            }

            if (le.HasValue && (le.Value < 1 || le.Value > MaxLe))
            {
                throw new ArgumentOutOfRangeException(nameof(le), "Le is 1 to 256 in a short APDU.");
            }

            Cla = cla;
            Ins = ins;
            P1 = p1;
            P2 = p2;
            _data = data != null && data.Length == 0 ? null : data;
            Le = le;
            IsSensitive = isSensitive;
        }

        public byte Cla { get; }
        public byte Ins { get; }
        public byte P1 { get; }
        public byte P2 { get; }

        /// <summary>The command data; the array is shared, not copied, so that its owner can zero it.</summary>
        public byte[]? Data => _data;

        public int DataLength => _data?.Length ?? 0;

        /// <summary>The expected answer length (1–256), or null when no answer data is expected.</summary>
        public int? Le { get; }

        public bool IsSensitive { get; }

        public int EncodedLength => 4 + (DataLength > 0 ? 1 + DataLength : 0) + (Le.HasValue ? 1 : 0);

        /// <summary>The same command asking for exactly <paramref name="le"/> bytes (the 6Cxx resend).</summary>
        public CommandApdu WithLe(int le) => new CommandApdu(Cla, Ins, P1, P2, _data, le, IsSensitive);

        /// <summary>Writes the encoding into <paramref name="buffer"/> and returns its length.</summary>
        public int EncodeTo(byte[] buffer)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException(nameof(buffer));
            }

            if (buffer.Length < EncodedLength)
            {
                throw new ArgumentException("buffer < APDU length", nameof(buffer));
            }

            buffer[0] = Cla;
            buffer[1] = Ins;
            buffer[2] = P1;
            buffer[3] = P2;
            var offset = 4;
            if (_data != null)
            {
                buffer[offset++] = (byte)_data.Length;
                Buffer.BlockCopy(_data, 0, buffer, offset, _data.Length);
                offset += _data.Length;
            }

            if (Le.HasValue)
            {
                buffer[offset++] = (byte)(Le.Value == MaxLe ? 0 : Le.Value);
            }

            return offset;
        }

        /// <summary>A new array with the encoding; refused for a sensitive command, whose copy nobody would zero.</summary>
        public byte[] Encode()
        {
            if (IsSensitive)
            {
                throw new InvalidOperationException("sensitive APDU: EncodeTo only");
            }

            var buffer = new byte[EncodedLength];
            EncodeTo(buffer);
            return buffer;
        }

        /// <summary>What a trace shows in place of a code: neither its digits nor its length (Lc would tell that).</summary>
        public const string RedactedCode = "[code redacted]";

        /// <summary>Hex for traces; a sensitive command shows neither its data nor its length.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(Hex.Format(new[] { Cla, Ins, P1, P2 }));
            if (_data != null)
            {
                if (IsSensitive)
                {
                    text.Append(' ').Append(RedactedCode);
                }
                else
                {
                    text.Append(' ').Append(_data.Length.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    text.Append(' ').Append(Hex.Format(_data));
                }
            }

            if (Le.HasValue)
            {
                text.Append(' ').Append((Le.Value == MaxLe ? 0 : Le.Value).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
