using System;
using System.Collections.Generic;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// The card's side of the T=1 block protocol (ISO/IEC 7816-3 §11), for a TPDU-level reader: libccid builds and
    /// checks the blocks itself, so the emulated reader only carries them, and this class answers them as the card
    /// would. Blocks are <c>NAD PCB LEN INF LRC</c>. I-blocks carry APDUs (chained with the M bit when longer than the
    /// receiver's IFS); R-blocks acknowledge a chained block or ask for a retransmission; S-blocks negotiate the IFSD,
    /// resynchronise or abort.
    /// </summary>
    internal sealed class T1CardSide
    {
        private const int DefaultIfsd = 32;

        private readonly List<byte> _chainIn = new List<byte>();
        private int _cardNs;
        private int _ifsd = DefaultIfsd;
        private byte[]? _pendingOut;
        private int _pendingOffset;
        private byte[]? _lastSent;

        /// <summary>Power on or reset: sequence numbers and sizes start again.</summary>
        public void Reset()
        {
            _chainIn.Clear();
            _cardNs = 0;
            _ifsd = DefaultIfsd;
            _pendingOut = null;
            _pendingOffset = 0;
            _lastSent = null;
        }

        /// <summary>
        /// Answers one block from the reader. <paramref name="transmit"/> runs a whole command APDU on the card and
        /// returns its answer (null: the card vanished or kept silent). Returns the card's block, or null when the
        /// card gave no answer.
        /// </summary>
        public byte[]? Handle(byte[] block, Func<byte[], byte[]?> transmit, Action<string> log)
        {
            if (block.Length < 4 || block[2] != block.Length - 4 || Lrc(block, block.Length - 1) != block[block.Length - 1])
            {
                log("T=1: malformed block or wrong LRC: R-block with an error");
                return Remember(Build(0x81 | (_cardNs << 4), Array.Empty<byte>()));
            }

            byte pcb = block[1];
            var inf = new byte[block[2]];
            Buffer.BlockCopy(block, 3, inf, 0, inf.Length);
            if ((pcb & 0x80) == 0)
            {
                int ns = (pcb >> 6) & 1;
                bool more = (pcb & 0x20) != 0;
                _chainIn.AddRange(inf);
                Array.Clear(inf, 0, inf.Length);
                if (more)
                {
                    return Remember(Build(0x80 | ((ns ^ 1) << 4), Array.Empty<byte>()));
                }

                byte[] apdu = _chainIn.ToArray();
                for (int i = 0; i < _chainIn.Count; i++)
                {
                    _chainIn[i] = 0;
                }

                _chainIn.Clear();
                byte[]? answer;
                try
                {
                    answer = transmit(apdu);
                }
                finally
                {
                    Array.Clear(apdu, 0, apdu.Length);
                }

                if (answer == null || answer.Length == 0)
                {
                    return null;
                }

                _pendingOut = answer;
                _pendingOffset = 0;
                return NextChunk();
            }

            if ((pcb & 0xC0) == 0x80)
            {
                int nr = (pcb >> 4) & 1;
                if (_pendingOut != null && nr == _cardNs)
                {
                    return NextChunk();
                }

                log("T=1: R-block " + pcb.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ": the last block again");
                return _lastSent ?? Remember(Build(0x80 | (_cardNs << 4), Array.Empty<byte>()));
            }

            switch (pcb & 0x3F)
            {
                case 0x01:
                    _ifsd = inf.Length == 1 && inf[0] > 0 ? inf[0] : DefaultIfsd;
                    log("T=1: S(IFS request) IFSD=" + _ifsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return Remember(Build(0xE1, inf));
                case 0x00:
                    log("T=1: S(RESYNCH request)");
                    Reset();
                    return Remember(Build(0xE0, Array.Empty<byte>()));
                case 0x02:
                    log("T=1: S(ABORT request)");
                    _chainIn.Clear();
                    _pendingOut = null;
                    return Remember(Build(0xE2, Array.Empty<byte>()));
                default:
                    log("T=1: S-block " + pcb.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " not handled: R-block with an error");
                    return Remember(Build(0x82 | (_cardNs << 4), Array.Empty<byte>()));
            }
        }

        private byte[] NextChunk()
        {
            byte[] data = _pendingOut!;
            int size = Math.Min(_ifsd, data.Length - _pendingOffset);
            var chunk = new byte[size];
            Buffer.BlockCopy(data, _pendingOffset, chunk, 0, size);
            _pendingOffset += size;
            bool more = _pendingOffset < data.Length;
            byte[] block = Build((_cardNs << 6) | (more ? 0x20 : 0), chunk);
            _cardNs ^= 1;
            if (!more)
            {
                _pendingOut = null;
            }

            return Remember(block);
        }

        private byte[] Remember(byte[] block)
        {
            _lastSent = block;
            return block;
        }

        private static byte[] Build(int pcb, byte[] inf)
        {
            var block = new byte[inf.Length + 4];
            block[0] = 0x00;
            block[1] = (byte)pcb;
            block[2] = (byte)inf.Length;
            Buffer.BlockCopy(inf, 0, block, 3, inf.Length);
            block[block.Length - 1] = Lrc(block, block.Length - 1);
            return block;
        }

        private static byte Lrc(byte[] bytes, int count)
        {
            byte lrc = 0;
            for (int i = 0; i < count; i++)
            {
                lrc ^= bytes[i];
            }

            return lrc;
        }
    }
}
