using System;
using System.Globalization;
using System.IO;
using System.Runtime.Serialization;

namespace FinCardPin.VirtualCard
{
    /// <summary>Faults a test can ask the card to show.</summary>
    [DataContract(Name = "Faults", Namespace = "")]
    internal sealed class VirtualCardFaults
    {
        /// <summary>
        /// Hex INS (e.g. "24"): when a command with this INS arrives, the card vanishes BEFORE processing it, so no
        /// state is half changed. Null or empty = never. The fault stays in the state file: a re-inserted card
        /// vanishes again on the same INS until the test clears it.
        /// </summary>
        [DataMember(Order = 0, EmitDefaultValue = false)]
        public string? RemoveOnInstruction { get; set; }

        /// <summary>Every answer is <c>61 01</c> and every GET RESPONSE one byte + <c>61 01</c>, for ever.</summary>
        [DataMember(Order = 1)]
        public bool AnswerMoreDataForever { get; set; }

        /// <summary>
        /// Hex INS (e.g. "20"): a command with this INS is answered with <see cref="AnswerStatusWord"/> WITHOUT being
        /// executed (no try spent, nothing changed) — a card that asks for a resend (6Cxx), or answers nonsense.
        /// </summary>
        [DataMember(Order = 2, EmitDefaultValue = false)]
        public string? AnswerInstruction { get; set; }

        /// <summary>Hex SW1 SW2 (e.g. "6C0C") of <see cref="AnswerInstruction"/>.</summary>
        [DataMember(Order = 3, EmitDefaultValue = false)]
        public string? AnswerStatusWord { get; set; }

        /// <summary>Only commands with data (those that carry a code) get the fault answer; an empty VERIFY does not.</summary>
        [DataMember(Order = 4, EmitDefaultValue = false)]
        public bool AnswerOnlyCommandsWithData { get; set; }

        /// <summary>How many commands (per power-on) get the fault answer before the card behaves again; 0 = all of them.</summary>
        [DataMember(Order = 5, EmitDefaultValue = false)]
        public int AnswerTimes { get; set; }

        /// <summary>
        /// Hex INS: a command with this INS that carries data is EXECUTED (a try spent, a code changed) and then the card
        /// vanishes without answering — the answer is lost on the way.
        /// </summary>
        [DataMember(Order = 6, EmitDefaultValue = false)]
        public string? LoseAnswerOnInstruction { get; set; }

        /// <summary>
        /// A tries count the card reports instead of the real one, in GET DATA (DF21) and in the empty VERIFY's 63Cx
        /// (there at most 15): e.g. 9, a count no FINEID code can have.
        /// </summary>
        [DataMember(Order = 7, EmitDefaultValue = false)]
        public int? ReportedTriesLeft { get; set; }

        /// <summary>
        /// Hex INS: the card never answers a command with this INS (and does not execute it); the reader waits until the
        /// card is removed. A card that stopped answering in the middle of an operation.
        /// </summary>
        [DataMember(Order = 8, EmitDefaultValue = false)]
        public string? SilentOnInstruction { get; set; }

        // --- A card that fails part-way through an operation (a file read cut after its first piece, a status read
        // after a code change that went through). ---

        /// <summary>
        /// Hex INS (e.g. "B0", "24"): once the card has answered <see cref="FailAfterAnswers"/> commands with this INS
        /// (since the application was last selected, or the card powered on; 0 counts as 1), every later command
        /// fails as <see cref="FailAfterMode"/> says, without being executed, until the application is selected again. What was answered before stays answered and done.
        /// </summary>
        [DataMember(Order = 9, EmitDefaultValue = false)]
        public string? FailAfterInstruction { get; set; }

        /// <summary>How many answers to <see cref="FailAfterInstruction"/> the card gives before it fails; 0 = 1.</summary>
        [DataMember(Order = 10, EmitDefaultValue = false)]
        public int FailAfterAnswers { get; set; }

        /// <summary>
        /// How the later commands fail: "Remove" (the card is pulled; the default), "Silent" (never answers, until
        /// removed), "NoStatusWord" (a one-byte answer: what an empty or cut-off answer is to the program) or
        /// "TooLong" (61 01 for ever, like <see cref="AnswerMoreDataForever"/>).
        /// </summary>
        [DataMember(Order = 11, EmitDefaultValue = false)]
        public string? FailAfterMode { get; set; }

        /// <summary>
        /// A query of the state of the reader holding this card (SCardGetStatusChange) never returns while the card is
        /// in it: a reader driver that hangs. Only the in-process virtual readers show it (pcscd asks its own driver).
        /// </summary>
        [DataMember(Order = 12, EmitDefaultValue = false)]
        public bool SilentReaderState { get; set; }

        // --- A card that reads otherwise than FINEID cards are known to (ISO 7816-4 leaves these to the card). ---

