namespace FinCardPin.UnitTests.VirtualCards
{
    using System;
    using System.Diagnostics;
    using System.IO;
    using System.Net;
    using System.Net.Sockets;
    using System.Threading.Tasks;
    using FinCardPin.VirtualCard;
    using Xunit;

    /// <summary>The vpcd wire protocol against a fake vpcd (a local listener on a free port).</summary>
    public sealed class VpcdCardConnectionTests : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly TempFolder _folder = new TempFolder();

        public VpcdCardConnectionTests()
        {
            _listener.Start();
        }

        private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose()
        {
            _listener.Stop();
            _folder.Dispose();
        }

        private static async Task SendFrame(NetworkStream stream, string hex)
        {
            byte[] payload = Kit.Bytes(hex);
            var frame = new byte[payload.Length + 2];
            frame[0] = (byte)(payload.Length >> 8);
            frame[1] = (byte)payload.Length;
            payload.CopyTo(frame, 2);
            await stream.WriteAsync(frame);
        }

        private static async Task<string?> ReadFrame(NetworkStream stream)
        {
            var header = new byte[2];
            if (!await ReadExactly(stream, header))
            {
                return null;
            }

            var payload = new byte[(header[0] << 8) | header[1]];
            return await ReadExactly(stream, payload) ? Convert.ToHexString(payload) : null;
        }

        private static async Task<bool> ReadExactly(NetworkStream stream, byte[] buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(done)).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                if (n == 0)
                {
                    return false;
                }

                done += n;
            }

            return true;
        }

        private async Task<(VpcdCardConnection Connection, TcpClient Vpcd)> Insert(VirtualCardState state, string? log = null)
        {
            string path = _folder.Save(state);
            var connection = new VpcdCardConnection(VirtualFineidCard.Load(path, log), 0, "127.0.0.1", Port);
            Task start = Task.Run(() => connection.Start(TimeSpan.FromSeconds(5)));
            TcpClient vpcd = await _listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));
            NetworkStream stream = vpcd.GetStream();

            await SendFrame(stream, "04");
            Assert.Equal(Convert.ToHexString(state.Atr), await ReadFrame(stream));
            await start.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(connection.IsConnected);
            return (connection, vpcd);
        }

        [Fact]
        public async Task Start_FirstMessageGetAtr_AnsweredThenStartReturns()
        {
            var (connection, vpcd) = await Insert(Kit.Identity());
            using (connection)
            using (vpcd)
            {
                Assert.Equal(0, connection.ApduCount);
            }
        }

        [Fact]
        public async Task Apdu_Framed_AnsweredWithDataAndStatus()
        {
            var (connection, vpcd) = await Insert(Kit.Identity());
            using (connection)
            using (vpcd)
            {
                NetworkStream stream = vpcd.GetStream();
                await SendFrame(stream, "01");
                await SendFrame(stream, Kit.SelectApp);
                Assert.Equal("9000", await ReadFrame(stream));
                await SendFrame(stream, Kit.GetData(0x11));
                Assert.Equal("A0238301118C04F00000009C04F0000000DF210405FFA503DF2702FFFFDF28010CDF2F01019000", await ReadFrame(stream));
                Assert.Equal(2, connection.ApduCount);
            }
        }

        [Fact]
        public async Task ControlBytes_PowerOffOnReset_NoAnswer()
        {
            string log = _folder.File("apdu.log");
            var (connection, vpcd) = await Insert(Kit.Identity(), log);
            using (connection)
            using (vpcd)
            {
                NetworkStream stream = vpcd.GetStream();
                await SendFrame(stream, "00");
                await SendFrame(stream, "01");
                await SendFrame(stream, "02");
                await SendFrame(stream, "04");

                // The next frame is the ATR: nothing answered the three control bytes.
                Assert.Equal("3B7F9600008031B865B085050011122460829000", await ReadFrame(stream));
                Assert.Equal(new[] { "# power off", "# power on", "# reset" }, File.ReadAllLines(log));
            }
        }

        [Fact]
        public async Task Dispose_ClosesTheSocket()
        {
            var (connection, vpcd) = await Insert(Kit.Identity());
            using (vpcd)
            {
                connection.Dispose();

                Assert.Null(await ReadFrame(vpcd.GetStream()));
                Assert.False(connection.IsConnected);
                Assert.True(connection.Card.IsRemoved);
            }
        }

        [Fact]
        public async Task RemoveOnInstruction_ClosesTheSocket()
        {
            var state = Kit.Identity();
            state.Faults.RemoveOnInstruction = "20";
            var (connection, vpcd) = await Insert(state);
            using (connection)
            using (vpcd)
            {
                var gone = new TaskCompletionSource();
                connection.Disconnected += (s, e) => gone.TrySetResult();
                NetworkStream stream = vpcd.GetStream();
                await SendFrame(stream, Kit.SelectApp);
                Assert.Equal("9000", await ReadFrame(stream));

                await SendFrame(stream, "00200011");

                Assert.Null(await ReadFrame(stream));
                await gone.Task.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.False(connection.IsConnected);
            }
        }

        [Fact]
        public async Task VpcdCloses_CardRemoved()
        {
            var (connection, vpcd) = await Insert(Kit.Identity());
            using (connection)
            {
                var gone = new TaskCompletionSource();
                connection.Disconnected += (s, e) => gone.TrySetResult();
                if (!connection.IsConnected)
                {
                    gone.TrySetResult();
                }

                vpcd.Dispose();

                await gone.Task.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.True(connection.Card.IsRemoved);
            }
        }

        [Fact]
        public async Task Start_NoFirstMessage_TimesOut()
        {
            string path = _folder.Save(Kit.Identity());
            using var connection = new VpcdCardConnection(VirtualFineidCard.Load(path), 0, "127.0.0.1", Port);
            var clock = Stopwatch.StartNew();

            Task start = Task.Run(() => connection.Start(TimeSpan.FromMilliseconds(300)));
            using TcpClient vpcd = await _listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(5));

            await Assert.ThrowsAsync<TimeoutException>(() => start);
            Assert.True(clock.ElapsedMilliseconds < 3000);
            Assert.False(connection.IsConnected);
        }

        [Fact]
        public void Start_NothingListening_TimesOut()
        {
            int port = Port;
            _listener.Stop();
            string path = _folder.Save(Kit.Identity());
            using var connection = new VpcdCardConnection(VirtualFineidCard.Load(path), 0, "127.0.0.1", port);

            Assert.Throws<TimeoutException>(() => connection.Start(TimeSpan.FromMilliseconds(300)));
        }
    }
}
