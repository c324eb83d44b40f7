using FinCardPin.Engine.Fineid;

namespace FinCardPin
{
    /// <summary>One card reader and the card in it, as written by Get-CardReader.</summary>
    public sealed class CardReader
    {
        public CardReader(string name, ReaderType readerType, ReaderState state, string? atr, CardKind cardKind, string? chip, string? cardSerial, int readerEventCount = 0)
            : this(name, readerType, state, atr, cardKind, chip, cardSerial, readerEventCount, null, null)
        {
        }

        internal CardReader(string name, ReaderType readerType, ReaderState state, string? atr, CardKind cardKind, string? chip, string? cardSerial, int readerEventCount,
            CardSighting? sighting, ReaderPinPad? pinPad)
        {
            PinPad = pinPad ?? new ReaderPinPad(Engine.PinPad.PinPadInfo.None);
            Sighting = sighting;
            ReaderEventCount = readerEventCount;
            Name = name;
            ReaderType = readerType;
            State = state;
            Atr = atr;
            CardKind = cardKind;
            Chip = chip;
            CardSerial = cardSerial;
        }

        /// <summary>The reader's name; binds to -ReaderName of the other cmdlets.</summary>
        public string Name { get; }

        public ReaderType ReaderType { get; }

        public ReaderState State { get; }

        public bool CardPresent => CardKind != CardKind.None;

        /// <summary>The card's ATR in hex, or null when the reader is empty.</summary>
        public string? Atr { get; }

        public CardKind CardKind { get; }

        public bool IsFineid => CardIdentity.IsFineidKind(CardKind);

        /// <summary>The chip generation the ATR names, e.g. "Thales MultiApp v5.0".</summary>
        public string? Chip { get; }

        /// <summary>The FINEID card's serial number; binds later cmdlets to this very card.</summary>
        public string? CardSerial { get; }

        /// <summary>
        /// The reader's count of card insertions and removals when the serial was read (0 where the platform does not
        /// report it). Information only: no cmdlet binds it, since a saved or exported count proves nothing.
        /// </summary>
        public int ReaderEventCount { get; }

        /// <summary>What the reader's keypad can do (PC/SC Part 10 features): None, Verify or VerifyAndChange, with its digit range.</summary>
        public ReaderPinPad PinPad { get; }

        /// <summary>
        /// This process's own record of reading <see cref="CardSerial"/>: internal, so PowerShell can neither bind,
        /// export nor rebuild it. Get-CardPinStatus may take it (from this very object) to spare a serial read.
        /// </summary>
        internal CardSighting? Sighting { get; }

        public override string ToString() => Name;
    }
}
