using System;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Fineid.Pkcs15;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    public class TlvReaderTests
    {
        // libelectronic-id's mock GET DATA answer (its FINEID test card), without the status word
        private const string MockAnswer =
            "A0 23 83 01 11 8C 04 F0 00 00 00 9C 04 F0 00 00 00 DF 21 04 05 FF A5 03 DF 27 02 FF FF DF 28 01 0C DF 2F 01 01";

        [Fact]
        public void Find_MockAnswer_Df21FirstByteIsFive()
        {
            var tries = TlvReader.Find(Hex.Parse(MockAnswer), 0xDF21);

            Assert.NotNull(tries);
            Assert.Equal("05 FF A5 03", Hex.Format(tries!));
        }

        [Fact]
        public void Find_MockAnswer_Df2fIsOne()
        {
            Assert.Equal(new byte[] { 0x01 }, TlvReader.Find(Hex.Parse(MockAnswer), 0xDF2F));
        }

        [Fact]
        public void Find_MockAnswer_OtherTags()
        {
            var data = Hex.Parse(MockAnswer);

            Assert.Equal(new byte[] { 0x11 }, TlvReader.Find(data, 0x83));
            Assert.Equal(new byte[] { 0x0C }, TlvReader.Find(data, 0xDF28));
            Assert.Equal(Hex.Parse("FF FF"), TlvReader.Find(data, 0xDF27));
            Assert.Equal(Hex.Parse("F0 00 00 00"), TlvReader.Find(data, 0x9C));
            Assert.Equal(35, TlvReader.Find(data, 0xA0)!.Length);
        }

        [Fact]
        public void Find_MockAnswerAbsentTag_IsNull()
        {
            Assert.Null(TlvReader.Find(Hex.Parse(MockAnswer), 0xDF30));
        }

        [Fact]
        public void Find_ShortAnswerWithoutDf2f_GivesTriesAndNullForDf2f()
        {
            var data = Hex.Parse("A0 0C 83 01 82 DF 21 04 03 FF A5 03 DF 28 01 0C");
            data[1] = (byte)(data.Length - 2);

            Assert.Equal(0x03, TlvReader.Find(data, 0xDF21)![0]);
            Assert.Null(TlvReader.Find(data, 0xDF2F));
        }

        [Fact]
        public void Find_MinimalAnswer_GivesTries()
        {
            Assert.Equal(new byte[] { 0x00 }, TlvReader.Find(Hex.Parse("A0 04 DF 21 01 00"), 0xDF21));
        }

        [Fact]
        public void Find_TwoByteLength_IsRead()
        {
            var value = new byte[0x90];
            value[0] = 0x42;
            var data = new byte[3 + 0x90];
            data[0] = 0x04;
            data[1] = 0x81;
            data[2] = 0x90;
            Array.Copy(value, 0, data, 3, value.Length);

            Assert.Equal(value, TlvReader.Find(data, 0x04));
        }

        [Fact]
        public void Find_PaddingBetweenObjects_IsSkipped()
        {
            Assert.Equal(new byte[] { 0x07 }, TlvReader.Find(Hex.Parse("00 00 FF 83 01 11 00 DF 21 01 07"), 0xDF21));
        }

        [Theory]
        [InlineData("A0 23 83 01 11 DF 21 04 05")]          // constructed length beyond the data
        [InlineData("A0 85 00 00 00 00 01 DF 21 01 05")]    // five length bytes
        [InlineData("A0 80 DF 21 01 05 00 00")]             // indefinite length
        [InlineData("DF")]                                   // tag cut off
        [InlineData("DF 21")]                                // length missing
        [InlineData("DF 21 82 01")]                          // two-byte length cut off
        [InlineData("DF 21 05 01 02")]                       // value cut off
        [InlineData("DF FF FF FF FF 01 00")]                 // endless tag
        [InlineData("")]
        public void Find_Malformed_ReturnsNullWithoutThrowing(string hex)
        {
            var data = Hex.Parse(hex);

            var exception = Record.Exception(() => Assert.Null(TlvReader.Find(data, 0xDF21)));

            Assert.Null(exception);
        }

        [Fact]
        public void Find_RandomBytes_NeverThrow()
        {
            var random = new Random(20260113);
            for (var round = 0; round < 2000; round++)
            {
                var data = new byte[random.Next(0, 40)];
                random.NextBytes(data);

                var exception = Record.Exception(() => TlvReader.Find(data, 0xDF21));

                Assert.Null(exception);
            }
        }

        [Fact]
        public void Find_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => TlvReader.Find(null!, 0x83));
        }
    }

    public class TokenInfoTests
    {
        /// <summary>SEQUENCE { version INTEGER 0, serialNumber OCTET STRING, manufacturerID UTF8String, label [0] }.</summary>
        internal static byte[] Build(byte[] serial)
        {
            var manufacturer = Encoding.ASCII.GetBytes("VRK-FINEID");
            var body = new System.Collections.Generic.List<byte> { 0x02, 0x01, 0x00, 0x04, (byte)serial.Length };
            body.AddRange(serial);
            body.Add(0x0C);
            body.Add((byte)manufacturer.Length);
            body.AddRange(manufacturer);
            body.AddRange(new byte[] { 0x80, 0x03, 0x48, 0x45, 0x54 });
            body.Insert(0, (byte)body.Count);
            body.Insert(0, 0x30);
            return body.ToArray();
        }

        [Fact]
        public void ReadSerial_AsciiSerial_IsTheText()
        {
            var tokenInfo = Build(Encoding.ASCII.GetBytes("9990001234"));

            Assert.Equal("9990001234", TokenInfo.ReadSerial(tokenInfo));
        }

        [Theory]
        [InlineData("01 02 AB CD 7F")] // binary
        [InlineData("A0 B1 C2 7F")] // above printable ASCII
        [InlineData("39 32 34 36 22 20 26 20 6D 73 67")] // 9246" & msg: a quote, spaces, a command
        [InlineData("39 32 34 36 61 62")] // small letters
        [InlineData("39 32 34 36 2D 31")] // a hyphen
        public void ReadSerial_NotAFineidSerial_IsUnknownAndSaidSo(string serial)
        {
            var tokenInfo = Build(Hex.Parse(serial));

            Assert.Null(TokenInfo.ReadSerial(tokenInfo));
            Assert.True(TokenInfo.HasForeignSerial(tokenInfo));
            Assert.True(TokenInfo.HasSerialField(tokenInfo));
        }

        [Fact]
        public void ReadSerial_LongerThanTheBound_IsUnknown()
        {
            var longest = new string('9', TokenInfo.MaxSerialLength);

            Assert.Equal(longest, TokenInfo.ReadSerial(Build(Encoding.ASCII.GetBytes(longest))));
            Assert.Null(TokenInfo.ReadSerial(Build(Encoding.ASCII.GetBytes(longest + "9"))));
            Assert.True(TokenInfo.HasForeignSerial(Build(Encoding.ASCII.GetBytes(longest + "9"))));
        }

        [Fact]
        public void ReadSerial_DigitsAndCapitals_IsTheTextAndNotForeign()
        {
            var tokenInfo = Build(Encoding.ASCII.GetBytes("9246ABZ0"));

            Assert.Equal("9246ABZ0", TokenInfo.ReadSerial(tokenInfo));
            Assert.False(TokenInfo.HasForeignSerial(tokenInfo));
        }

        [Fact]
        public void HasForeignSerial_NoSerialField_IsFalse()
        {
            Assert.False(TokenInfo.HasForeignSerial(Hex.Parse("30 03 02 01 00")));
            Assert.False(TokenInfo.HasSerialField(Hex.Parse("30 03 02 01 00")));
        }

        [Fact]
        public void ReadSerial_FilePaddedWithZeros_StillReadsTheSerial()
        {
            var built = Build(Encoding.ASCII.GetBytes("A1B2C3"));
            var padded = new byte[built.Length + 20];
            Array.Copy(built, padded, built.Length);

            Assert.Equal("A1B2C3", TokenInfo.ReadSerial(padded));
        }

        [Fact]
        public void ReadSerial_NoSerial_IsNull()
        {
            Assert.Null(TokenInfo.ReadSerial(Hex.Parse("30 03 02 01 00")));
        }

        [Fact]
        public void ReadSerial_EmptySerial_IsNull()
        {
            Assert.Null(TokenInfo.ReadSerial(Hex.Parse("30 05 02 01 00 04 00")));
        }

        [Fact]
        public void ReadSerial_NoSequence_IsNull()
        {
            Assert.Null(TokenInfo.ReadSerial(Hex.Parse("04 04 31 32 33 34")));
            Assert.Null(TokenInfo.ReadSerial(Array.Empty<byte>()));
        }

        [Fact]
        public void ReadSerial_Truncated_IsNull()
        {
            var built = Build(Encoding.ASCII.GetBytes("9990001234"));

            Assert.Null(TokenInfo.ReadSerial(built.AsSpan(0, 10).ToArray()));
        }
    }
}
