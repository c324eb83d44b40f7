using System;
using System.Collections.Generic;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// The GemPC Twin serial framing of CCID that libccidtwin speaks (its ccid_serial.c): every message, both ways, is
    /// <c>SYNC 03, CTRL 06 (ACK), the CCID message (10-byte header + dwLength bytes), LRC</c> where LRC is the XOR of
    /// all the bytes before it. The reader echoes each command before it answers, and the driver reads the echo as one
    /// whole frame that it throws away, into a buffer no larger than the answer it expects (10 bytes for
    /// GetSlotStatus): so the echo sent here is always the command's 10-byte header with dwLength 0.
    /// </summary>
    internal sealed class GemPcSerialFraming
    {
        public const byte Sync = 0x03;
        public const byte Ack = 0x06;
        public const int HeaderSize = 10;
        private const int MaxMessage = 271 + 16;

        private readonly List<byte> _pending = new List<byte>();

        /// <summary>Bytes dropped because they did not start a frame (logged by the caller).</summary>
        public int Discarded { get; private set; }

        /// <summary>Frames whose LRC was wrong (the message is still taken: the driver only logs such errors too).</summary>
        public int BadChecksums { get; private set; }

        public void Add(byte[] bytes, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _pending.Add(bytes[i]);
            }
        }

        /// <summary>The next whole CCID message from the driver, or null when more bytes are needed.</summary>
        public byte[]? Next()
        {
            while (_pending.Count > 0 && _pending[0] != Sync)
            {
                _pending.RemoveAt(0);
                Discarded++;
            }

            if (_pending.Count < 2 + HeaderSize)
            {
                return null;
            }

            if (_pending[1] != Ack)
            {
                _pending.RemoveAt(0);
                Discarded++;
                return Next();
            }

            long length = (long)_pending[3] | ((long)_pending[4] << 8) | ((long)_pending[5] << 16) | ((long)_pending[6] << 24);
            if (length > MaxMessage)
            {
                _pending.RemoveAt(0);
                Discarded++;
                return Next();
            }

            int total = 2 + HeaderSize + (int)length + 1;
            if (_pending.Count < total)
            {
                return null;
            }

            byte lrc = 0;
            for (int i = 0; i < total; i++)
            {
                lrc ^= _pending[i];
            }

            if (lrc != 0)
            {
                BadChecksums++;
            }

            byte[] message = _pending.GetRange(2, HeaderSize + (int)length).ToArray();
            _pending.RemoveRange(0, total);
            return message;
        }

        /// <summary>One frame around a CCID message.</summary>
        public static byte[] Frame(byte[] message)
        {
            var frame = new byte[message.Length + 3];
            frame[0] = Sync;
            frame[1] = Ack;
            Buffer.BlockCopy(message, 0, frame, 2, message.Length);
            byte lrc = 0;
            for (int i = 0; i < frame.Length - 1; i++)
            {
                lrc ^= frame[i];
            }

            frame[frame.Length - 1] = lrc;
            return frame;
        }

        /// <summary>The echo of <paramref name="command"/> followed by the answer, in one write.</summary>
        public static byte[] EchoAndAnswer(byte[] command, byte[] answer)
        {
            var header = new byte[HeaderSize];
            Buffer.BlockCopy(command, 0, header, 0, HeaderSize);
            header[1] = header[2] = header[3] = header[4] = 0;
            byte[] echo = Frame(header);
            byte[] reply = Frame(answer);
            var both = new byte[echo.Length + reply.Length];
            Buffer.BlockCopy(echo, 0, both, 0, echo.Length);
            Buffer.BlockCopy(reply, 0, both, echo.Length, reply.Length);
            return both;
        }
    }
}
