using System;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// PIN_VERIFY_STRUCTURE and PIN_MODIFY_STRUCTURE (PC/SC Part 10 v2.02.09 sections 2.5.2-2.5.3; pcsc-lite reader.h,
    /// packed, multi-byte fields little-endian). The APDU template carries the pad bytes only: the reader writes the
    /// digits into it, so no block ever holds a code. The template itself is built with every other card command in
    /// <see cref="Fineid.FineidCommands.PinPadTemplate"/>.
    /// </summary>
    internal static class PinPadBlocks
    {
        public const int VerifyHeaderLength = 19;
        public const int ModifyHeaderLength = 24;

        /// <summary>bmFormatString: byte unit (bit 7), position 0, left-justified, ASCII (10).</summary>
        public const byte AsciiBytesAtZero = 0x82;

        /// <summary>bEntryValidationCondition 02: the holder ends the entry with OK (the one CT700 accepts).</summary>
        public const byte ValidateWithOk = 0x02;

        /// <summary>The keypad's first and later time-outs in seconds (0 would be the reader's default).</summary>
        public const byte TimeoutSeconds = 30;

        /// <summary>A verify block: <paramref name="apdu"/> is the command with its pad bytes.</summary>
        public static byte[] Verify(PinPadFrame frame, int minDigits, int maxDigits, ushort languageId, byte[] apdu)
        {
            if (apdu == null)
            {
                throw new ArgumentNullException(nameof(apdu));
            }

            var block = new byte[VerifyHeaderLength + apdu.Length];
            block[0] = TimeoutSeconds;
            block[1] = TimeoutSeconds;
            block[2] = AsciiBytesAtZero;
            block[3] = frame.BlockSize;
            block[4] = 0x00; // no length field
            block[5] = (byte)maxDigits; // wPINMaxExtraDigit 0xXXYY little-endian: YY maximum first, XX minimum
            block[6] = (byte)minDigits;
            block[7] = ValidateWithOk;
            block[8] = 0x01; // one message: "enter PIN"
            block[9] = (byte)(languageId & 0xFF);
            block[10] = (byte)(languageId >> 8);
            block[11] = 0x00; // bMsgIndex
            // 12-14 bTeoPrologue: 00 00 00 (the T=1 driver fills it)
            WriteLength(block, 15, apdu.Length);
            Buffer.BlockCopy(apdu, 0, block, VerifyHeaderLength, apdu.Length);
            return block;
        }

        /// <summary>
        /// A modify block. <paramref name="askCurrent"/> sets bConfirmPIN bit 1 (the reader asks the current code
        /// first), the new code is always confirmed (bit 0): three prompts, or two without the current code.
        /// </summary>
        public static byte[] Modify(PinPadFrame frame, bool askCurrent, int minDigits, int maxDigits, ushort languageId, byte[] apdu)
        {
            if (apdu == null)
            {
                throw new ArgumentNullException(nameof(apdu));
            }

            var block = new byte[ModifyHeaderLength + apdu.Length];
            block[0] = TimeoutSeconds;
            block[1] = TimeoutSeconds;
            block[2] = AsciiBytesAtZero;
            block[3] = frame.BlockSize;
            block[4] = 0x00;
            block[5] = 0x00; // bInsertionOffsetOld
            block[6] = askCurrent ? frame.BlockSize : (byte)0x00; // bInsertionOffsetNew: after the current code's frame
            block[7] = (byte)maxDigits;
            block[8] = (byte)minDigits;
            block[9] = (byte)(askCurrent ? 0x03 : 0x01);
            block[10] = ValidateWithOk;
            block[11] = (byte)(askCurrent ? 0x03 : 0x02);
            block[12] = (byte)(languageId & 0xFF);
            block[13] = (byte)(languageId >> 8);
            block[14] = 0x00; // bMsgIndex1: enter the current code
            block[15] = 0x01; // bMsgIndex2: enter the new code
            block[16] = 0x02; // bMsgIndex3: confirm the new code
            // 17-19 bTeoPrologue: 00 00 00
            WriteLength(block, 20, apdu.Length);
            Buffer.BlockCopy(apdu, 0, block, ModifyHeaderLength, apdu.Length);
            return block;
        }

        /// <summary>wLangId for a culture name: Finnish 040B, Swedish 041D, else English 0409.</summary>
        public static ushort LanguageIdFor(string? cultureName)
        {
            var language = (cultureName ?? string.Empty).Split('-')[0].ToUpperInvariant();
            return language == "FI" ? (ushort)0x040B : language == "SV" ? (ushort)0x041D : (ushort)0x0409;
        }

        private static void WriteLength(byte[] block, int offset, int length)
        {
            block[offset] = (byte)length;
            block[offset + 1] = (byte)(length >> 8);
            block[offset + 2] = (byte)(length >> 16);
            block[offset + 3] = (byte)(length >> 24);
        }
    }

    /// <summary>How the card takes a code: a fixed frame of pad bytes, or exactly the digits typed (block size 0).</summary>
    internal readonly struct PinPadFrame : IEquatable<PinPadFrame>
    {
        private PinPadFrame(byte blockSize, byte pad)
        {
            BlockSize = blockSize;
            Pad = pad;
        }

        /// <summary>The identity card's frame: ASCII, left-justified, 00-padded to 12 bytes.</summary>
        public static PinPadFrame TwelveZeroPadded { get; } = new PinPadFrame(12, 0x00);

        /// <summary>Exactly eight digits (the organisation card's activation code): every byte typed.</summary>
        public static PinPadFrame EightDigits { get; } = new PinPadFrame(8, 0x00);

        /// <summary>Unpadded, the length typed: the reader sets Lc.</summary>
        public static PinPadFrame Variable { get; } = new PinPadFrame(0, 0x00);

        public byte BlockSize { get; }

        public byte Pad { get; }

        public bool Equals(PinPadFrame other) => BlockSize == other.BlockSize && Pad == other.Pad;

        public override bool Equals(object? obj) => obj is PinPadFrame other && Equals(other);

        public override int GetHashCode() => BlockSize << 8 | Pad;

        public static bool operator ==(PinPadFrame left, PinPadFrame right) => left.Equals(right);

        public static bool operator !=(PinPadFrame left, PinPadFrame right) => !left.Equals(right);
    }
}
