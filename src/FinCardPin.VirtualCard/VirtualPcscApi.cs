using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// PC/SC served in process by virtual readers, named "FinCardPin Virtual Reader 0", "… 1", …, each holding a
    /// <see cref="VirtualCard"/> (its state file and optional APDU log) or empty. Behaves like pcscd with vpcd
    /// where that matters to the engine: reader states and event counts, sharing violations, REMOVED_CARD on old
    /// handles until SCardReconnect (even after a new card is inserted), RESET_CARD on other handles after a reset,
    /// transactions, TIMEOUT and CANCELLED. The card's state is read from its file when the card is powered (at
    /// the first connection) and saved by the card after every change, so another process or a later call sees
    /// the counters. The card is powered off when its last connection ends. Thread-safe.
    /// </summary>
    public sealed class VirtualPcscApi : IPcscApi
    {
        public const string ReaderNamePrefix = "FinCardPin Virtual Reader ";

        /// <summary>Card state file paths separated by <see cref="Path.PathSeparator"/>, one reader each.</summary>
        public const string CardsEnvironmentVariable = "FINCARDPIN_VIRTUAL_CARDS";

        /// <summary>One APDU log file shared by every virtual reader.</summary>
        public const string ApduLogEnvironmentVariable = "FINCARDPIN_VIRTUAL_APDU_LOG";

        /// <summary>The pseudo reader pcsc-lite and Windows offer for reader arrival notifications.</summary>
        private const string PnpNotification = @"\\?PnP?\Notification";

        private const uint Infinite = 0xFFFFFFFF;

        private const ReaderStates StateBits = ReaderStates.Unknown | ReaderStates.Unavailable | ReaderStates.Empty |
            ReaderStates.Present | ReaderStates.AtrMatch | ReaderStates.Exclusive | ReaderStates.InUse |
            ReaderStates.Mute | ReaderStates.Unpowered;

        private readonly object _gate = new object();
        private readonly Slot[] _slots;
        private readonly Dictionary<long, ContextEntry> _contexts = new Dictionary<long, ContextEntry>();
        private readonly Dictionary<long, HandleEntry> _handles = new Dictionary<long, HandleEntry>();
        private long _nextId = 0x10000;

        /// <param name="readerCount">How many (empty) readers to offer.</param>
        public VirtualPcscApi(int readerCount = 2)
        {
            if (readerCount < 0 || readerCount > 100)
            {
                throw new ArgumentOutOfRangeException(nameof(readerCount), readerCount, "0 to 100 readers.");
            }

            _slots = new Slot[readerCount];
            for (int i = 0; i < readerCount; i++)
            {
                _slots[i] = new Slot(ReaderName(i));
            }
        }

        public string Name => "FinCardPin virtual readers (in process)";

        public int ReaderCount => _slots.Length;

        public static string ReaderName(int slot) => ReaderNamePrefix + slot.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The virtual readers that <c>FINCARDPIN_VIRTUAL_CARDS</c> asks for, or null when it is unset or empty: one
        /// reader per path in order, holding that card, or empty when the file does not exist; no reader at all when it
        /// holds only separators.
        /// <c>FINCARDPIN_VIRTUAL_APDU_LOG</c>, when set, names one log file for all of them.
        /// </summary>
        public static VirtualPcscApi? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

        /// <summary><see cref="FromEnvironment()"/> with the variables read through <paramref name="getVariable"/> (tests).</summary>
        internal static VirtualPcscApi? FromEnvironment(Func<string, string?> getVariable)
        {
            string? cards = getVariable(CardsEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(cards))
            {
                return null;
            }

            string? log = getVariable(ApduLogEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(log))
            {
                log = null;
            }

            var paths = new List<string>();
            foreach (string part in cards!.Split(Path.PathSeparator))
            {
                if (part.Trim().Length != 0)
                {
                    paths.Add(part.Trim());
                }
            }

            // Set, but naming no file (only separators): virtual readers all the same — none, like a machine with no
            // reader attached.
            var api = new VirtualPcscApi(paths.Count);
            for (int i = 0; i < paths.Count; i++)
            {
                if (File.Exists(paths[i]))
                {
                    api.Insert(i, paths[i], log);
                }
            }

            return api;
        }

        /// <summary>Puts the card of <paramref name="statePath"/> into the empty reader <paramref name="slot"/>.</summary>
        public void Insert(int slot, string statePath, string? logPath = null)
        {
            if (statePath == null)
            {
                throw new ArgumentNullException(nameof(statePath));
            }

            VirtualCardState state = VirtualCardState.Load(statePath);
            lock (_gate)
            {
                Slot s = SlotAt(slot);
                if (s.HasCard)
                {
                    throw new InvalidOperationException(s.Name + " already holds a card.");
                }

                s.StatePath = Path.GetFullPath(statePath);
                s.LogPath = string.IsNullOrEmpty(logPath) ? null : Path.GetFullPath(logPath);
                s.Atr = state.Atr;
                s.Family = state.Family;
                s.InsertionId++;
                s.EventCount++;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Pulls the card out of reader <paramref name="slot"/> (nothing happens if it is empty).</summary>
        public void Remove(int slot)
        {
            lock (_gate)
            {
                Slot s = SlotAt(slot);
                if (s.HasCard)
                {
                    RemoveCard(s);
                }
            }
        }

        public bool HasCard(int slot)
        {
            lock (_gate)
            {
                return SlotAt(slot).HasCard;
            }
        }

        // ---- IPcscApi ----------------------------------------------------------------------------------------

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            context = IntPtr.Zero;
            if (scope != PcscScope.User && scope != PcscScope.System)
            {
                return PcscResult.InvalidValue;
            }

            lock (_gate)
            {
                var entry = new ContextEntry(NextId());
                _contexts.Add(entry.Id, entry);
                context = new IntPtr(entry.Id);
                return PcscResult.Success;
            }
        }

        public PcscResult ReleaseContext(IntPtr context)
        {
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                var owned = new List<HandleEntry>();
                foreach (HandleEntry handle in _handles.Values)
                {
                    if (handle.Context == entry)
                    {
                        owned.Add(handle);
                    }
                }

                foreach (HandleEntry handle in owned)
                {
                    DisconnectLocked(handle, Disposition.LeaveCard);
                }

                _contexts.Remove(entry.Id);
                entry.Released = true;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            lock (_gate)
            {
                readers = Array.Empty<string>();
                if (!_contexts.ContainsKey(context.ToInt64()))
                {
                    return PcscResult.InvalidHandle;
                }

                if (_slots.Length == 0)
                {
                    return PcscResult.NoReadersAvailable;
                }

                var names = new string[_slots.Length];
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = _slots[i].Name;
                }

                readers = names;
                return PcscResult.Success;
            }
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            if (readers == null)
            {
                return PcscResult.InvalidParameter;
            }

            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                var slots = new Slot?[readers.Length];
                for (int i = 0; i < readers.Length; i++)
                {
                    if (readers[i] == null)
                    {
                        return PcscResult.InvalidParameter;
                    }

                    if (readers[i].ReaderName == PnpNotification)
                    {
                        continue;
                    }

                    slots[i] = FindSlot(readers[i].ReaderName);
                    if (slots[i] == null)
                    {
                        return PcscResult.UnknownReader;
                    }
                }

                if (readers.Length == 0)
                {
                    return PcscResult.Success;
                }

                // Events during the wait count even when the state bits end up as they were (remove + insert).
                var countsAtStart = new int[readers.Length];
                for (int i = 0; i < readers.Length; i++)
                {
                    countsAtStart[i] = slots[i]?.EventCount ?? 0;
                }

                var clock = Stopwatch.StartNew();
                entry.Waiting++;
                try
                {
                    while (true)
                    {
                        if (entry.Released)
                        {
                            return PcscResult.InvalidHandle;
                        }

                        bool anyChange = false;
                        for (int i = 0; i < readers.Length; i++)
                        {
                            anyChange |= HasChanged(readers[i], slots[i], countsAtStart[i]);
                        }

                        if (anyChange)
                        {
                            Fill(readers, slots, countsAtStart);
                            return PcscResult.Success;
                        }

                        if (entry.CancelRequested)
                        {
                            entry.CancelRequested = false;
                            Fill(readers, slots, countsAtStart);
                            return PcscResult.Cancelled;
                        }

                        int wait;
                        if (timeoutMilliseconds == Infinite)
                        {
                            wait = Timeout.Infinite;
                        }
                        else
                        {
                            long left = timeoutMilliseconds - clock.ElapsedMilliseconds;
                            if (left <= 0)
                            {
                                Fill(readers, slots, countsAtStart);
                                return PcscResult.Timeout;
                            }

                            wait = (int)Math.Min(left, int.MaxValue);
                        }

                        Monitor.Wait(_gate, wait);
                    }
                }
                finally
                {
                    entry.Waiting--;
                }
            }
        }

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            card = IntPtr.Zero;
            activeProtocol = Protocols.Undefined;
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                if (readerName == null)
                {
                    return PcscResult.InvalidParameter;
                }

                Slot? slot = FindSlot(readerName);
                if (slot == null)
                {
                    return PcscResult.UnknownReader;
                }

                PcscResult checkedMode = CheckConnect(slot, null, shareMode, preferredProtocols, out Protocols active);
                if (checkedMode != PcscResult.Success)
                {
                    return checkedMode;
                }

                PcscResult powered = EnsurePowered(slot);
                if (powered != PcscResult.Success)
                {
                    return powered;
                }

                var handle = new HandleEntry(NextId(), entry, slot)
                {
                    InsertionId = slot.InsertionId,
                    PowerGeneration = slot.PowerGeneration,
                    Share = shareMode,
                    Active = active,
                };
                _handles.Add(handle.Id, handle);
                card = new IntPtr(handle.Id);
                activeProtocol = active;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization,
            out Protocols activeProtocol)
        {
            activeProtocol = Protocols.Undefined;
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                Slot slot = handle.Slot;
                PcscResult checkedMode = CheckConnect(slot, handle, shareMode, preferredProtocols, out Protocols active);
                if (checkedMode != PcscResult.Success)
                {
                    return checkedMode;
                }

                bool wasStale = handle.InsertionId != slot.InsertionId;
                if (wasStale && slot.TransactionOwner == handle)
                {
                    slot.TransactionOwner = null;
                    slot.TransactionDepth = 0;
                }

                PcscResult powered = EnsurePowered(slot);
                if (powered != PcscResult.Success)
                {
                    return powered;
                }

                handle.InsertionId = slot.InsertionId;
                handle.Share = shareMode;
                handle.Active = active;
                if (!wasStale && initialization != Disposition.LeaveCard)
                {
                    ResetCard(slot);
                }

                handle.PowerGeneration = slot.PowerGeneration;
                activeProtocol = active;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition)
        {
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                DisconnectLocked(handle, disposition);
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult BeginTransaction(IntPtr card)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                    {
                        return PcscResult.InvalidHandle;
                    }

                    PcscResult usable = CheckUsable(handle);
                    if (usable != PcscResult.Success)
                    {
                        return usable;
                    }

                    Slot slot = handle.Slot;
                    if (slot.TransactionOwner == null || slot.TransactionOwner == handle)
                    {
                        slot.TransactionOwner = handle;
                        slot.TransactionDepth++;
                        return PcscResult.Success;
                    }

                    // pcsc-lite waits for the other holder to end its transaction.
                    Monitor.Wait(_gate);
                }
            }
        }

        public PcscResult EndTransaction(IntPtr card, Disposition disposition)
        {
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                Slot slot = handle.Slot;
                if (!IsCurrent(handle))
                {
                    return PcscResult.RemovedCard;
                }

                if (slot.TransactionOwner != handle)
                {
                    return PcscResult.NotTransacted;
                }

                if (--slot.TransactionDepth <= 0)
                {
                    slot.TransactionOwner = null;
                    slot.TransactionDepth = 0;
                }

                if (disposition != Disposition.LeaveCard)
                {
                    ResetCard(slot);
                    handle.PowerGeneration = slot.PowerGeneration;
                }

                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            if (send == null || receive == null || sendLength < 1 || sendLength > send.Length || receiveLength < 0)
            {
                return PcscResult.InvalidParameter;
            }

            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                PcscResult usable = CheckUsable(handle);
                if (usable != PcscResult.Success)
                {
                    return usable;
                }

                Slot slot = handle.Slot;
                if (slot.TransactionOwner != null && slot.TransactionOwner != handle)
                {
                    return PcscResult.SharingViolation;
                }

                if (protocol != handle.Active || handle.Active == Protocols.Undefined)
                {
                    return PcscResult.ProtocolMismatch;
                }

                byte[]? response;
                try
                {
                    response = slot.Card!.Transmit(send, sendLength);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    // The card could not save its state file (or its fault setting is unreadable): no PC/SC call throws.
                    return PcscResult.CommunicationError;
                }

                if (response != null && response.Length == 0)
                {
                    // A silent card: like pcsc-lite, the call waits until the card goes away.
                    long insertion = slot.InsertionId;
                    while (slot.HasCard && slot.InsertionId == insertion)
                    {
                        Monitor.Wait(_gate);
                    }

                    return PcscResult.RemovedCard;
                }

                if (response == null)
                {
                    // The card vanished (a fault): the reader is empty from now on.
                    RemoveCard(slot);
                    return PcscResult.RemovedCard;
                }

                int room = Math.Min(receiveLength, receive.Length);
                if (response.Length > room)
                {
                    receiveLength = response.Length;
                    return PcscResult.InsufficientBuffer;
                }

                Buffer.BlockCopy(response, 0, receive, 0, response.Length);
                receiveLength = response.Length;
                return PcscResult.Success;
            }
        }

        public PcscResult Cancel(IntPtr context)
        {
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                // Like pcsc-lite: only a wait in progress is interrupted.
                if (entry.Waiting > 0)
                {
                    entry.CancelRequested = true;
                    Monitor.PulseAll(_gate);
                }

                return PcscResult.Success;
            }
        }

        // ---- internals (all under _gate) --------------------------------------------------------------------

        private long NextId() => ++_nextId;

        private Slot SlotAt(int slot)
        {
            if (slot < 0 || slot >= _slots.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(slot), slot, "There are " + _slots.Length + " virtual readers.");
            }

            return _slots[slot];
        }

        private Slot? FindSlot(string readerName)
        {
            foreach (Slot slot in _slots)
            {
                if (string.Equals(slot.Name, readerName, StringComparison.Ordinal))
                {
                    return slot;
                }
            }

            return null;
        }

        private bool IsCurrent(HandleEntry handle) => handle.Slot.HasCard && handle.InsertionId == handle.Slot.InsertionId;

        private PcscResult CheckUsable(HandleEntry handle)
        {
            if (!IsCurrent(handle))
            {
                return PcscResult.RemovedCard;
            }

            return handle.PowerGeneration != handle.Slot.PowerGeneration ? PcscResult.ResetCard : PcscResult.Success;
        }

        /// <summary>The sharing and protocol rules of SCardConnect / SCardReconnect.</summary>
        private PcscResult CheckConnect(Slot slot, HandleEntry? self, ShareMode shareMode, Protocols preferred, out Protocols active)
        {
            active = Protocols.Undefined;
            if (shareMode != ShareMode.Exclusive && shareMode != ShareMode.Shared && shareMode != ShareMode.Direct)
            {
                return PcscResult.InvalidValue;
            }

            if (!slot.HasCard)
            {
                return PcscResult.NoSmartCard;
            }

            foreach (HandleEntry other in _handles.Values)
            {
                if (other == self || other.Slot != slot || !IsCurrent(other))
                {
                    continue;
                }

                if (other.Share == ShareMode.Exclusive || shareMode == ShareMode.Exclusive)
                {
                    return PcscResult.SharingViolation;
                }
            }

            if (preferred == Protocols.Undefined)
            {
                return shareMode == ShareMode.Direct ? PcscResult.Success : PcscResult.InvalidValue;
            }

            // As pcscd decides from the ATR (observed with vpcd): the citizen ATRs have no TD1, so T=0 only; the
            // organisation and generic ATRs offer T=1, which pcscd takes when asked for T0|T1. The card's T0 flag
            // (61xx / 6Cxx behaviour) is independent of this.
            if (slot.Family == VirtualCardFamily.Citizen)
            {
                if ((preferred & Protocols.T0) == 0)
                {
                    return PcscResult.ProtocolMismatch;
                }

                active = Protocols.T0;
                return PcscResult.Success;
            }

            active = (preferred & Protocols.T1) != 0 ? Protocols.T1 : Protocols.T0;
            return PcscResult.Success;
        }

        private PcscResult EnsurePowered(Slot slot)
        {
            if (slot.Card != null)
            {
                return PcscResult.Success;
            }

            try
            {
                var card = new VirtualCard(VirtualCardState.Load(slot.StatePath!), slot.StatePath, slot.LogPath);
                card.PowerOn();
                slot.Card = card;
                return PcscResult.Success;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                // The state file is gone, unreadable or not a card: like a card that does not answer.
                return PcscResult.UnresponsiveCard;
            }
        }

        private void ResetCard(Slot slot)
        {
            slot.Card?.Reset();
            slot.PowerGeneration++;
        }

        private void DisconnectLocked(HandleEntry handle, Disposition disposition)
        {
            _handles.Remove(handle.Id);
            Slot slot = handle.Slot;
            if (slot.TransactionOwner == handle)
            {
                slot.TransactionOwner = null;
                slot.TransactionDepth = 0;
            }

            if (!IsCurrent(handle))
            {
                return;
            }

            if (disposition != Disposition.LeaveCard)
            {
                ResetCard(slot);
            }

            foreach (HandleEntry other in _handles.Values)
            {
                if (other.Slot == slot && IsCurrent(other))
                {
                    return;
                }
            }

            // The last connection is gone: pcscd powers the card off (after ~0.4 s; here at once).
            slot.Card?.PowerOff();
            slot.Card = null;
        }

        private void RemoveCard(Slot slot)
        {
            if (slot.Card != null)
            {
                slot.Card.Remove();
            }
            else if (slot.LogPath != null)
            {
                new ApduLog(slot.LogPath).Comment("removed");
            }

            slot.Card = null;
            slot.StatePath = null;
            slot.LogPath = null;
            slot.Atr = Array.Empty<byte>();
            slot.TransactionOwner = null;
            slot.TransactionDepth = 0;
            slot.EventCount++;
            Monitor.PulseAll(_gate);
        }

        private ReaderStates StateOf(Slot slot)
        {
            if (!slot.HasCard)
            {
                return ReaderStates.Empty;
            }

            ReaderStates state = ReaderStates.Present;
            bool inUse = false;
            foreach (HandleEntry handle in _handles.Values)
            {
                if (handle.Slot != slot || !IsCurrent(handle))
                {
                    continue;
                }

                if (handle.Share == ShareMode.Exclusive)
                {
                    return state | ReaderStates.Exclusive;
                }

                inUse = true;
            }

            return inUse ? state | ReaderStates.InUse : state;
        }

        private bool HasChanged(ReaderStateQuery query, Slot? slot, int countAtStart)
        {
            if (slot == null || (query.CurrentState & ReaderStates.Ignore) != 0)
            {
                return false;
            }

            uint current = (uint)query.CurrentState;
            if ((current & 0xFFFF) == (uint)ReaderStates.Unaware)
            {
                return true;
            }

            if (slot.EventCount != countAtStart)
            {
                return true;
            }

            // The caller may carry the event counter it last saw in the high 16 bits, as dwCurrentState does.
            uint knownCount = current >> 16;
            if (knownCount != 0 && knownCount != (uint)(slot.EventCount & 0xFFFF))
            {
                return true;
            }

            return (query.CurrentState & StateBits) != StateOf(slot);
        }

        private void Fill(ReaderStateQuery[] queries, Slot?[] slots, int[] countsAtStart)
        {
            for (int i = 0; i < queries.Length; i++)
            {
                ReaderStateQuery query = queries[i];
                Slot? slot = slots[i];
                if (slot == null)
                {
                    // The PnP notification pseudo reader: the reader list never changes.
                    query.EventState = query.CurrentState & StateBits;
                    query.Atr = Array.Empty<byte>();
                    continue;
                }

                if ((query.CurrentState & ReaderStates.Ignore) != 0)
                {
                    query.EventState = ReaderStates.Ignore;
                    continue;
                }

                ReaderStates state = StateOf(slot);
                if (HasChanged(query, slot, countsAtStart[i]))
                {
                    state |= ReaderStates.Changed;
                }

                query.EventState = state;
                query.EventCount = slot.EventCount & 0xFFFF;
                query.Atr = slot.HasCard ? (byte[])slot.Atr.Clone() : Array.Empty<byte>();
            }
        }

        private sealed class Slot
        {
            public Slot(string name)
            {
                Name = name;
            }

            public string Name { get; }

            public string? StatePath { get; set; }

            public string? LogPath { get; set; }

            public bool HasCard => StatePath != null;

            public byte[] Atr { get; set; } = Array.Empty<byte>();

            public VirtualCardFamily Family { get; set; }

            /// <summary>Bumped at each insertion: a handle from an earlier insertion gets REMOVED_CARD.</summary>
            public int InsertionId { get; set; }

            /// <summary>The high 16 bits of dwEventState: bumped on insertion and removal.</summary>
            public int EventCount { get; set; }

            /// <summary>Bumped at each reset: other handles get RESET_CARD until they reconnect.</summary>
            public int PowerGeneration { get; set; }

            /// <summary>The powered card, while at least one connection exists.</summary>
            public VirtualCard? Card { get; set; }

            public HandleEntry? TransactionOwner { get; set; }

            public int TransactionDepth { get; set; }
        }

        private sealed class ContextEntry
        {
            public ContextEntry(long id)
            {
                Id = id;
            }

            public long Id { get; }

            public int Waiting { get; set; }

            public bool CancelRequested { get; set; }

            public bool Released { get; set; }
        }

        private sealed class HandleEntry
        {
            public HandleEntry(long id, ContextEntry context, Slot slot)
            {
                Id = id;
                Context = context;
                Slot = slot;
            }

            public long Id { get; }

            public ContextEntry Context { get; }

            public Slot Slot { get; }

            public int InsertionId { get; set; }

            public int PowerGeneration { get; set; }

            public ShareMode Share { get; set; }

            public Protocols Active { get; set; }
        }
    }
}
