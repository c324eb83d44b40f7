using System;
using System.Globalization;
using System.Text;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.VirtualCard.Host.PinPad
{
    /// <summary>
    /// A PC_to_RDR_Secure PIN operation as libccid puts it on the wire (USB CCID 1.1 §6.1.11/6.1.11.7–8; libccid's
    /// commands.c SecurePINVerify/SecurePINModify build it from the PC/SC Part 10 structure by dropping bTimeOut2 and
    /// ulDataLength). abData, from bPINOperation on:
    /// <code>
    /// verify (00): bTimeOut bmFormatString bmPINBlockString bmPINLengthFormat bPINMaxExtraDigit(max) (min)
    ///              bEntryValidationCondition bNumberMessage wLangId(2, LE) bMsgIndex bTeoPrologue(3) APDU
    /// modify (01): bTimeOut bmFormatString bmPINBlockString bmPINLengthFormat bInsertionOffsetOld bInsertionOffsetNew
    ///              wPINMaxExtraDigit(max, min) bConfirmPIN bEntryValidationCondition bNumberMessage wLangId(2, LE)
    ///              bMsgIndex1 bMsgIndex2 bMsgIndex3 bTeoPrologue(3) APDU
    /// </code>
    /// For a Gemalto reader libccid always sends all three bMsgIndex bytes of a modify (its "Gemalto CCID Modify Pin
    /// Bug" workaround), which is the layout read here. The reader "types" the keypad entry into the APDU template as
    /// bmFormatString/bmPINBlockString/bmPINLengthFormat say, checks the length against the minimum and maximum and
    /// a new code against its confirmation, and only then gives the APDU to the card.
    /// </summary>
    internal sealed class SecurePinEntry
    {
        public const ushort TimedOut = 0x6400;
        public const ushort Cancelled = 0x6401;
        public const ushort ConfirmationDiffers = 0x6402;
        public const ushort LengthOutOfRange = 0x6403;
        public const ushort BadStructure = 0x6B80;

        private SecurePinEntry()
        {
        }

        public bool IsModify { get; private set; }

        public byte TimeOut { get; private set; }

        public byte FormatString { get; private set; }

        public byte PinBlockString { get; private set; }

        public byte PinLengthFormat { get; private set; }

        public byte OffsetOld { get; private set; }

        public byte OffsetNew { get; private set; }

        public byte MaxDigits { get; private set; }

        public byte MinDigits { get; private set; }

        public byte ConfirmPin { get; private set; }

        public byte EntryValidationCondition { get; private set; }

        public byte NumberMessage { get; private set; }

        public ushort LangId { get; private set; }

        public byte[] MsgIndex { get; private set; } = Array.Empty<byte>();

        public byte[] TeoPrologue { get; private set; } = Array.Empty<byte>();

        public byte[] ApduTemplate { get; private set; } = Array.Empty<byte>();

        /// <summary>The prompts the reader shows, in order: "current", "new", "confirm".</summary>
        public string[] Prompts => !IsModify
            ? new[] { "code" }
            : (ConfirmPin & 0x02) != 0
                ? ((ConfirmPin & 0x01) != 0 ? new[] { "current", "new", "confirm" } : new[] { "current", "new" })
                : ((ConfirmPin & 0x01) != 0 ? new[] { "new", "confirm" } : new[] { "new" });

        /// <summary>Reads abData (from bPINOperation on); null when it is not a verify or modify this reader knows.</summary>
        public static SecurePinEntry? Parse(byte[] data)
        {
            if (data.Length < 1)
            {
                return null;
            }

            var e = new SecurePinEntry { IsModify = data[0] == 0x01 };
            int header = e.IsModify ? 20 : 15;
            if ((data[0] != 0x00 && data[0] != 0x01) || data.Length < header + 4)
            {
                return null;
            }

            e.TimeOut = data[1];
            e.FormatString = data[2];
            e.PinBlockString = data[3];
            e.PinLengthFormat = data[4];
            if (e.IsModify)
            {
                e.OffsetOld = data[5];
                e.OffsetNew = data[6];
                e.MaxDigits = data[7];
                e.MinDigits = data[8];
                e.ConfirmPin = data[9];
                e.EntryValidationCondition = data[10];
                e.NumberMessage = data[11];
                e.LangId = (ushort)(data[12] | (data[13] << 8));
                e.MsgIndex = Slice(data, 14, 3);
                e.TeoPrologue = Slice(data, 17, 3);
            }
            else
            {
                e.MaxDigits = data[5];
                e.MinDigits = data[6];
                e.EntryValidationCondition = data[7];
                e.NumberMessage = data[8];
                e.LangId = (ushort)(data[9] | (data[10] << 8));
                e.MsgIndex = Slice(data, 11, 1);
                e.TeoPrologue = Slice(data, 12, 3);
            }

            e.ApduTemplate = Slice(data, header, data.Length - header);
            return e;
        }

        /// <summary>One line for the wire log: every field as the reader received it (the template holds no code).</summary>
        public string Describe()
        {
            var sb = new StringBuilder();
            sb.Append(IsModify ? "secure modify:" : "secure verify:");
            sb.Append(" bTimeOut=").Append(TimeOut.ToString(CultureInfo.InvariantCulture));
            sb.Append(" bmFormatString=").Append(X(FormatString));
            sb.Append(" bmPINBlockString=").Append(X(PinBlockString));
            sb.Append(" bmPINLengthFormat=").Append(X(PinLengthFormat));
            if (IsModify)
            {
                sb.Append(" bInsertionOffsetOld=").Append(X(OffsetOld));
                sb.Append(" bInsertionOffsetNew=").Append(X(OffsetNew));
            }

            sb.Append(" min=").Append(MinDigits.ToString(CultureInfo.InvariantCulture));
            sb.Append(" max=").Append(MaxDigits.ToString(CultureInfo.InvariantCulture));
            if (IsModify)
            {
                sb.Append(" bConfirmPIN=").Append(X(ConfirmPin));
            }

            sb.Append(" bEntryValidationCondition=").Append(X(EntryValidationCondition));
            sb.Append(" bNumberMessage=").Append(X(NumberMessage));
            sb.Append(" wLangId=").Append(LangId.ToString("X4", CultureInfo.InvariantCulture));
            sb.Append(" bMsgIndex=").Append(Hex.Format(MsgIndex));
            sb.Append(" bTeoPrologue=").Append(Hex.Format(TeoPrologue));
            sb.Append(" APDU=").Append(Hex.Format(ApduTemplate));
            return sb.ToString();
        }

        /// <summary>
        /// Puts the typed codes into the template. Returns the APDU for the card, or null with the reader's own
        /// status word in <paramref name="readerStatus"/> (or a CCID error in <paramref name="ccidError"/>: cancel
        /// EF, time-out F0, as real readers report them and libccid turns into 6401/6400).
        /// </summary>
        public byte[]? Build(KeypadEntry entry, out ushort readerStatus, out byte ccidError, out string outcome)
        {
            readerStatus = 0;
            ccidError = 0;
            string[] prompts = Prompts;
            var typed = new byte[prompts.Length][];
            try
            {
                for (int i = 0; i < prompts.Length; i++)
                {
                    KeypadEntry.Key key = entry.At(i, out byte[]? digits);
                    if (key == KeypadEntry.Key.Cancel)
                    {
                        ccidError = 0xEF;
                        outcome = "cancelled at the " + prompts[i] + " prompt";
                        return null;
                    }

                    if (key == KeypadEntry.Key.Timeout)
                    {
                        ccidError = 0xF0;
                        outcome = (entry.Scripted ? "timed out" : "timed out (no keypad entry scripted)") + " at the " + prompts[i] + " prompt";
                        return null;
                    }

                    typed[i] = digits!;
                    if (digits!.Length < MinDigits || digits.Length > MaxDigits)
                    {
                        readerStatus = LengthOutOfRange;
                        outcome = digits.Length.ToString(CultureInfo.InvariantCulture) + " digits at the " + prompts[i]
                            + " prompt, outside " + MinDigits.ToString(CultureInfo.InvariantCulture) + "-" + MaxDigits.ToString(CultureInfo.InvariantCulture);
                        return null;
                    }
                }

                if (IsModify && (ConfirmPin & 0x01) != 0)
                {
                    byte[] newCode = typed[prompts.Length - 2];
                    byte[] confirmation = typed[prompts.Length - 1];
                    if (!Same(newCode, confirmation))
                    {
                        readerStatus = ConfirmationDiffers;
                        outcome = "the new code and its confirmation differ";
                        return null;
                    }
                }

                byte[]? apdu;
                if (!IsModify)
                {
                    apdu = Insert(ApduTemplate, new[] { typed[0] }, new[] { Position() });
                }
                else if ((ConfirmPin & 0x02) != 0)
                {
                    apdu = Insert(ApduTemplate, new[] { typed[0], typed[1] }, new[] { OffsetOld, (int)OffsetNew });
                }
                else
                {
                    apdu = Insert(ApduTemplate, new[] { typed[0] }, new[] { (int)OffsetNew });
                }

                if (apdu == null)
                {
                    readerStatus = BadStructure;
                    outcome = "the structure asks for a PIN format this reader does not build";
                    return null;
                }

                outcome = "typed " + string.Join(", ", Array.ConvertAll(typed, t => t.Length.ToString(CultureInfo.InvariantCulture) + " digits")) + "; the APDU went to the card";
                return apdu;
            }
            finally
            {
                foreach (byte[]? t in typed)
                {
                    if (t != null)
                    {
                        Array.Clear(t, 0, t.Length);
                    }
                }
            }
        }

        // The PIN's position after Lc, in bytes: bmFormatString bits 6-3, in bytes (bit 7 set) or bits.
        private int Position()
        {
            int position = (FormatString >> 3) & 0x0F;
            if ((FormatString & 0x80) != 0)
            {
                return position;
            }

            return position % 8 == 0 ? position / 8 : -1;
        }

        private byte[]? Insert(byte[] template, byte[][] codes, int[] offsets)
        {
            if (template.Length < 4)
            {
                return null;
            }

            int coding = FormatString & 0x03;
            bool right = (FormatString & 0x04) != 0;
            int blockSize = PinBlockString & 0x0F;
            int lengthBits = PinBlockString >> 4;
            if (coding == 0x03 || (lengthBits != 0 && lengthBits != 8))
            {
                return null;
            }

            var encoded = new byte[codes.Length][];
            try
            {
                for (int i = 0; i < codes.Length; i++)
                {
                    encoded[i] = Encode(codes[i], coding);
                    if (offsets[i] < 0)
                    {
                        return null;
                    }
                }

                byte[] apdu;
                if (blockSize == 0)
                {
                    // Variable length: the codes follow each other from the first offset; the reader sets Lc.
                    int dataLength = offsets[0];
                    foreach (byte[] e in encoded)
                    {
                        dataLength += e.Length;
                    }

                    if (dataLength > 255)
                    {
                        return null;
                    }

                    apdu = new byte[5 + dataLength];
                    Buffer.BlockCopy(template, 0, apdu, 0, 4);
                    if (template.Length > 5)
                    {
                        Buffer.BlockCopy(template, 5, apdu, 5, Math.Min(template.Length - 5, offsets[0]));
                    }

                    apdu[4] = (byte)dataLength;
                    int at = 5 + offsets[0];
                    foreach (byte[] e in encoded)
                    {
                        Buffer.BlockCopy(e, 0, apdu, at, e.Length);
                        at += e.Length;
                    }
                }
                else
                {
                    apdu = (byte[])template.Clone();
                    for (int i = 0; i < encoded.Length; i++)
                    {
                        int start = 5 + offsets[i];
                        if (encoded[i].Length > blockSize || start + blockSize > apdu.Length)
                        {
                            Array.Clear(apdu, 0, apdu.Length);
                            return null;
                        }

                        int at = right ? start + blockSize - encoded[i].Length : start;
                        if (coding == 0x01 && codes[i].Length % 2 == 1)
                        {
                            // BCD with an odd count: the last nibble keeps the template's filler.
                            Buffer.BlockCopy(encoded[i], 0, apdu, at, encoded[i].Length - 1);
                            int last = at + encoded[i].Length - 1;
                            apdu[last] = (byte)((encoded[i][encoded[i].Length - 1] & 0xF0) | (apdu[last] & 0x0F));
                        }
                        else
                        {
                            Buffer.BlockCopy(encoded[i], 0, apdu, at, encoded[i].Length);
                        }
                    }
                }

                if (lengthBits == 8)
                {
                    // The code's length (in digits) at bmPINLengthFormat's position (bits 3-0, in bytes or bits).
                    int position = PinLengthFormat & 0x0F;
                    if ((PinLengthFormat & 0x10) == 0)
                    {
                        if (position % 8 != 0)
                        {
                            return null;
                        }

                        position /= 8;
                    }

                    if (5 + position >= apdu.Length)
                    {
                        return null;
                    }

                    apdu[5 + position] = (byte)codes[0].Length;
                }

                return apdu;
            }
            finally
            {
                foreach (byte[]? e in encoded)
                {
                    if (e != null)
                    {
                        Array.Clear(e, 0, e.Length);
                    }
                }
            }
        }

        // ASCII: one '0'-'9' byte per digit; BCD: two digits a byte (an odd last digit in the high nibble); binary:
        // one byte 0-9 per digit.
        private static byte[] Encode(byte[] digits, int coding)
        {
            if (coding == 0x02)
            {
                return (byte[])digits.Clone();
            }

            if (coding == 0x00)
            {
                var binary = new byte[digits.Length];
                for (int i = 0; i < digits.Length; i++)
                {
                    binary[i] = (byte)(digits[i] - '0');
                }

                return binary;
            }

            var bcd = new byte[(digits.Length + 1) / 2];
            for (int i = 0; i < digits.Length; i++)
            {
                int value = digits[i] - '0';
                bcd[i / 2] |= (byte)(i % 2 == 0 ? value << 4 : value);
            }

            return bcd;
        }

        private static bool Same(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            int diff = 0;
            for (int i = 0; i < a.Length; i++)
            {
                diff |= a[i] ^ b[i];
            }

            return diff == 0;
        }

        private static byte[] Slice(byte[] data, int start, int count)
        {
            var part = new byte[count];
            Buffer.BlockCopy(data, start, part, 0, count);
            return part;
        }

        private static string X(byte value) => value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
