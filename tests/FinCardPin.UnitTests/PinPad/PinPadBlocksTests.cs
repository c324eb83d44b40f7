using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PinPad;
using Xunit;

namespace FinCardPin.UnitTests.PinPad
{
    /// <summary>
    /// The blocks byte for byte, each expected value written out field by field from pcsc-lite's reader.h layout and the
    /// per-case table of the research (bmFormatString 82; block 0C/08/00; 00-padding; offsets 00/0C; bConfirmPIN 03/01).
    /// </summary>
    public sealed class PinPadBlocksTests
    {
        private static string Hex(byte[] bytes) => FinCardPin.Engine.Apdu.Hex.Format(bytes);

        [Fact]
        public void Verify_IdentityPin1_TwelveZeroPaddedFrame_Finnish()
        {
            var apdu = FineidCommands.PinPadTemplate(0x20, 0x00, 0x11, PinPadFrame.TwelveZeroPadded, 1, false);
            var block = PinPadBlocks.Verify(PinPadFrame.TwelveZeroPadded, 4, 12, 0x040B, apdu);

            Assert.Equal(
                "1E 1E 82 0C 00 " + // bTimerOut, bTimerOut2, bmFormatString, bmPINBlockString, bmPINLengthFormat
                "0C 04 " +          // wPINMaxExtraDigit: maximum 12, minimum 4
                "02 01 " +          // bEntryValidationCondition (OK key), bNumberMessage
                "0B 04 00 " +       // wLangId 040B, bMsgIndex
                "00 00 00 " +       // bTeoPrologue
                "11 00 00 00 " +    // ulDataLength 17
                "00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00",
                Hex(block));
        }

        [Fact]
        public void Modify_IdentityChange_OffsetsZeroAndTwelve_ThreePrompts_English()
        {
            var apdu = FineidCommands.PinPadTemplate(0x24, 0x00, 0x11, PinPadFrame.TwelveZeroPadded, 2, false);
            var block = PinPadBlocks.Modify(PinPadFrame.TwelveZeroPadded, true, 4, 12, 0x0409, apdu);

            Assert.Equal(
                "1E 1E 82 0C 00 " +
                "00 0C " +          // bInsertionOffsetOld 0, bInsertionOffsetNew 12
                "0C 04 " +          // wPINMaxExtraDigit
                "03 02 03 " +       // bConfirmPIN (current + confirm), validation, bNumberMessage 3
                "09 04 " +          // wLangId 0409
                "00 01 02 " +       // bMsgIndex1-3
                "00 00 00 " +
                "1D 00 00 00 " +    // ulDataLength 29
                "00 24 00 11 18" + string.Concat(System.Linq.Enumerable.Repeat(" 00", 24)),
                Hex(block));
        }

        [Fact]
        public void Modify_IdentityUnblock_ResetRetryCounterWithTheActivationCodeFirst()
        {
            var apdu = FineidCommands.PinPadTemplate(0x2C, 0x00, 0x11, PinPadFrame.TwelveZeroPadded, 2, false);
            var block = PinPadBlocks.Modify(PinPadFrame.TwelveZeroPadded, true, 4, 12, 0x041D, apdu);

            Assert.StartsWith("1E 1E 82 0C 00 00 0C 0C 04 03 02 03 1D 04 00 01 02 00 00 00 1D 00 00 00 00 2C 00 11 18 00", Hex(block));
            Assert.Equal(24 + 5 + 24, block.Length);
        }

        [Fact]
        public void Verify_OrganisationActivationCode_ExactlyEightDigits_Swedish()
        {
            var apdu = FineidCommands.PinPadTemplate(0x20, 0x00, 0x12, PinPadFrame.EightDigits, 1, false);
            var block = PinPadBlocks.Verify(PinPadFrame.EightDigits, 8, 8, 0x041D, apdu);

            Assert.Equal("1E 1E 82 08 00 08 08 02 01 1D 04 00 00 00 00 0D 00 00 00 00 20 00 12 08 00 00 00 00 00 00 00 00", Hex(block));
        }

        [Fact]
        public void Verify_OrganisationPin_VariableLength_HeaderOnly()
        {
            var apdu = FineidCommands.PinPadTemplate(0x20, 0x00, 0x03, PinPadFrame.Variable, 1, false);
            var block = PinPadBlocks.Verify(PinPadFrame.Variable, 4, 8, 0x0409, apdu);

            Assert.Equal("1E 1E 82 00 00 08 04 02 01 09 04 00 00 00 00 04 00 00 00 00 20 00 03", Hex(block));
        }

        [Fact]
        public void Verify_OrganisationPin_VariableLength_LcZeroForCherry()
        {
            var apdu = FineidCommands.PinPadTemplate(0x20, 0x00, 0x03, PinPadFrame.Variable, 1, true);
            var block = PinPadBlocks.Verify(PinPadFrame.Variable, 4, 8, 0x0409, apdu);

            Assert.Equal("1E 1E 82 00 00 08 04 02 01 09 04 00 00 00 00 05 00 00 00 00 20 00 03 00", Hex(block));
        }

        [Fact]
        public void Modify_OrganisationUnblockSecondStep_NewCodeConfirmedOnly_P1Is02()
        {
            var apdu = FineidCommands.PinPadTemplate(0x2C, 0x02, 0x03, PinPadFrame.Variable, 1, false);
            var block = PinPadBlocks.Modify(PinPadFrame.Variable, false, 4, 8, 0x0409, apdu);

            Assert.Equal("1E 1E 82 00 00 00 00 08 04 01 02 02 09 04 00 01 02 00 00 00 04 00 00 00 00 2C 02 03", Hex(block));
        }

        [Theory]
        [InlineData("fi-FI", 0x040B)]
        [InlineData("fi", 0x040B)]
        [InlineData("sv-SE", 0x041D)]
        [InlineData("sv-FI", 0x041D)]
        [InlineData("en-US", 0x0409)]
        [InlineData("de-DE", 0x0409)]
        [InlineData("", 0x0409)]
        public void LanguageId_FollowsTheSessionLanguage(string culture, int expected)
        {
            Assert.Equal(expected, PinPadBlocks.LanguageIdFor(culture));
        }

        [Fact]
        public void Blocks_AreHeaderPlusDataLength_AsLibccidRequires()
        {
            var verify = PinPadBlocks.Verify(PinPadFrame.TwelveZeroPadded, 4, 12, 0x0409, FineidCommands.PinPadTemplate(0x20, 0, 0x11, PinPadFrame.TwelveZeroPadded, 1, false));
            var modify = PinPadBlocks.Modify(PinPadFrame.TwelveZeroPadded, true, 4, 12, 0x0409, FineidCommands.PinPadTemplate(0x24, 0, 0x11, PinPadFrame.TwelveZeroPadded, 2, false));
            Assert.Equal(19 + System.BitConverter.ToInt32(verify, 15), verify.Length);
            Assert.Equal(24 + System.BitConverter.ToInt32(modify, 20), modify.Length);
        }
    }
}