        /// <summary>
        /// Hex SW1 SW2 (e.g. "6A86", "6A82"): a SELECT of an elementary file under the current DF (P1 02) is answered
        /// with it, without selecting anything; the same file id with P1 00 selects it.
        /// </summary>
        [DataMember(Order = 13, EmitDefaultValue = false)]
        public string? SelectUnderDfStatusWord { get; set; }

        /// <summary>
        /// The longest READ BINARY the card answers (1-256; 0 = no limit): a longer one is answered as
        /// <see cref="ReadBinaryTooLongAnswer"/> says, without data.
        /// </summary>
        [DataMember(Order = 14, EmitDefaultValue = false)]
        public int ReadBinaryMaxLength { get; set; }

        /// <summary>How a too-long READ BINARY is answered: "6700" (the default) or "6C" (6Cxx, xx the longest it answers).</summary>
        [DataMember(Order = 15, EmitDefaultValue = false)]
        public string? ReadBinaryTooLongAnswer { get; set; }

        /// <summary>
        /// IDEMIA chips (ID.me, Cosmo X): GET DATA of a PIN's security object named by a global reference (bit 7 clear,
        /// as the organisation codes 03, 04 and 12 are) is answered 6A88 while the application is selected, as real
        /// IAS-ECC cards may; the tries then come from the empty VERIFY.
        /// </summary>
        [DataMember(Order = 16, EmitDefaultValue = false)]
        public bool IdemiaGlobalGetDataRefused { get; set; }

        internal ushort? SelectUnderDfStatusWordValue => string.IsNullOrWhiteSpace(SelectUnderDfStatusWord)
            ? (ushort?)null
            : ParseStatusWord(SelectUnderDfStatusWord, nameof(SelectUnderDfStatusWord));

        /// <summary>The answer to a READ BINARY longer than <see cref="ReadBinaryMaxLength"/>.</summary>
        internal ushort ReadBinaryTooLongStatusWord
        {
            get
            {
                string text = (ReadBinaryTooLongAnswer ?? string.Empty).Trim();
                if (text.Length == 0 || text == "6700")
                {
                    return 0x6700;
                }

                if (string.Equals(text, "6C", StringComparison.OrdinalIgnoreCase))
                {
                    return (ushort)(0x6C00 | (ReadBinaryMaxLength & 0xFF));
                }

                throw new InvalidDataException("ReadBinaryTooLongAnswer is not 6700 or 6C: '" + ReadBinaryTooLongAnswer + "'.");
            }
        }

        private static ushort ParseStatusWord(string? value, string name)
        {
            string text = (value ?? string.Empty).Replace(" ", string.Empty);
            if (!ushort.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort sw) || text.Length != 4)
            {
                throw new InvalidDataException(name + " is not a hex status word like 6A86: '" + value + "'.");
            }

            return sw;
        }

        internal byte? FailAfterInstructionByte => HexByte(FailAfterInstruction, nameof(FailAfterInstruction));

        internal FailMode FailAfterModeValue
        {
            get
            {
                if (string.IsNullOrWhiteSpace(FailAfterMode))
                {
                    return FailMode.Remove;
                }

                if (!Enum.TryParse(FailAfterMode!.Trim(), true, out FailMode mode) || !Enum.IsDefined(typeof(FailMode), mode))
                {
                    throw new InvalidDataException("FailAfterMode is not Remove, Silent, NoStatusWord or TooLong: '" + FailAfterMode + "'.");
                }

                return mode;
            }
        }

        /// <summary>The ways of <see cref="FailAfterMode"/>.</summary>
        internal enum FailMode
        {
            Remove,
            Silent,
            NoStatusWord,
            TooLong,
        }

        public VirtualCardFaults Clone() => (VirtualCardFaults)MemberwiseClone();

        internal byte? SilentOnInstructionByte => HexByte(SilentOnInstruction, nameof(SilentOnInstruction));

        /// <summary>The INS of <see cref="RemoveOnInstruction"/>, or null when unset.</summary>
        internal byte? RemoveOnInstructionByte => HexByte(RemoveOnInstruction, nameof(RemoveOnInstruction));

        internal byte? AnswerInstructionByte => HexByte(AnswerInstruction, nameof(AnswerInstruction));

        internal byte? LoseAnswerOnInstructionByte => HexByte(LoseAnswerOnInstruction, nameof(LoseAnswerOnInstruction));

        /// <summary>The fault answer's SW1 SW2 as a number.</summary>
        internal ushort AnswerStatusWordValue
        {
            get
            {
                string text = (AnswerStatusWord ?? string.Empty).Replace(" ", string.Empty);
                if (!ushort.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort sw) || text.Length != 4)
                {
                    throw new InvalidDataException("AnswerStatusWord is not a hex status word like 6C0C: '" + AnswerStatusWord + "'.");
                }

                return sw;
            }
        }

        private static byte? HexByte(string? value, string name)
        {
            string? text = value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (text!.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                text = text.Substring(2);
            }

            if (!byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte ins))
            {
                throw new InvalidDataException(name + " is not a hex byte: '" + value + "'.");
            }

            return ins;
        }
    }
}
