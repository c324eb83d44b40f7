using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// Puts a <see cref="VirtualFineidCard"/> into a vpcd reader of pcscd: the card connects as a TCP client to vpcd at
    /// 127.0.0.1:(35963 + slot) and serves it on a background thread. Frames are a 2-byte big-endian length and
    /// the payload, both ways. A 1-byte message is a control byte (00 power off, 01 power on, 02 reset — no
    /// answer; 04 get ATR — answered with the ATR); anything longer is a command APDU. Closing the socket removes
    /// the card. On Linux the socket uses TCP_NODELAY and TCP_QUICKACK before every receive, and each answer goes
    /// out in one send: otherwise delayed ACKs cost ~44 ms per APDU (VpcdCardConnection.Wire.cs).
    /// </summary>
    internal sealed partial class VpcdCardConnection : IDisposable
    {
        public const int BasePort = 35963;

        private readonly object _cardGate = new object();
        private readonly string _host;
        private Socket? _socket;
        private Thread? _thread;
        private volatile bool _disposed;
        private volatile bool _connected;

        /// <summary>The card for vpcd reader <paramref name="slot"/> (TCP port 35963 + slot).</summary>
        public VpcdCardConnection(VirtualFineidCard card, int slot, string host = "127.0.0.1")
            : this(card, slot, host, BasePort + slot)
        {
        }

        /// <summary>For tests: a fake vpcd on another port.</summary>
        internal VpcdCardConnection(VirtualFineidCard card, int slot, string host, int port)
        {
            Card = card ?? throw new ArgumentNullException(nameof(card));
            if (slot < 0 || slot > 1000)
            {
                throw new ArgumentOutOfRangeException(nameof(slot));
            }

            Slot = slot;
            Port = port;
            _host = host ?? throw new ArgumentNullException(nameof(host));
        }

        public VirtualFineidCard Card { get; }

        public int Slot { get; }

        public int Port { get; }

        /// <summary>True from a successful <see cref="Start"/> until the socket closes (either side) or the card vanishes.</summary>
        public bool IsConnected => _connected;

        /// <summary>Why serving stopped, when it stopped by an error (not by vpcd closing or <see cref="Dispose"/>).</summary>
        public Exception? Error { get; private set; }

        /// <summary>How many command APDUs the card has answered.</summary>
        public long ApduCount => Interlocked.Read(ref _apduCount);

        private long _apduCount;

        /// <summary>Raised once, on the serving thread, when the connection ends for any reason.</summary>
        public event EventHandler? Disconnected;

        /// <summary>
        /// Connects to vpcd (retrying while nothing listens), waits until vpcd has accepted the card and sent its
        /// first message, answers it, and then serves on a background thread. Throws <see cref="TimeoutException"/>
        /// when that does not happen within <paramref name="timeout"/> (vpcd not running, or another card already
        /// in that reader: a second connection waits unseen in the listen backlog).
        /// </summary>
        public void Start(TimeSpan timeout)
        {
            if (_socket != null)
            {
                throw new InvalidOperationException("Already started.");
            }

            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(VpcdCardConnection));
            }

            var clock = Stopwatch.StartNew();
            Socket socket = ConnectWithRetry(timeout, clock);
            _socket = socket;
            try
            {
                int left = (int)Math.Max(1, timeout.TotalMilliseconds - clock.ElapsedMilliseconds);
                socket.ReceiveTimeout = left;
                byte[]? first;
                try
                {
                    first = ReadMessage(socket);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
                {
                    throw new TimeoutException("vpcd on port " + Port + " did not take the card within "
                        + timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)
                        + " s (is another card in that reader?).", e);
                }

                if (first == null)
                {
                    throw new IOException("vpcd on port " + Port + " closed the connection at once.");
                }

                socket.ReceiveTimeout = 0;
                if (!Handle(socket, first))
                {
                    throw new IOException("The card vanished at its first command.");
                }
            }
            catch
            {
                CloseSocket();
                throw;
            }

            _connected = true;
            _thread = new Thread(Serve) { IsBackground = true, Name = "vpcd card " + Slot };
            _thread.Start();
        }

        /// <summary>Removes the card: the socket is closed and the card marked removed.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            lock (_cardGate)
            {
                Card.Remove();
            }

            CloseSocket();
            if (_thread != null && _thread != Thread.CurrentThread)
            {
                _thread.Join(2000);
            }
        }

        private Socket ConnectWithRetry(TimeSpan timeout, Stopwatch clock)
        {
            IPAddress address = IPAddress.Parse(_host);
            while (true)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Connect(new IPEndPoint(address, Port));
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    if (clock.Elapsed >= timeout)
                    {
                        throw new TimeoutException("Nothing accepts the card on " + _host + ":" + Port + " (is pcscd with vpcd running?).", e);
                    }

                    Thread.Sleep(100);
                }
            }
        }

        private void Serve()
        {
            Socket? socket = _socket;
            try
            {
                while (!_disposed && socket != null)
                {
                    byte[]? message = ReadMessage(socket);
                    if (message == null || !Handle(socket, message))
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is IOException)
            {
                if (!_disposed)
                {
                    Error = e;
                }
            }
            catch (Exception e)
            {
                // The card itself failed (e.g. its state file could not be saved): the card goes away.
                Error = e;
            }
            finally
            {
                _connected = false;
                lock (_cardGate)
                {
                    Card.Remove();
                }

                CloseSocket();
                Disconnected?.Invoke(this, EventArgs.Empty);
            }
        }

        /// <summary>Answers one message from vpcd. False when the card vanished.</summary>
        private bool Handle(Socket socket, byte[] message)
        {
            byte[]? answer = null;
            lock (_cardGate)
            {
                if (Card.IsRemoved)
                {
                    return false;
                }

                if (message.Length == 1)
                {
                    switch (message[0])
                    {
                        case 0x00:
                            Card.PowerOff();
                            break;
                        case 0x01:
                            Card.PowerOn();
                            break;
                        case 0x02:
                            Card.Reset();
                            break;
                        case 0x04:
                            answer = Card.Atr;
                            break;
                    }
                }
                else if (message.Length > 1)
                {
                    answer = Card.Transmit(message);
                    Array.Clear(message, 0, message.Length);
                    if (answer == null)
                    {
                        return false;
                    }

                    Interlocked.Increment(ref _apduCount);
                    if (answer.Length == 0)
                    {
                        // A silent card: vpcd (and the program behind pcscd) waits until the card is removed.
                        answer = null;
                    }
                }
            }

            if (answer != null)
            {
                Send(socket, answer);
            }

            return true;
        }

        private void CloseSocket()
        {
            Socket? socket = Interlocked.Exchange(ref _socket, null);
            if (socket == null)
            {
                return;
            }

            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                // Already closed by the other side.
            }

            socket.Dispose();
        }
    }
}
