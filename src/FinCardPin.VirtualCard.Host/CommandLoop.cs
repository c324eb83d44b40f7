using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FinCardPin.Engine.Interop;
using FinCardPin.VirtualCard;

namespace FinCardPin.VirtualCard.Host
{
    /// <summary>
    /// The host's commands: one line in, one reply line out (<c>ok …</c> or <c>error …</c>). Cards go into vpcd
    /// readers (port 35963 + slot); <c>lock</c> holds a reader exclusively through the engine's native PC/SC, as
    /// another program would.
    /// </summary>
    internal sealed class CommandLoop : IDisposable
    {
        private static readonly TimeSpan InsertTimeout = TimeSpan.FromSeconds(5);

        private readonly TextWriter _out;
        private readonly Dictionary<int, VpcdCardConnection> _cards = new Dictionary<int, VpcdCardConnection>();
        private readonly Dictionary<int, IntPtr> _locks = new Dictionary<int, IntPtr>();
        private IPcscApi? _pcsc;
        private IntPtr _context;

        public CommandLoop(TextWriter output)
        {
            _out = output ?? throw new ArgumentNullException(nameof(output));
        }

        /// <summary>Reads commands until <c>quit</c> or the end of <paramref name="input"/>.</summary>
        public void Run(TextReader input)
        {
            string? line;
            while ((line = input.ReadLine()) != null)
            {
                string[] words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0 || words[0].StartsWith('#'))
                {
                    continue;
                }

                if (words[0] == "quit" || words[0] == "exit")
                {
                    Reply("ok quit");
                    return;
                }

                Reply(Execute(words));
            }
        }

        public string Execute(string[] words)
        {
            try
            {
                switch (words[0])
                {
                    case "insert" when words.Length == 3 || words.Length == 4:
                        return Insert(Program.ParseSlot(words[1]), words[2], words.Length == 4 ? words[3] : null);
                    case "remove" when words.Length == 2:
                        return Remove(Program.ParseSlot(words[1]));
                    case "lock" when words.Length == 2:
                        return Lock(Program.ParseSlot(words[1]));
                    case "unlock" when words.Length == 2:
                        return Unlock(Program.ParseSlot(words[1]));
                    default:
                        return "error unknown command '" + string.Join(" ", words)
                            + "' (insert <slot> <state.json> [<apdu.log>] | remove <slot> | lock <slot> | unlock <slot> | quit)";
                }
            }
            catch (UsageException e)
            {
                return "error " + e.Message;
            }
        }

        public string Insert(int slot, string statePath, string? logPath)
        {
            if (_cards.TryGetValue(slot, out VpcdCardConnection? existing))
            {
                if (existing.IsConnected)
                {
                    return "error slot " + Text(slot) + " already holds a card";
                }

                existing.Dispose();
                _cards.Remove(slot);
            }

            VirtualFineidCard card;
            try
            {
                card = VirtualFineidCard.Load(statePath, logPath);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return "error cannot read card state " + statePath + ": " + OneLine(e.Message);
            }

            var connection = new VpcdCardConnection(card, slot);
            connection.Disconnected += (sender, e) =>
            {
                if (connection.Error != null)
                {
                    Console.Error.WriteLine("# slot " + Text(slot) + ": card gone: " + OneLine(connection.Error.Message));
                }
            };
            try
            {
                connection.Start(InsertTimeout);
            }
            catch (Exception e) when (e is TimeoutException || e is IOException || e is System.Net.Sockets.SocketException)
            {
                connection.Dispose();
                return "error insert " + Text(slot) + ": " + OneLine(e.Message);
            }

            _cards[slot] = connection;
            return "ok inserted " + Text(slot);
        }

        public string Remove(int slot)
        {
            if (_cards.TryGetValue(slot, out VpcdCardConnection? connection))
            {
                connection.Dispose();
                _cards.Remove(slot);
            }

            return "ok removed " + Text(slot);
        }

        private string Lock(int slot)
        {
            if (_locks.ContainsKey(slot))
            {
                return "ok locked " + Text(slot);
            }

            IPcscApi api;
            try
            {
                api = _pcsc ??= PcscPlatform.Native;
            }
            catch (PlatformNotSupportedException e)
            {
                return "error lock " + Text(slot) + ": " + OneLine(e.Message);
            }

            if (_context == IntPtr.Zero)
            {
                PcscResult established = api.EstablishContext(PcscScope.System, out IntPtr context);
                if (established != PcscResult.Success)
                {
                    return "error lock " + Text(slot) + ": SCardEstablishContext " + Describe(established);
                }

                _context = context;
            }

            // The vpcd reader's FRIENDLYNAME is the test tier's (build.ps1 sets it in FINCARDPIN_VPCD_READER_NAME and writes
            // the reader configuration with it); pcsc-lite adds " 00 0n".
            string? friendlyName = Environment.GetEnvironmentVariable("FINCARDPIN_VPCD_READER_NAME");
            if (string.IsNullOrEmpty(friendlyName))
            {
                return "error lock " + Text(slot) + ": FINCARDPIN_VPCD_READER_NAME (the vpcd reader's FRIENDLYNAME) is not set";
            }

            string reader = friendlyName + " 00 " + slot.ToString("00", CultureInfo.InvariantCulture);
            PcscResult listed = api.ListReaders(_context, out IReadOnlyList<string> readers);
            if (listed == PcscResult.Success)
            {
                foreach (string name in readers)
                {
                    // pcsc-lite may add its own suffix; the vpcd reader names start with "<FRIENDLYNAME> 00 0n".
                    if (name.StartsWith(reader, StringComparison.Ordinal))
                    {
                        reader = name;
                        break;
                    }
                }
            }

            PcscResult connected = api.Connect(_context, reader, ShareMode.Exclusive, Protocols.Any, out IntPtr card, out _);
            if (connected != PcscResult.Success)
            {
                return "error lock " + Text(slot) + ": SCardConnect(" + reader + ", EXCLUSIVE) " + Describe(connected);
            }

            _locks[slot] = card;
            return "ok locked " + Text(slot);
        }

        private string Unlock(int slot)
        {
            if (_locks.TryGetValue(slot, out IntPtr card))
            {
                _pcsc?.Disconnect(card, Disposition.LeaveCard);
                _locks.Remove(slot);
            }

            return "ok unlocked " + Text(slot);
        }

        public void Dispose()
        {
            foreach (IntPtr card in _locks.Values)
            {
                _pcsc?.Disconnect(card, Disposition.LeaveCard);
            }

            _locks.Clear();
            if (_context != IntPtr.Zero)
            {
                _pcsc?.ReleaseContext(_context);
                _context = IntPtr.Zero;
            }

            foreach (VpcdCardConnection connection in _cards.Values)
            {
                connection.Dispose();
            }

            _cards.Clear();
        }

        private void Reply(string line)
        {
            _out.WriteLine(line);
            _out.Flush();
        }

        private static string Describe(PcscResult result) =>
            result + " (0x" + ((uint)result).ToString("X8", CultureInfo.InvariantCulture) + ")";

        private static string Text(int slot) => slot.ToString(CultureInfo.InvariantCulture);

        private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
    }
}
