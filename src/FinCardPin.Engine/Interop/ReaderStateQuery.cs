using System;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// One reader's entry for SCardGetStatusChange in platform-neutral form: the caller fills
    /// <see cref="ReaderName"/> and <see cref="CurrentState"/>; the platform binding fills the rest.
    /// </summary>
    internal sealed class ReaderStateQuery
    {
        public ReaderStateQuery(string readerName, ReaderStates currentState = ReaderStates.Unaware)
        {
            ReaderName = readerName ?? throw new ArgumentNullException(nameof(readerName));
            CurrentState = currentState;
        }

        public string ReaderName { get; }

        /// <summary>What the caller believes the state is (low 16 bits), plus the event counter it last saw.</summary>
        public ReaderStates CurrentState { get; set; }

        /// <summary>The state the service reports, with the event counter masked off.</summary>
        public ReaderStates EventState { get; set; }

        /// <summary>The high 16 bits of dwEventState: a counter of card events on this reader.</summary>
        public int EventCount { get; set; }

        /// <summary>The ATR of the card in the reader (empty when there is none).</summary>
        public byte[] Atr { get; set; } = Array.Empty<byte>();
    }
}
