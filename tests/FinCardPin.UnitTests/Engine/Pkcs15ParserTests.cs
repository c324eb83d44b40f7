using System;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Fineid.Pkcs15;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>The PKCS#15 reader on hand-built files: well-formed, truncated, unknown content and long-form lengths.</summary>
    public class Pkcs15ParserTests
    {
        // PinAuthObject for an identity PIN1, written out by hand from PKCS#15 v1.1 (not by the virtual card's builder):
        // label "PIN1", authId 01, flags initialized + needs-padding, ascii-numeric, 4/12/8, reference 11, pad 00.
        internal const string IdentityPin1 =
            "30 2B"
            + " 30 0A 0C 04 50 49 4E 31 03 02 06 40"
            + " 30 03 04 01 01"
            + " A1 18 30 16 03 02 02 0C 0A 01 01 02 01 04 02 01 0C 02 01 08 80 01 11 04 01 00";

        // An organisation activation code: flags local + initialized + unblockingPin (no padding), 8/8/8, reference 12, no pad char.
        internal const string OrganisationActivationCode =
            "30 27"
            + " 30 09 0C 03 50 55 4B 03 02 06 40"
            + " 30 03 04 01 03"
            + " A1 15 30 13 03 02 01 4A 0A 01 01 02 01 08 02 01 08 02 01 08 80 01 12";

        [Fact]
        public void PinObjects_WellFormed_ReadsEveryAttribute()
        {
            var pins = Pkcs15Parser.PinObjects(Hex.Parse(IdentityPin1 + " " + OrganisationActivationCode));

            Assert.Equal(2, pins.Count);
            var pin1 = pins[0];
            Assert.Equal("PIN1", pin1.Label);
            Assert.Equal(new byte[] { 0x01 }, pin1.AuthId);
            Assert.Equal(0x11, pin1.Reference);
            Assert.Equal(4, pin1.MinLength);
            Assert.Equal(12, pin1.StoredLength);
            Assert.Equal(8, pin1.MaxLength);
            Assert.Equal((byte)0x00, pin1.PadChar);
            Assert.True(pin1.NeedsPadding);
            Assert.False(pin1.IsUnblockingPin);
            Assert.Equal(PinFlags.Initialized | PinFlags.NeedsPadding, pin1.Flags);
            Assert.Equal(1, pin1.PinType);

            var activationCode = pins[1];
            Assert.Equal(0x12, activationCode.Reference);
            Assert.True(activationCode.IsUnblockingPin);
            Assert.False(activationCode.NeedsPadding);
            Assert.Null(activationCode.PadChar);
            Assert.Equal(PinFlags.Local | PinFlags.Initialized | PinFlags.UnblockingPin, activationCode.Flags);
        }

        [Fact]
        public void PinObjects_OneByteReferenceWithTheHighBit_IsTheUnsignedReference()
        {
            // 80 01 82: an identity PIN2 reference as cards write it (DER would read -126).
            var pins = Pkcs15Parser.PinObjects(Hex.Parse(IdentityPin1.Replace("80 01 11", "80 01 82")));

            Assert.Equal(0x82, Assert.Single(pins).Reference);
        }

        [Fact]
        public void PinObjects_FilePaddedWithZerosAndFF_IgnoresThePadding()
        {
            var pins = Pkcs15Parser.PinObjects(Hex.Parse(IdentityPin1 + " 00 00 FF FF 00"));

            Assert.Single(pins);
        }

        [Fact]
        public void PinObjects_LongFormLengths_AreRead()
        {
            // The same object with its outer length and the PinAttributes length in long form (81 xx, 82 xx xx).
            var longForm = IdentityPin1.Replace("30 2B", "30 82 00 2C").Replace("A1 18 30 16", "A1 81 18 30 16");

            var pins = Pkcs15Parser.PinObjects(Hex.Parse(longForm));

            Assert.Equal(0x11, Assert.Single(pins).Reference);
        }

        [Theory]
        [InlineData(10)]
        [InlineData(30)]
        [InlineData(44)]
        public void PinObjects_Truncated_IsAFormatError(int keep)
        {
            var full = Hex.Parse(IdentityPin1);

            Assert.Throws<FormatException>(() => Pkcs15Parser.PinObjects(full.Take(keep).ToArray()));
        }

        [Fact]
        public void PinObjects_UnknownContent_IsAFormatErrorNotAGuess()
        {
            // A SEQUENCE that is not a PinAuthObject (no PinAttributes).
            Assert.Throws<FormatException>(() => Pkcs15Parser.PinObjects(Hex.Parse("30 06 30 00 30 00 02 00")));
            // PinAttributes without its minLength.
            Assert.Throws<FormatException>(() => Pkcs15Parser.PinObjects(Hex.Parse(
                "30 15 30 00 30 03 04 01 01 A1 0C 30 0A 03 02 02 0C 0A 01 01 80 01 11")));
        }

        [Fact]
        public void PinObjects_OtherAuthenticationObjects_AreSkipped()
        {
            // A biometric template ([1] context tag) next to a PIN: only the PIN is a code.
            var pins = Pkcs15Parser.PinObjects(Hex.Parse("A1 03 02 01 05 " + IdentityPin1));

            Assert.Single(pins);
        }

        [Fact]
        public void AodfFileId_RelativeAndAbsolutePaths_GiveTheLastTwoBytes()
        {
            Assert.Equal(new byte[] { 0x44, 0x01 }, Pkcs15Parser.AodfFileId(Hex.Parse("A8 06 30 04 04 02 44 01")));
            Assert.Equal(new byte[] { 0x44, 0x01 }, Pkcs15Parser.AodfFileId(Hex.Parse(
                "A0 06 30 04 04 02 44 02 A8 0A 30 08 04 06 3F 00 50 15 44 01 00 00")));
        }

        [Fact]
        public void AodfFileId_NoAuthObjects_IsNull()
        {
            Assert.Null(Pkcs15Parser.AodfFileId(Hex.Parse("A0 06 30 04 04 02 44 02")));
        }

        [Theory]
        [InlineData("A8 06 30 04 04 03 44 01 02")]
        [InlineData("A8 06 30 04 04 02 44")]
        [InlineData("A8 02 02 00")]
        public void AodfFileId_Malformed_IsAFormatError(string odf)
        {
            Assert.Throws<FormatException>(() => Pkcs15Parser.AodfFileId(Hex.Parse(odf)));
        }

        [Fact]
        public void TokenInfo_LongFormOuterLength_ReadsTheSerial()
        {
            var serial = Encoding.ASCII.GetBytes("9990001234");
            var body = Hex.Parse("02 01 00 04 0A").Concat(serial).Concat(Enumerable.Repeat((byte)0x05, 0)).ToList();
            var filler = Enumerable.Repeat((byte)0x41, 300).ToArray();
            body.AddRange(new byte[] { 0x0C, 0x82, 0x01, 0x2C });
            body.AddRange(filler);
            var file = new byte[] { 0x30, 0x82, (byte)(body.Count >> 8), (byte)body.Count }.Concat(body).ToArray();

            Assert.Equal("9990001234", TokenInfo.ReadSerial(file));
            Assert.Equal(file.Length, TokenInfo.EncodedLength(file));
            // The first read of 0xC0 bytes holds the serial already: no second READ BINARY is needed for it.
            Assert.Equal("9990001234", TokenInfo.ReadSerial(file.Take(0xC0).ToArray()));
            Assert.Equal(file.Length, TokenInfo.EncodedLength(file.Take(4).ToArray()));
        }

        [Fact]
        public void TokenInfo_SerialCutOffByTheRead_IsNullUntilMoreIsRead()
        {
            var file = Hex.Parse("30 81 90 02 01 00 04 0A").Concat(Encoding.ASCII.GetBytes("9990001234")).ToArray();

            Assert.Null(TokenInfo.ReadSerial(file.Take(12).ToArray()));
            Assert.Equal("9990001234", TokenInfo.ReadSerial(file));
        }

        [Fact]
        public void TokenInfo_PersonalFields_AreTheSerialAndTheLabel()
        {
            var file = TokenInfoTests.Build(Encoding.ASCII.GetBytes("9990001234"));

            var fields = TokenInfo.PersonalFields(file);

            Assert.Equal(2, fields.Count);
            Assert.Equal("9990001234", Encoding.ASCII.GetString(file, fields[0].Offset, fields[0].Length));
            Assert.Equal("HET", Encoding.ASCII.GetString(file, fields[1].Offset, fields[1].Length));
        }

        [Fact]
        public void TlvReader_HeaderRunningPastTheData_IsAFormatError()
        {
            Assert.Throws<FormatException>(() => TlvReader.ReadAll(Hex.Parse("30 81")));
            Assert.Throws<FormatException>(() => TlvReader.ReadAll(Hex.Parse("30 83 00 00 01 00")));
            Assert.Throws<FormatException>(() => TlvReader.ReadAll(Hex.Parse("BF 81")));
        }
    }
}
