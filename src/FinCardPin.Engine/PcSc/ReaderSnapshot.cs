using System;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>One reader as SCardGetStatusChange saw it: no card was talked to.</summary>
    internal sealed class ReaderSnapshot
    {
        public ReaderSnapshot(string name, ReaderStates states, byte[] atr, int eventCount)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            States = states;
            Atr = atr ?? Array.Empty<byte>();
            EventCount = eventCount;
        }

        public string Name { get; }

        public ReaderStates States { get; }

        public byte[] Atr { get; }

        public int EventCount { get; }

        public bool HasCard => (States & ReaderStates.Present) != 0 && (States & ReaderStates.Mute) == 0;

        public bool IsExclusive => (States & ReaderStates.Exclusive) != 0;
    }
}
