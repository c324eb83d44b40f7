using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>One virtual reader: the card it holds, its event and power counters, its transaction.</summary>
    internal sealed partial class VirtualPcscApi
    {
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

            /// <summary>The card's SilentReaderState fault, read at insertion: a query of this reader's state hangs.</summary>
            public bool SilentState { get; set; }

            /// <summary>Bumped at each insertion: a handle from an earlier insertion gets REMOVED_CARD.</summary>
            public int InsertionId { get; set; }

            /// <summary>The high 16 bits of dwEventState: bumped on insertion and removal.</summary>
            public int EventCount { get; set; }

            /// <summary>Bumped at each reset: other handles get RESET_CARD until they reconnect.</summary>
            public int PowerGeneration { get; set; }

            /// <summary>The powered card, while at least one connection exists.</summary>
            public VirtualFineidCard? Card { get; set; }

            public HandleEntry? TransactionOwner { get; set; }

            public int TransactionDepth { get; set; }

            /// <summary>The reader's keypad, if it has one (it stays when cards come and go).</summary>
            public VirtualPinPad? PinPad { get; set; }
        }
    }
}
