using FinCardPin.Engine.Fineid;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin
{
    /// <summary>One code on one card, as written by Get-CardPinStatus (and -PassThru of Set/Unlock-CardPin).</summary>
    public sealed class PinStatus
    {
        internal PinStatus(string readerName, CardKind cardKind, string? cardSerial, PinStatusInfo info, PinAdvice advice)
            : this(readerName, cardKind, cardSerial, info, advice, false)
        {
        }

        /// <param name="severalCards">More than one FINEID card is present: NextCommand names the reader.</param>
        internal PinStatus(string readerName, CardKind cardKind, string? cardSerial, PinStatusInfo info, PinAdvice advice, bool severalCards)
        {
            ReaderName = readerName;
            CardKind = cardKind;
            CardSerial = cardSerial;
            Code = info.Code;
            State = info.State;
            TriesLeft = info.TriesLeft;
            MaxTries = info.MaxTries;
            var rule = PinRules.LengthOf(cardKind, info.Code);
            MinLength = rule.Minimum;
            MaxLength = rule.Maximum;
            LengthRule = Texts.LengthRule(rule);
            CodeName = Texts.CodeName(info.Code);
            Advice = advice;
            NextStep = NextCommands.Advice(advice);
            NextCommand = NextCommands.For(info.Code, advice, severalCards ? readerName : null);
        }

        public string ReaderName { get; }

        public CardKind CardKind { get; }

        public string? CardSerial { get; }

        public PinCode Code { get; }

        /// <summary>
        /// The name the DVV's instructions use, e.g. "signature code (PIN2)". Not "Name": piped on, that would bind as
        /// a reader name.
        /// </summary>
        public string CodeName { get; }

        public PinState State { get; }

        /// <summary>Null when the card does not tell (e.g. an identity card's activation code on some chips).</summary>
        public int? TriesLeft { get; }

        public int MaxTries { get; }

        public int MinLength { get; }

        public int MaxLength { get; }

        public string LengthRule { get; }

        /// <summary>The DVV's next step as a value (worded for the holder by <see cref="Localization.HolderNotice"/>).</summary>
        internal PinAdvice Advice { get; }

        /// <summary>What to do when the code is blocked or not activated; null when nothing needs doing.</summary>
        public string? NextStep { get; }

        /// <summary>
        /// The command to run next, e.g. "Unlock-CardPin -Code Pin2" (with -ReaderName when more than one card is
        /// present); null when nothing needs doing or no command can help (NextStep says what to do).
        /// </summary>
        public string? NextCommand { get; }

        public override string ToString() => ReaderName + ": " + CodeName + " " + State;
    }
}
