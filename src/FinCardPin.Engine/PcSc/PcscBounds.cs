using System;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// How long the engine waits for each kind of thing it cannot hurry. PC/SC has no timeout of its own for a card
    /// that never answers or another program that never lets go, so these bounds are kept by
    /// <see cref="PcscContext.Run{T}"/>. The defaults suit an unattended script.
    /// </summary>
    internal sealed class PcscBounds
    {
        public static readonly TimeSpan DefaultCardBusy = TimeSpan.FromSeconds(15);
        public static readonly TimeSpan DefaultCardAnswer = TimeSpan.FromSeconds(30);

        /// <summary>The longest a bound may be set to: a day is no bound a script should wait for.</summary>
        public static readonly TimeSpan MaximumBound = TimeSpan.FromDays(1);

        public PcscBounds(TimeSpan cardBusy, TimeSpan cardAnswer)
        {
            CardBusy = Check(cardBusy, nameof(cardBusy));
            CardAnswer = Check(cardAnswer, nameof(cardAnswer));
        }

        public static PcscBounds Default { get; } = new PcscBounds(DefaultCardBusy, DefaultCardAnswer);

        /// <summary>How long another program may hold the card (its transaction, or exclusive use) before the engine gives up.</summary>
        public TimeSpan CardBusy { get; }

        /// <summary>How long one answer of the card (or of the smart card service) may take.</summary>
        public TimeSpan CardAnswer { get; }

        /// <summary>The same bounds with another card-busy wait (a listing waits less for one busy card).</summary>
        public PcscBounds WithCardBusy(TimeSpan cardBusy) => new PcscBounds(cardBusy, CardAnswer);

        public TimeSpan For(WaitKind kind) => kind == WaitKind.CardBusy ? CardBusy : CardAnswer;

        private static TimeSpan Check(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero || value > MaximumBound)
            {
                throw new ArgumentOutOfRangeException(name, "0 < bound <= 1 day");
            }

            return value;
        }
    }

    /// <summary>What a native call waits for, which decides its bound.</summary>
    internal enum WaitKind
    {
        /// <summary>Not in a native call.</summary>
        None,

        /// <summary>The smart card service itself (context, reader list, reader state, connect).</summary>
        Service,

        /// <summary>Another program's transaction on the card (SCardBeginTransaction).</summary>
        CardBusy,

        /// <summary>The card's answer to one command (SCardTransmit).</summary>
        CardAnswer,
    }
}
