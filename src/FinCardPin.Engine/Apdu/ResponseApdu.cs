using System;

namespace FinCardPin.Engine.Apdu
{
    /// <summary>A response APDU: the answer data and the two status bytes.</summary>
    internal sealed class ResponseApdu
    {
        public ResponseApdu(byte[] data, StatusWord statusWord)
        {
            Data = data ?? throw new ArgumentNullException(nameof(data));
            StatusWord = statusWord;
        }

        public byte[] Data { get; }

        public StatusWord StatusWord { get; }

        /// <summary>Splits a raw answer (data followed by SW1 SW2).</summary>
        public static ResponseApdu Parse(byte[] raw, int length)
        {
            if (raw == null)
            {
                throw new ArgumentNullException(nameof(raw));
            }

            if (length < 2 || length > raw.Length)
            {
                throw new ArgumentException("length < 2 (SW1 SW2)", nameof(length));
            }

            var data = new byte[length - 2];
            Buffer.BlockCopy(raw, 0, data, 0, data.Length);
            return new ResponseApdu(data, new StatusWord(raw[length - 2], raw[length - 1]));
        }

        public override string ToString() => Data.Length == 0 ? StatusWord.ToString() : Hex.Format(Data) + " " + StatusWord;
    }
}
