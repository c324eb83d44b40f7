using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// PC/SC served in process by virtual readers, named as real readers are (<see cref="ReaderName"/>), each holding a
    /// <see cref="VirtualFineidCard"/> (its state file and optional APDU log) or empty. Behaves like pcscd with vpcd
    /// where that matters to the engine: reader states and event counts, sharing violations, REMOVED_CARD on old
    /// handles until SCardReconnect (even after a new card is inserted), RESET_CARD on other handles after a reset,
    /// transactions, TIMEOUT and CANCELLED. The card's state is read from its file when the card is powered (at
    /// the first connection) and saved by the card after every change, so another process or a later call sees
    /// the counters. The card is powered off when its last connection ends. Thread-safe. One file per concern:
    /// VirtualPcscApi.Contexts and .Cards (the IPcscApi calls), .Handles (the slot and handle state behind them),
    /// .ReaderStates (what SCardGetStatusChange reports), and the nested .Slot, .ContextEntry and .HandleEntry.
    /// </summary>
    internal sealed partial class VirtualPcscApi : IPcscApi
    {
        /// <summary>What every virtual reader's name starts with.</summary>
        public const string ReaderNamePrefix = "FinCardPin Virtual ";

        /// <summary>Card state file paths separated by <see cref="Path.PathSeparator"/>, one reader each.</summary>
        public const string CardsEnvironmentVariable = "FINCARDPIN_VIRTUAL_CARDS";

        /// <summary>
        /// One APDU log file shared by every virtual reader, or one per reader: paths separated by
        /// <see cref="Path.PathSeparator"/> in the order of <see cref="CardsEnvironmentVariable"/> (an empty entry: no log).
        /// </summary>
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

        /// <summary>
        /// The name of reader <paramref name="slot"/>, in the two forms real readers have, so that every test runs on
        /// names like users' own: even slots as pcsc-lite names a CCID reader (the USB interface's name in brackets,
        /// then the reader and slot numbers in hex, as its hotplug_libudev.c and readerfactory.c build them: "HID
        /// Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00"), odd ones as Windows names
        /// a reader (the device's friendly name and an instance number: "HID Global OMNIKEY 3x21 Smart Card Reader 0").
        /// The brackets are wildcard characters in PowerShell: such a name is not a pattern that matches itself.
        /// </summary>
        public static string ReaderName(int slot)
        {
            int index = slot / 2;
            return slot % 2 == 0
                ? ReaderNamePrefix + "CCID Reader [FinCardPin Virtual CCID Reader] " + index.ToString("X2", CultureInfo.InvariantCulture) + " 00"
                : ReaderNamePrefix + "Smart Card Reader " + index.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// The virtual readers that <c>FINCARDPIN_VIRTUAL_CARDS</c> asks for, or null when it is unset or empty: one
        /// reader per path in order, holding that card, or empty when the file does not exist; no reader at all when it
        /// holds only separators.
        /// <c>FINCARDPIN_VIRTUAL_APDU_LOG</c>, when set, names one log file for all of them, or (with separators) one
        /// per reader, so that a test can tell which card saw what.
        /// </summary>
        public static VirtualPcscApi? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

        /// <summary><see cref="FromEnvironment()"/> with the variables read through <paramref name="getVariable"/> (a runspace's Use-VirtualCard, tests).</summary>
        public static VirtualPcscApi? FromEnvironment(Func<string, string?> getVariable)
        {
            if (getVariable == null)
            {
                throw new ArgumentNullException(nameof(getVariable));
            }

            string? cards = getVariable(CardsEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(cards))
            {
                return null;
            }

            // Each log and keypad entry goes with the card in the same position of its variable (an empty card entry
            // drops a reader, not the entries after it).
            string[] cardParts = cards!.Split(Path.PathSeparator);
            string[] logParts = (getVariable(ApduLogEnvironmentVariable) ?? string.Empty).Split(Path.PathSeparator);
            string[] padParts = (getVariable(VirtualPinPad.EnvironmentVariable) ?? string.Empty).Split(Path.PathSeparator);
            var positions = new List<int>();
            for (int position = 0; position < cardParts.Length; position++)
            {
                if (cardParts[position].Trim().Length != 0)
                {
                    positions.Add(position);
                }
            }

            // Set, but naming no file (only separators): virtual readers all the same — none, like a machine with no
            // reader attached.
            var api = new VirtualPcscApi(positions.Count);
            for (int slot = 0; slot < positions.Count; slot++)
            {
                string path = cardParts[positions[slot]].Trim();
                if (File.Exists(path))
                {
                    api.Insert(slot, path, EntryAt(logParts, positions[slot]));
                }

                string? pad = EntryAt(padParts, positions[slot]);
                if (pad != null && File.Exists(pad))
                {
                    api.AttachPinPad(slot, VirtualPinPad.Load(pad));
                }
            }

            return api;
        }

        /// <summary>One entry: every reader's; several: the one at <paramref name="position"/>. Null when empty.</summary>
        private static string? EntryAt(string[] parts, int position)
        {
            string entry = (parts.Length == 1 ? parts[0] : position < parts.Length ? parts[position] : string.Empty).Trim();
            return entry.Length == 0 ? null : entry;
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
                s.SilentState = state.Faults.SilentReaderState;
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
    }
}
