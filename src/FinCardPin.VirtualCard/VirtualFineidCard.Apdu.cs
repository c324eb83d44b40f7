using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>A command as the card parses it (Apdu), and what a command family answers (Answer).</summary>
    internal sealed partial class VirtualFineidCard
    {
        private readonly struct Answer
        {
            public Answer(ushort sw)
            {
                Data = Array.Empty<byte>();
                Sw = sw;
            }

            public Answer(byte[] data, ushort sw)
            {
                Data = data;
                Sw = sw;
            }

            public byte[] Data { get; }

            public ushort Sw { get; }
        }

        /// <summary>A short command APDU, parsed by the card itself (cases 1–4; no extended length).</summary>
        private readonly struct Apdu
        {
            private Apdu(byte[] raw, byte[] data, bool hasLe, int le)
            {
                Ins = raw[1];
                P1 = raw[2];
                P2 = raw[3];
                Data = data;
                HasLe = hasLe;
                Le = le;
            }

            public byte Ins { get; }

            public byte P1 { get; }

            public byte P2 { get; }

            public byte[] Data { get; }

            public bool HasLe { get; }

            /// <summary>The expected length, 1–256 (a coded 00 is 256); 0 when there is no Le.</summary>
            public int Le { get; }

            public static bool TryParse(byte[] raw, out Apdu apdu)
            {
                apdu = default;
                if (raw.Length < 4)
                {
                    return false;
                }

                if (raw.Length == 4)
                {
                    apdu = new Apdu(raw, Array.Empty<byte>(), false, 0);
                    return true;
                }

                int p3 = raw[4];
                if (raw.Length == 5)
                {
                    // Case 2, P3 = Le (00 = 256).
                    apdu = new Apdu(raw, Array.Empty<byte>(), true, p3 == 0 ? 256 : p3);
                    return true;
                }

                if (p3 == 0)
                {
                    // Extended length: not supported by this card.
                    return false;
                }

                if (raw.Length != 5 + p3 && raw.Length != 6 + p3)
                {
                    return false;
                }

                var data = new byte[p3];
                Buffer.BlockCopy(raw, 5, data, 0, p3);
                bool hasLe = raw.Length == 6 + p3;
                int le = hasLe ? (raw[5 + p3] == 0 ? 256 : raw[5 + p3]) : 0;
                apdu = new Apdu(raw, data, hasLe, le);
                return true;
            }
        }
    }
}
