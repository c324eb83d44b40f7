namespace FinCardPin.UnitTests.VirtualCards
{
    using System;
    using System.Collections.Generic;
    using System.IO;
    using System.Linq;
    using System.Threading.Tasks;
    using FinCardPin.Engine.Interop;
    using FinCardPin.VirtualCard;
    using Xunit;

    public sealed class VirtualPcscApiTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();
        private readonly VirtualPcscApi _api = new VirtualPcscApi(2);
        private readonly IntPtr _context;

        public VirtualPcscApiTests()
        {
            Assert.Equal(PcscResult.Success, _api.EstablishContext(PcscScope.User, out _context));
        }

        public void Dispose()
        {
            _api.ReleaseContext(_context);
            _folder.Dispose();
        }

        private static string Reader(int slot) => VirtualPcscApi.ReaderName(slot);

        private string InsertIdentity(int slot = 0, VirtualCardState? state = null, string? log = null)
        {
            string path = _folder.Save(state ?? Kit.Identity(), "card" + slot + ".json");
            _api.Insert(slot, path, log);
            return path;
        }

        private IntPtr ConnectShared(int slot = 0)
        {
            Assert.Equal(PcscResult.Success, _api.Connect(_context, Reader(slot), ShareMode.Shared, Protocols.Any, out IntPtr card, out _));
            return card;
        }

        private string Send(IntPtr card, string hex, Protocols protocol = Protocols.T0)
        {
            byte[] command = Kit.Bytes(hex);
            var receive = new byte[258];
            int length = receive.Length;
            PcscResult result = _api.Transmit(card, protocol, command, command.Length, receive, ref length);
            return result == PcscResult.Success ? Convert.ToHexString(receive, 0, length) : result.ToString();
        }

        private ReaderStateQuery Query(int slot, ReaderStates current = ReaderStates.Unaware)
        {
            var query = new ReaderStateQuery(Reader(slot), current);
            Assert.Equal(PcscResult.Success, _api.GetStatusChange(_context, 0, new[] { query }));
            return query;
        }

        [Fact]
        public void Control_ReaderWithoutKeypad_AnswersEveryCodeNotSupportedAsVpcdDoes()
        {
            InsertIdentity();
            IntPtr card = ConnectShared();
            var receive = new byte[256];
            int length = receive.Length;
            Assert.Equal(PcscResult.Unexpected, _api.Control(card, 0x42000D48, Array.Empty<byte>(), 0, receive, ref length));
            Assert.Equal(0, length);
            length = receive.Length;
            Assert.Equal(PcscResult.InvalidHandle, _api.Control(new IntPtr(1), 0x42000D48, Array.Empty<byte>(), 0, receive, ref length));
        }

        [Fact]
        public void ListReaders_TwoReaders_NamedAsPcscLiteAndWindowsNameReaders()
        {
            Assert.Equal(PcscResult.Success, _api.ListReaders(_context, out IReadOnlyList<string> readers));
            // One named as pcsc-lite names a CCID reader, one as Windows names a reader: users' names, brackets included.
            Assert.Equal(new[] { "FinCardPin Virtual CCID Reader [FinCardPin Virtual CCID Reader] 00 00", "FinCardPin Virtual Smart Card Reader 0" }, readers);
        }

        [Fact]
        public void ListReaders_NoReaders_NoReadersAvailable()
        {
            var api = new VirtualPcscApi(0);
            api.EstablishContext(PcscScope.User, out IntPtr context);
            Assert.Equal(PcscResult.NoReadersAvailable, api.ListReaders(context, out IReadOnlyList<string> readers));
            Assert.Empty(readers);
        }

        [Fact]
        public void ListReaders_BadContext_InvalidHandle()
        {
            Assert.Equal(PcscResult.InvalidHandle, _api.ListReaders(new IntPtr(12345), out _));
        }

        [Fact]
        public void GetStatusChange_EmptyAndPresent_ReportStateAndAtr()
        {
            InsertIdentity(1);
            var empty = new ReaderStateQuery(Reader(0));
            var present = new ReaderStateQuery(Reader(1));

            Assert.Equal(PcscResult.Success, _api.GetStatusChange(_context, 0, new[] { empty, present }));

            Assert.Equal(ReaderStates.Empty | ReaderStates.Changed, empty.EventState);
            Assert.Empty(empty.Atr);
            Assert.Equal(ReaderStates.Present | ReaderStates.Changed, present.EventState);
            Assert.Equal("3B7F9600008031B865B085050011122460829000", Convert.ToHexString(present.Atr));
            Assert.Equal(1, present.EventCount);
        }

        [Fact]
        public void GetStatusChange_UnknownReader_UnknownReader()
        {
            Assert.Equal(PcscResult.UnknownReader,
                _api.GetStatusChange(_context, 0, new[] { new ReaderStateQuery("Virtual PCD 00 00") }));
        }

        [Fact]
        public void GetStatusChange_NothingChanged_Timeout()
        {
            var query = Query(0);
            query.CurrentState = query.EventState & ~ReaderStates.Changed;

            Assert.Equal(PcscResult.Timeout, _api.GetStatusChange(_context, 0, new[] { query }));
            Assert.Equal(PcscResult.Timeout, _api.GetStatusChange(_context, 30, new[] { query }));
            Assert.Equal(ReaderStates.Empty, query.EventState);
        }

        [Fact]
        public async Task GetStatusChange_Waiting_SeesInsertion()
        {
            var query = new ReaderStateQuery(Reader(0), ReaderStates.Empty);
            Task<PcscResult> wait = Task.Run(() => _api.GetStatusChange(_context, 5000, new[] { query }));
            await Task.Delay(50);
            Assert.False(wait.IsCompleted);

            InsertIdentity(0);

            Assert.Equal(PcscResult.Success, await wait);
            Assert.Equal(ReaderStates.Present | ReaderStates.Changed, query.EventState);
            Assert.NotEmpty(query.Atr);
        }

        [Fact]
        public void GetStatusChange_EventCount_BumpsOnInsertAndRemove()
        {
            InsertIdentity(0);
            int afterInsert = Query(0).EventCount;
            _api.Remove(0);
            int afterRemove = Query(0).EventCount;
            InsertIdentity(0);
            var again = Query(0);

            Assert.Equal(afterInsert + 1, afterRemove);
            Assert.Equal(afterInsert + 2, again.EventCount);

            // Present before and after, but the counter carried in the high bits shows the remove + insert.
            var stale = new ReaderStateQuery(Reader(0), (ReaderStates)((uint)ReaderStates.Present | ((uint)afterInsert << 16)));
            Assert.Equal(PcscResult.Success, _api.GetStatusChange(_context, 0, new[] { stale }));
            Assert.True(stale.EventState.HasFlag(ReaderStates.Changed));
        }

        [Fact]
        public void GetStatusChange_Connections_InUseAndExclusive()
        {
            InsertIdentity(0);
            IntPtr shared = ConnectShared();
            Assert.Equal(ReaderStates.Present | ReaderStates.InUse | ReaderStates.Changed, Query(0).EventState);
            _api.Disconnect(shared, Disposition.LeaveCard);

            Assert.Equal(PcscResult.Success, _api.Connect(_context, Reader(0), ShareMode.Exclusive, Protocols.Any, out IntPtr exclusive, out _));
            Assert.Equal(ReaderStates.Present | ReaderStates.Exclusive | ReaderStates.Changed, Query(0).EventState);
            _api.Disconnect(exclusive, Disposition.LeaveCard);
            Assert.Equal(ReaderStates.Present | ReaderStates.Changed, Query(0).EventState);
        }

        [Fact]
        public async Task Cancel_InterruptsAWait()
        {
            var query = new ReaderStateQuery(Reader(0), ReaderStates.Empty);
            Task<PcscResult> wait = Task.Run(() => _api.GetStatusChange(_context, 0xFFFFFFFF, new[] { query }));
            await Task.Delay(50);

            Assert.Equal(PcscResult.Success, _api.Cancel(_context));

            Assert.Equal(PcscResult.Cancelled, await wait);
        }

        [Fact]
        public void Connect_EmptyReader_NoSmartCard()
        {
            Assert.Equal(PcscResult.NoSmartCard, _api.Connect(_context, Reader(0), ShareMode.Shared, Protocols.Any, out _, out _));
        }

        [Fact]
        public void Connect_UnknownReader_UnknownReader()
        {
            Assert.Equal(PcscResult.UnknownReader, _api.Connect(_context, "No Such Reader", ShareMode.Shared, Protocols.Any, out _, out _));
        }

        [Fact]
        public void Connect_TwoShared_BothWork()
        {
            InsertIdentity(0);
            IntPtr first = ConnectShared();
            IntPtr second = ConnectShared();

            Assert.Equal("9000", Send(first, Kit.SelectApp));
            Assert.Equal("63C5", Send(second, "00200011"));
        }

        [Fact]
        public void Connect_ExclusiveAfterShared_SharingViolation()
        {
            InsertIdentity(0);
            ConnectShared();
            Assert.Equal(PcscResult.SharingViolation, _api.Connect(_context, Reader(0), ShareMode.Exclusive, Protocols.Any, out _, out _));
        }

        [Fact]
        public void Connect_SharedAfterExclusive_SharingViolation()
        {
            InsertIdentity(0);
            Assert.Equal(PcscResult.Success, _api.Connect(_context, Reader(0), ShareMode.Exclusive, Protocols.Any, out IntPtr held, out _));

            Assert.Equal(PcscResult.SharingViolation, _api.Connect(_context, Reader(0), ShareMode.Shared, Protocols.Any, out _, out _));

            _api.Disconnect(held, Disposition.LeaveCard);
            ConnectShared();
        }

        [Fact]
        public void Connect_Protocol_IdentityT0OrganisationT1()
        {
            InsertIdentity(0);
            string org = _folder.Save(Kit.Organisation(), "org.json");
            _api.Insert(1, org);

            _api.Connect(_context, Reader(0), ShareMode.Shared, Protocols.Any, out IntPtr identity, out Protocols identityProtocol);
            _api.Connect(_context, Reader(1), ShareMode.Shared, Protocols.Any, out IntPtr organisation, out Protocols orgProtocol);

            Assert.Equal(Protocols.T0, identityProtocol);
            Assert.Equal(Protocols.T1, orgProtocol);
            Assert.Equal("ProtocolMismatch", Send(identity, Kit.SelectApp, Protocols.T1));
            Assert.Equal("9000", Send(organisation, Kit.SelectApp, Protocols.T1));
            Assert.Equal(PcscResult.ProtocolMismatch, _api.Connect(_context, Reader(0), ShareMode.Shared, Protocols.T1, out _, out _));
        }

        [Fact]
        public void Transmit_SmallBuffer_InsufficientBuffer()
        {
            InsertIdentity(0);
            IntPtr card = ConnectShared();
            Send(card, Kit.SelectApp);
            byte[] command = Kit.Bytes(Kit.GetData(0x11));
            var receive = new byte[10];
            int length = receive.Length;

            Assert.Equal(PcscResult.InsufficientBuffer, _api.Transmit(card, Protocols.T0, command, command.Length, receive, ref length));
            Assert.Equal(39, length);
        }

        [Fact]
        public void Remove_OldHandle_RemovedCardEvenAfterNewInsertUntilReconnect()
        {
            InsertIdentity(0);
            IntPtr card = ConnectShared();
            Assert.Equal("9000", Send(card, Kit.SelectApp));

            _api.Remove(0);
            Assert.Equal("RemovedCard", Send(card, Kit.SelectApp));
            Assert.Equal(ReaderStates.Empty | ReaderStates.Changed, Query(0).EventState);

            InsertIdentity(0);
            Assert.Equal("RemovedCard", Send(card, Kit.SelectApp));
            Assert.Equal(PcscResult.RemovedCard, _api.BeginTransaction(card));

            Assert.Equal(PcscResult.Success, _api.Reconnect(card, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out Protocols protocol));
            Assert.Equal(Protocols.T0, protocol);
            Assert.Equal("9000", Send(card, Kit.SelectApp));
        }

        [Fact]
        public void Reconnect_ReaderStillEmpty_NoSmartCard()
        {
            InsertIdentity(0);
            IntPtr card = ConnectShared();
            _api.Remove(0);

            Assert.Equal(PcscResult.NoSmartCard, _api.Reconnect(card, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out _));
        }

        [Fact]
        public void RemoveOnInstruction_TransmitRemovedCardAndReaderEmpty()
        {
            var state = Kit.Identity();
            state.Faults.RemoveOnInstruction = "24";
            string log = _folder.File("apdu.log");
            string path = InsertIdentity(0, state, log);
            IntPtr card = ConnectShared();
            Assert.Equal("9000", Send(card, Kit.SelectApp));

            Assert.Equal("RemovedCard", Send(card, Kit.IdentityChange(0x11, "1234", "5678")));

            Assert.Equal("RemovedCard", Send(card, "00200011"));
            Assert.Equal(ReaderStates.Empty | ReaderStates.Changed, Query(0).EventState);
            Assert.False(_api.HasCard(0));
            Assert.Equal("1234", VirtualCardState.Load(path).Pin1.Value);
            Assert.Contains("# removed", File.ReadAllLines(log));
        }

        [Fact]
        public void Counters_PersistAcrossConnectionsAndInstances()
        {
            string path = InsertIdentity(0);
            IntPtr first = ConnectShared();
            Send(first, Kit.SelectApp);
            Assert.Equal("63C4", Send(first, Kit.IdentityVerify(0x11, "0000")));
            _api.Disconnect(first, Disposition.LeaveCard);

            IntPtr second = ConnectShared();
            Send(second, Kit.SelectApp);
            Assert.Equal("63C4", Send(second, "00200011"));

            // Another process: its own virtual readers over the same file.
            var other = new VirtualPcscApi(1);
            other.Insert(0, path);
            other.EstablishContext(PcscScope.User, out IntPtr otherContext);
            other.Connect(otherContext, Reader(0), ShareMode.Shared, Protocols.Any, out IntPtr otherCard, out _);
            var receive = new byte[258];
            foreach (string hex in new[] { Kit.SelectApp, Kit.IdentityVerify(0x11, "0001") })
            {
                byte[] command = Kit.Bytes(hex);
                int length = receive.Length;
                other.Transmit(otherCard, Protocols.T0, command, command.Length, receive, ref length);
            }

            Assert.Equal(3, VirtualCardState.Load(path).Pin1.TriesLeft);
        }

        [Fact]
        public void VerifiedState_EndsWhenLastConnectionCloses()
        {
            string log = _folder.File("apdu.log");
            InsertIdentity(0, null, log);
            IntPtr first = ConnectShared();
            Send(first, Kit.SelectApp);
            Assert.Equal("9000", Send(first, Kit.IdentityVerify(0x11, "1234")));
            _api.Disconnect(first, Disposition.LeaveCard);

            IntPtr second = ConnectShared();
            Assert.Equal("6982", Send(second, "00200011"));
            string[] comments = File.ReadAllLines(log).Where(l => l.StartsWith('#')).ToArray();
            Assert.Equal(new[] { "# power on", "# power off", "# power on" }, comments);
        }

        [Fact]
        public void Transaction_OtherHandleTransmit_SharingViolationUntilEnd()
        {
            InsertIdentity(0);
            IntPtr owner = ConnectShared();
            IntPtr other = ConnectShared();

            Assert.Equal(PcscResult.Success, _api.BeginTransaction(owner));
            Assert.Equal("9000", Send(owner, Kit.SelectApp));
            Assert.Equal("SharingViolation", Send(other, Kit.SelectApp));
            Assert.Equal(PcscResult.NotTransacted, _api.EndTransaction(other, Disposition.LeaveCard));

            Assert.Equal(PcscResult.Success, _api.EndTransaction(owner, Disposition.LeaveCard));
            Assert.Equal("9000", Send(other, Kit.SelectApp));
        }

        [Fact]
        public void Transaction_OtherHandleControl_SharingViolationUntilEnd()
        {
            InsertIdentity(0);
            IntPtr owner = ConnectShared();
            IntPtr other = ConnectShared();
            var receive = new byte[256];

            Assert.Equal(PcscResult.Success, _api.BeginTransaction(owner));
            int length = receive.Length;
            Assert.Equal(PcscResult.SharingViolation, _api.Control(other, 0x42000D48, Array.Empty<byte>(), 0, receive, ref length));

            Assert.Equal(PcscResult.Success, _api.EndTransaction(owner, Disposition.LeaveCard));
            length = receive.Length;
            Assert.Equal(PcscResult.Unexpected, _api.Control(other, 0x42000D48, Array.Empty<byte>(), 0, receive, ref length));
        }

        [Fact]
        public async Task Transaction_SecondBegin_WaitsForTheFirstToEnd()
        {
            InsertIdentity(0);
            IntPtr owner = ConnectShared();
            IntPtr other = ConnectShared();
            _api.BeginTransaction(owner);

            Task<PcscResult> waiting = Task.Run(() => _api.BeginTransaction(other));
            await Task.Delay(50);
            Assert.False(waiting.IsCompleted);

            _api.EndTransaction(owner, Disposition.LeaveCard);
            Assert.Equal(PcscResult.Success, await waiting);
        }

        [Fact]
        public void DisconnectWithReset_OtherHandleResetCardUntilReconnect()
        {
            InsertIdentity(0);
            IntPtr resetter = ConnectShared();
            IntPtr other = ConnectShared();
            Assert.Equal("9000", Send(other, Kit.SelectApp));
            Assert.Equal("9000", Send(other, Kit.IdentityVerify(0x11, "1234")));

            _api.Disconnect(resetter, Disposition.ResetCard);

            Assert.Equal("ResetCard", Send(other, "00200011"));
            Assert.Equal(PcscResult.Success, _api.Reconnect(other, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out _));
            Assert.Equal("6982", Send(other, "00200011"));
        }

        [Fact]
        public void Connect_StateFileCorrupted_UnresponsiveCardWithoutThrowing()
        {
            string path = InsertIdentity(0);
            File.WriteAllText(path, "not json");

            Assert.Equal(PcscResult.UnresponsiveCard, _api.Connect(_context, Reader(0), ShareMode.Shared, Protocols.Any, out _, out _));
        }

        [Fact]
        public void Disconnect_UnknownHandle_InvalidHandle()
        {
            Assert.Equal(PcscResult.InvalidHandle, _api.Disconnect(new IntPtr(7), Disposition.LeaveCard));
        }

        [Fact]
        public void Insert_OccupiedReader_Throws()
        {
            InsertIdentity(0);
            Assert.Throws<InvalidOperationException>(() => InsertIdentity(0));
        }

        [Fact]
        public void FromEnvironment_Unset_ReturnsNull()
        {
            Assert.Null(VirtualPcscApi.FromEnvironment(_ => null));
            Assert.Null(VirtualPcscApi.FromEnvironment(_ => "  "));
        }

        [Fact]
        public void FromEnvironment_OnlySeparators_NoReaderAtAll()
        {
            VirtualPcscApi? api = VirtualPcscApi.FromEnvironment(_ => Path.PathSeparator.ToString());

            Assert.NotNull(api);
            Assert.Equal(0, api!.ReaderCount);
            api.EstablishContext(PcscScope.User, out IntPtr context);
            Assert.Equal(PcscResult.NoReadersAvailable, api.ListReaders(context, out _));
        }

        [Fact]
        public void FromEnvironment_Paths_OneReaderEachMissingFileEmpty()
        {
            string card = _folder.Save(Kit.Identity(), "a.json");
            string missing = _folder.File("missing.json");
            string log = _folder.File("shared.log");
            var variables = new Dictionary<string, string?>
            {
                [VirtualPcscApi.CardsEnvironmentVariable] = missing + Path.PathSeparator + card,
                [VirtualPcscApi.ApduLogEnvironmentVariable] = log,
            };

            VirtualPcscApi? api = VirtualPcscApi.FromEnvironment(name => variables.TryGetValue(name, out string? v) ? v : null);

            Assert.NotNull(api);
            Assert.Equal(2, api!.ReaderCount);
            Assert.False(api.HasCard(0));
            Assert.True(api.HasCard(1));
            api.EstablishContext(PcscScope.User, out IntPtr context);
            Assert.Equal(PcscResult.NoSmartCard, api.Connect(context, Reader(0), ShareMode.Shared, Protocols.Any, out _, out _));
            Assert.Equal(PcscResult.Success, api.Connect(context, Reader(1), ShareMode.Shared, Protocols.Any, out IntPtr handle, out _));
            byte[] select = Kit.Bytes(Kit.SelectApp);
            var receive = new byte[258];
            int length = receive.Length;
            Assert.Equal(PcscResult.Success, api.Transmit(handle, Protocols.T0, select, select.Length, receive, ref length));
            Assert.Contains("00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 -> 90 00", File.ReadAllText(log));
        }

        [Fact]
        public void FromEnvironment_OneLogPerReader_EachCardWritesItsOwn()
        {
            string first = _folder.Save(Kit.Identity(), "first.json");
            string second = _folder.Save(Kit.Identity(), "second.json");
            string firstLog = _folder.File("first.log");
            string secondLog = _folder.File("second.log");
            var variables = new Dictionary<string, string?>
            {
                [VirtualPcscApi.CardsEnvironmentVariable] = first + Path.PathSeparator + second,
                [VirtualPcscApi.ApduLogEnvironmentVariable] = firstLog + Path.PathSeparator + secondLog,
            };

            SelectApplication(VirtualPcscApi.FromEnvironment(name => variables.TryGetValue(name, out string? v) ? v : null)!, 1);

            Assert.Contains("00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 -> 90 00", File.ReadAllText(secondLog));
            Assert.False(File.Exists(firstLog), "the card in reader 0 was never used, so its log has no line");
        }

        /// <summary>Connects to the card in <paramref name="slot"/> of <paramref name="api"/> and selects the PKCS#15 application.</summary>
        private static void SelectApplication(VirtualPcscApi api, int slot)
        {
            Assert.Equal(PcscResult.Success, api.EstablishContext(PcscScope.User, out IntPtr context));
            Assert.Equal(PcscResult.Success, api.Connect(context, Reader(slot), ShareMode.Shared, Protocols.Any, out IntPtr handle, out _));
            byte[] select = Kit.Bytes(Kit.SelectApp);
            byte[] receive = new byte[258];
            int length = receive.Length;
            Assert.Equal(PcscResult.Success, api.Transmit(handle, Protocols.T0, select, select.Length, receive, ref length));
        }

        [Fact]
        public void FromEnvironment_RealVariableUnset_ReturnsNull()
        {
            if (Environment.GetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable) == null)
            {
                Assert.Null(VirtualPcscApi.FromEnvironment());
            }
        }
    }
}
