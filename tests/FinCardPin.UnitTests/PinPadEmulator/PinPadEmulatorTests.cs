namespace FinCardPin.UnitTests.PinPadEmulator
{
    using System;
    using System.Globalization;
    using System.IO;
    using System.Linq;
    using FinCardPin.UnitTests.VirtualCards;
    using FinCardPin.VirtualCard.Host.PinPad;
    using Xunit;

    /// <summary>
    /// The emulated GemPC Pinpad of the virtual-card host without pcscd: the PIN block it builds from a Secure
    /// structure, the keypad script, the card's side of T=1, the serial framing, and the reader's CCID answers. The
    /// PIN-pad tier (tests/EndToEnd/PinPadReader.Tests.ps1) runs the same code behind the real pcscd and libccidtwin.
    /// </summary>
    public class PinPadEmulatorTests
    {
        // abData of a verify as libccid sends it: bPINOperation 00, bTimeOut 1E, the format bytes, max, min,
        // validation 02, bNumberMessage 01, wLangId 040B, bMsgIndex 00, bTeoPrologue 000000, then the APDU.
        private static byte[] Verify(string format, string block, string apdu, string lengthFormat = "00", int min = 4, int max = 12) =>
            Kit.Bytes("00 1E " + format + block + lengthFormat + max.ToString("X2", CultureInfo.InvariantCulture) + min.ToString("X2", CultureInfo.InvariantCulture) + "02 01 0B04 00 000000" + apdu);

        // abData of a modify: offsets, max, min, bConfirmPIN, validation, bNumberMessage 03, wLangId, three bMsgIndex.
        private static byte[] Modify(string apdu, string confirm = "03", string offsetNew = "0C") =>
            Kit.Bytes("01 1E 82 0C 00 00" + offsetNew + "0C 04" + confirm + "02 03 0B04 000102 000000" + apdu);

        private static string Build(byte[] abData, string keys, out ushort status, out byte ccidError)
        {
            SecurePinEntry entry = SecurePinEntry.Parse(abData) ?? throw new InvalidOperationException("not parsed");
            using KeypadEntry keypad = KeypadEntry.Parse(keys);
            byte[]? apdu = entry.Build(keypad, out status, out ccidError, out _);
            return apdu == null ? string.Empty : Convert.ToHexString(apdu);
        }

        [Fact]
        public void Verify_AsciiPaddedTo12_DigitsFromTheLeftOverTheFiller()
        {
            string apdu = Build(Verify("82", "0C", "002000110C" + string.Concat(Enumerable.Repeat("00", 12))), "1234", out _, out _);
            Assert.Equal("002000110C" + Kit.Padded("1234"), apdu);
        }

        [Fact]
        public void Verify_VariableLength_HeaderOnly_ReaderSetsLc()
        {
            Assert.Equal("0020000304" + Kit.Ascii("1234"), Build(Verify("82", "00", "00200003", max: 8), "1234", out _, out _));
            Assert.Equal("0020000306" + Kit.Ascii("123456"), Build(Verify("82", "00", "0020000300", max: 8), "123456", out _, out _));
        }

        [Fact]
        public void Verify_BcdRightJustified_OddDigitKeepsTheFillerNibble()
        {
            // bmFormatString 85: bytes, position 0, right-justified, BCD; an 8-byte block of FF.
            Assert.Equal("0020000108FFFFFFFFFF12345F", Build(Verify("85", "08", "0020000108FFFFFFFFFFFFFFFF"), "12345", out _, out _));
        }

        [Fact]
        public void Verify_LengthFieldOf8Bits_WrittenWhereBmPinLengthFormatSays()
        {
            // PIN at byte 1 (bmFormatString 8A: bytes, position 1, ASCII), its length in the byte at position 0.
            Assert.Equal("00200001080431323334FFFFFF", Build(Verify("8A", "87", "0020000108FFFFFFFFFFFFFFFF", lengthFormat: "10"), "1234", out _, out _));
        }

        [Theory]
        [InlineData("cancel", 0, 0xEF)]
        [InlineData("timeout", 0, 0xF0)]
        [InlineData("", 0, 0xF0)]
        [InlineData("12", 0x6403, 0)]
        [InlineData("1234567890123", 0x6403, 0)]
        public void Verify_HolderOutcomes_NoApdu(string keys, int status, int ccidError)
        {
            string apdu = Build(Verify("82", "0C", "002000110C" + string.Concat(Enumerable.Repeat("00", 12))), keys, out ushort readerStatus, out byte error);
            Assert.Equal(string.Empty, apdu);
            Assert.Equal(status, readerStatus);
            Assert.Equal(ccidError, error);
        }

        [Fact]
        public void Modify_CurrentAndNewAtOffsets0And12_ConfirmationChecked()
        {
            string template = "0024001118" + string.Concat(Enumerable.Repeat("00", 24));
            Assert.Equal("0024001118" + Kit.Padded("1234") + Kit.Padded("4321"), Build(Modify(template), "1234 4321 4321", out _, out _));
            Assert.Equal(string.Empty, Build(Modify(template), "1234 4321 4322", out ushort status, out _));
            Assert.Equal(0x6402, status);
            Assert.Equal(string.Empty, Build(Modify(template), "1234 cancel", out _, out byte error));
            Assert.Equal(0xEF, error);
        }

        [Fact]
        public void Modify_NewCodeOnly_VariableLength_ForResetRetryCounter()
        {
            SecurePinEntry entry = SecurePinEntry.Parse(Kit.Bytes("01 1E 82 00 00 00 00 08 04 01 02 03 0B04 000102 000000 002C0203"))!;
            Assert.Equal(new[] { "new", "confirm" }, entry.Prompts);
            using KeypadEntry keypad = KeypadEntry.Parse("654321 654321");
            Assert.Equal("002C020306" + Kit.Ascii("654321"), Convert.ToHexString(entry.Build(keypad, out _, out _, out _)!));
        }

        [Fact]
        public void Parse_ReadsTheFieldsWhereLibccidPutsThem()
        {
            SecurePinEntry modify = SecurePinEntry.Parse(Modify("0024001118" + string.Concat(Enumerable.Repeat("00", 24))))!;
            Assert.True(modify.IsModify);
            Assert.Equal(0x040B, modify.LangId);
            Assert.Equal("000102", Convert.ToHexString(modify.MsgIndex));
            Assert.Equal(29, modify.ApduTemplate.Length);
            Assert.Contains("bConfirmPIN=03", modify.Describe(), StringComparison.Ordinal);
            Assert.Null(SecurePinEntry.Parse(Kit.Bytes("02 1E")));
        }

        [Fact]
        public void Keypad_TakesTheFirstEntryLineAndLeavesTheRest()
        {
            using var folder = new TempFolder();
            string path = folder.File("keypad");
            File.WriteAllText(path, "# the holder\n1234 wait=200000\n\ncancel\n");
            using (KeypadEntry first = KeypadEntry.Take(path))
            {
                Assert.True(first.Scripted);
                Assert.Equal(KeypadEntry.MaxWaitMs, first.WaitMs);
                Assert.Equal(KeypadEntry.Key.Digits, first.At(0, out byte[]? digits));
                Assert.Equal("31323334", Convert.ToHexString(digits!));
            }

            using (KeypadEntry second = KeypadEntry.Take(path))
            {
                Assert.Equal(KeypadEntry.Key.Cancel, second.At(0, out _));
            }

            using KeypadEntry none = KeypadEntry.Take(path);
            Assert.False(none.Scripted);
            Assert.Equal(KeypadEntry.Key.Timeout, none.At(0, out _));
        }

        private static byte[] Block(string nadPcb, string inf)
        {
            byte[] body = Kit.Bytes(nadPcb + (inf.Length / 2).ToString("X2", CultureInfo.InvariantCulture) + inf);
            byte lrc = 0;
            foreach (byte b in body)
            {
                lrc ^= b;
            }

            return body.Concat(new[] { lrc }).ToArray();
        }

        [Fact]
        public void T1_IfsRequest_ChainingBothWays_AndRetransmission()
        {
            var t1 = new T1CardSide();
            Assert.Equal(Convert.ToHexString(Block("00E1", "FE")), Convert.ToHexString(t1.Handle(Block("00C1", "FE"), _ => null, _ => { })!));

            // A command in two chained I-blocks: the card acknowledges the first with R(N(R)=1).
            string seen = string.Empty;
            Func<byte[], byte[]?> card = apdu =>
            {
                seen = Convert.ToHexString(apdu);
                return Enumerable.Repeat((byte)0xAB, 300).Concat(new byte[] { 0x90, 0x00 }).ToArray();
            };
            Assert.Equal(Convert.ToHexString(Block("0090", string.Empty)), Convert.ToHexString(t1.Handle(Block("0020", "00B0"), card, _ => { })!));
            byte[] first = t1.Handle(Block("0040", "000000"), card, _ => { })!;
            Assert.Equal("00B0000000", seen);

            // The answer (302 bytes) goes back in IFSD-sized pieces (254), the first with the M bit.
            Assert.Equal(0x20, first[1]);
            Assert.Equal(254, first[2]);
            byte[] again = t1.Handle(Block("0080", string.Empty), card, _ => { })!;
            Assert.Equal(Convert.ToHexString(first), Convert.ToHexString(again));
            byte[] last = t1.Handle(Block("0090", string.Empty), card, _ => { })!;
            Assert.Equal(0x40, last[1]);
            Assert.Equal(48, last[2]);
            Assert.Equal("9000", Convert.ToHexString(last, last.Length - 3, 2));

            byte[] broken = Block("0000", "00A4");
            broken[^1] ^= 0xFF;
            Assert.Equal(0x81, t1.Handle(broken, card, _ => { })![1] & 0xEF);
        }

        [Fact]
        public void Framing_MessagesByLrc_AndTheEchoIsAHeaderOnly()
        {
            var framing = new GemPcSerialFraming();
            byte[] command = Kit.Bytes("6F 05000000 00 07 00 0000 00A4040C00");
            byte[] frame = GemPcSerialFraming.Frame(command);
            framing.Add(new byte[] { 0x55 }, 1);
            framing.Add(frame, 6);
            Assert.Null(framing.Next());
            framing.Add(frame.Skip(6).ToArray(), frame.Length - 6);
            Assert.Equal(Convert.ToHexString(command), Convert.ToHexString(framing.Next()!));
            Assert.Equal(1, framing.Discarded);
            Assert.Equal(0, framing.BadChecksums);

            byte[] both = GemPcSerialFraming.EchoAndAnswer(command, Kit.Bytes("80 02000000 00 07 00 00 00 9000"));
            Assert.Equal("03066F000000000007000000", Convert.ToHexString(both, 0, 12));
            Assert.Equal(13 + 15, both.Length);
        }

        [Fact]
        public void Reader_PowerOnPpsT0AndSecure_WithAReaderWithoutModify()
        {
            using var folder = new TempFolder();
            var state = Kit.Identity();
            state.T0 = true;
            string card = folder.Save(state);
            File.WriteAllText(folder.File("card"), card + "\n" + folder.File("apdu.log"));
            var reader = new CcidPinPadReader(folder.Path);

            Assert.Equal("81000000000000010000", Convert.ToHexString(reader.Handle(Kit.Bytes("65 00000000 00 00 000000"))));
            byte[] powerOn = reader.Handle(Kit.Bytes("62 00000000 00 01 010000"));
            Assert.Equal("3B7F9600008031B865B085050011122460829000", Convert.ToHexString(powerOn, 10, powerOn.Length - 10));
            Assert.Equal("FF109679", Convert.ToHexString(reader.Handle(Kit.Bytes("6F 04000000 00 02 000000 FF109679")), 10, 4));
            Assert.Equal("9000", Convert.ToHexString(reader.Handle(Kit.Bytes("6F 11000000 00 03 000000" + Kit.SelectApp)), 10, 2));

            string verify = "00 1E 82 0C 00 0C 04 02 01 0B04 00 000000 002000110C" + string.Concat(Enumerable.Repeat("00", 12));
            File.WriteAllText(folder.File("keypad"), "1234\n");
            byte[] answer = reader.Handle(Kit.Bytes("69 " + (Kit.Bytes(verify).Length).ToString("X2", CultureInfo.InvariantCulture) + "000000 00 04 000000 " + verify));
            Assert.Equal("9000", Convert.ToHexString(answer, 10, 2));
            Assert.Contains("00 20 00 11 [code redacted] -> 90 00", File.ReadAllText(folder.File("apdu.log")), StringComparison.Ordinal);

            Assert.Equal(0x40, reader.Handle(Kit.Bytes("6B 01000000 00 06 000000 6A"))[7] & 0xC0);
            byte[] features = new CcidPinPadReader(folder.Path, (4, 8)).Handle(Kit.Bytes("6B 01000000 00 06 000000 6A"));
            Assert.Equal(21, features.Length - 10);
            Assert.Equal("0408", Convert.ToHexString(features, 10 + 13, 2));

            File.WriteAllText(folder.File("reader"), "modify=no\n");
            string modify = "01 1E 82 0C 00 00 0C 0C 04 03 02 03 0B04 000102 000000 0024001118" + string.Concat(Enumerable.Repeat("00", 24));
            byte[] refused = reader.Handle(Kit.Bytes("69 " + (Kit.Bytes(modify).Length).ToString("X2", CultureInfo.InvariantCulture) + "000000 00 05 000000 " + modify));
            Assert.Equal(0x40, refused[7] & 0xC0);
            Assert.Equal(0x0A, refused[8]);
            Assert.DoesNotContain("00 24 00 11", File.ReadAllText(folder.File("apdu.log")), StringComparison.Ordinal);
        }
    }
}
