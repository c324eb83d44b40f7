using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace FinCardPin.VirtualCard
{
    /// <summary>vpcd's wire: frames of a 2-byte length and the payload, and TCP_QUICKACK set again before every receive on Linux.</summary>
    internal sealed partial class VpcdCardConnection
    {
        private const int IpProtoTcp = 6;
        private const int TcpQuickAck = 12;

        private bool _quickAckWorks = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>One frame, or null when vpcd closed the connection.</summary>
        private byte[]? ReadMessage(Socket socket)
        {
            var header = new byte[2];
            if (!ReadExactly(socket, header, 2))
            {
                return null;
            }

            int length = (header[0] << 8) | header[1];
            var payload = new byte[length];
            if (length > 0 && !ReadExactly(socket, payload, length))
            {
                return null;
            }

            return payload;
        }

        private bool ReadExactly(Socket socket, byte[] buffer, int count)
        {
            int done = 0;
            while (done < count)
            {
                QuickAck(socket);
                int n = socket.Receive(buffer, done, count - done, SocketFlags.None);
                if (n == 0)
                {
                    return false;
                }

                done += n;
            }

            return true;
        }

        /// <summary>Length and payload in one send, so that no small segment waits for an ACK.</summary>
        private static void Send(Socket socket, byte[] payload)
        {
            var frame = new byte[payload.Length + 2];
            frame[0] = (byte)(payload.Length >> 8);
            frame[1] = (byte)payload.Length;
            Buffer.BlockCopy(payload, 0, frame, 2, payload.Length);
            int sent = 0;
            while (sent < frame.Length)
            {
                sent += socket.Send(frame, sent, frame.Length - sent, SocketFlags.None);
            }
        }

        /// <summary>Linux clears TCP_QUICKACK after it acts, so it is set again before every receive.</summary>
        private void QuickAck(Socket socket)
        {
            if (!_quickAckWorks)
            {
                return;
            }

            try
            {
                int one = 1;
                if (LinuxSockets.setsockopt(socket.Handle.ToInt32(), IpProtoTcp, TcpQuickAck, ref one, sizeof(int)) != 0)
                {
                    _quickAckWorks = false;
                }
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
            {
                _quickAckWorks = false;
            }
        }

        private static class LinuxSockets
        {
            [DllImport("libc.so.6", SetLastError = true)]
            internal static extern int setsockopt(int socket, int level, int optionName, ref int optionValue, uint optionLength);
        }
    }
}
