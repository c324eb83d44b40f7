using System;
using System.Linq;
using FinCardPin.Engine.Apdu;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>CommandApdu encodings (ISO 7816-4 short cases 1-4), Hex, ResponseApdu and StatusWord.</summary>
    public class CommandApduTests
    {
        private static readonly byte[] Pin = Hex.Parse("31 37 39 33 38 35 32 34");

        [Fact]
        public void Encode_Case1_IsHeaderOnly()
        {
            var command = new CommandApdu(0x00, 0x20, 0x00, 0x11);

            Assert.Equal("00 20 00 11", Hex.Format(command.Encode()));
            Assert.Equal(4, command.EncodedLength);
            Assert.Equal(0, command.DataLength);
            Assert.Null(command.Le);
        }

        [Fact]
        public void Encode_Case2_AppendsLe()
        {
            var command = new CommandApdu(0x00, 0xC0, 0x00, 0x00, null, 0x1A);

            Assert.Equal("00 C0 00 00 1A", Hex.Format(command.Encode()));
            Assert.Equal(5, command.EncodedLength);
        }

        [Fact]
        public void Encode_Case3_AppendsLcAndData()
        {
            var command = new CommandApdu(0x00, 0xA4, 0x02, 0x0C, new byte[] { 0x50, 0x32 });

            Assert.Equal("00 A4 02 0C 02 50 32", Hex.Format(command.Encode()));
            Assert.Equal(7, command.EncodedLength);
        }

        [Fact]
        public void Encode_Case4_AppendsLcDataAndLe()
        {
            var command = new CommandApdu(0x00, 0xCB, 0x00, 0xFF, Hex.Parse("A0 03 83 01 11"), 0x10);

            Assert.Equal("00 CB 00 FF 05 A0 03 83 01 11 10", Hex.Format(command.Encode()));
            Assert.Equal(11, command.EncodedLength);
        }

        [Fact]
        public void Encode_Le256_IsEncodedAs00()
        {
            var case2 = new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 256);
            var case4 = new CommandApdu(0x00, 0xCB, 0x00, 0xFF, Hex.Parse("A0 03 83 01 82"), 256);

            Assert.Equal("00 B0 00 00 00", Hex.Format(case2.Encode()));
            Assert.Equal("00 CB 00 FF 05 A0 03 83 01 82 00", Hex.Format(case4.Encode()));
            Assert.Equal(256, case2.Le);
        }

        [Fact]
        public void Encode_Le1_IsEncodedAs01()
        {
            Assert.Equal("00 B0 00 00 01", Hex.Format(new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 1).Encode()));
        }

        [Fact]
        public void Constructor_255DataBytes_IsAcceptedWithLcFF()
        {
            var data = Enumerable.Range(0, 255).Select(i => (byte)i).ToArray();

            var encoded = new CommandApdu(0x80, 0xE2, 0x00, 0x00, data, 256).Encode();

            Assert.Equal(4 + 1 + 255 + 1, encoded.Length);
            Assert.Equal(0xFF, encoded[4]);
            Assert.Equal(data, encoded.Skip(5).Take(255).ToArray());
            Assert.Equal(0x00, encoded[260]);
        }

        [Fact]
        public void Constructor_256DataBytes_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new CommandApdu(0x00, 0xD6, 0x00, 0x00, new byte[256]));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(257)]
        [InlineData(1000)]
        public void Constructor_InvalidLe_Throws(int le)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, le));
        }

        [Fact]
        public void Constructor_EmptyData_IsCase1()
        {
            var command = new CommandApdu(0x00, 0x20, 0x00, 0x82, Array.Empty<byte>());

            Assert.Equal("00 20 00 82", Hex.Format(command.Encode()));
            Assert.Null(command.Data);
        }

        [Fact]
        public void WithLe_SensitiveCase3_KeepsDataAndSensitivityAndAddsLe()
        {
            var command = new CommandApdu(0x00, 0x20, 0x00, 0x11, Pin, isSensitive: true);

            var resend = command.WithLe(0x12);

            Assert.True(resend.IsSensitive);
            Assert.Same(Pin, resend.Data);
            Assert.Equal(0x12, resend.Le);
            var buffer = new byte[resend.EncodedLength];
            resend.EncodeTo(buffer);
            Assert.Equal("00 20 00 11 08 31 37 39 33 38 35 32 34 12", Hex.Format(buffer));
        }

        [Fact]
        public void Encode_Sensitive_IsRefusedBecauseNobodyWouldZeroTheCopy()
        {
            var command = new CommandApdu(0x00, 0x20, 0x00, 0x11, Pin, isSensitive: true);

            Assert.Throws<InvalidOperationException>(() => command.Encode());
        }

        [Fact]
        public void WithLe_NotSensitive_StaysNotSensitive()
        {
            var command = new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 256);

            var resend = command.WithLe(0x40);

            Assert.False(resend.IsSensitive);
            Assert.Equal("00 B0 00 00 40", Hex.Format(resend.Encode()));
        }

        [Fact]
        public void ToString_SensitiveUnpadded_HidesTheLengthToo()
        {
            var four = new CommandApdu(0x00, 0x20, 0x00, 0x03, new byte[] { 0x31, 0x32, 0x33, 0x34 }, isSensitive: true);
            var eight = new CommandApdu(0x00, 0x20, 0x00, 0x03, new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38 }, isSensitive: true);

            Assert.Equal(four.ToString(), eight.ToString());
            Assert.DoesNotContain(" 04", four.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(" 08", eight.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void ToString_Sensitive_NeverShowsTheData()
        {
            var padded = new byte[12];
            Array.Copy(Pin, padded, Pin.Length);
            var command = new CommandApdu(0x00, 0x20, 0x00, 0x11, padded, isSensitive: true);

            var text = command.ToString();

            Assert.Equal("00 20 00 11 [code redacted]", text);
            Assert.DoesNotContain("31 37", text, StringComparison.Ordinal);
            Assert.DoesNotContain("37 39 33", text, StringComparison.Ordinal);
            Assert.DoesNotContain("3137", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1793", text, StringComparison.Ordinal);
            Assert.Contains("redacted", text, StringComparison.Ordinal);
        }

        [Fact]
        public void ToString_SensitiveAfterWithLe_NeverShowsTheData()
        {
            var command = new CommandApdu(0x00, 0x24, 0x00, 0x82, Pin, isSensitive: true).WithLe(256);

            var text = command.ToString();

            Assert.DoesNotContain("31 37 39 33", text, StringComparison.Ordinal);
            Assert.DoesNotContain("1793", text, StringComparison.Ordinal);
            Assert.EndsWith(" 00", text, StringComparison.Ordinal);
        }

        [Fact]
        public void ToString_NotSensitive_ShowsTheData()
        {
            var command = new CommandApdu(0x00, 0xA4, 0x02, 0x0C, new byte[] { 0x50, 0x32 });

            Assert.Equal("00 A4 02 0C 02 50 32", command.ToString());
        }

        [Fact]
        public void EncodeTo_BufferTooSmall_Throws()
        {
            var command = new CommandApdu(0x00, 0xA4, 0x02, 0x0C, new byte[] { 0x50, 0x32 });

            Assert.Throws<ArgumentException>(() => command.EncodeTo(new byte[6]));
        }

        [Fact]
        public void EncodeTo_LargerBuffer_ReturnsEncodedLength()
        {
            var buffer = new byte[261];
            var command = new CommandApdu(0x00, 0xCB, 0x00, 0xFF, Hex.Parse("A0 03 83 01 83"), 256);

            var length = command.EncodeTo(buffer);

            Assert.Equal(11, length);
            Assert.Equal("00 CB 00 FF 05 A0 03 83 01 83 00", Hex.Format(buffer, 0, length));
        }
    }

    public class HexTests
    {
        [Theory]
        [InlineData("3B 7F 96 00")]
        [InlineData("3B:7F:96:00")]
        [InlineData("3B-7F-96-00")]
        [InlineData("3B7F9600")]
        [InlineData("3b 7f 96 00")]
        [InlineData(" 3B7F 96:00 ")]
        public void Parse_Separators_GiveTheSameBytes(string text)
        {
            Assert.Equal(new byte[] { 0x3B, 0x7F, 0x96, 0x00 }, Hex.Parse(text));
        }

        [Fact]
        public void FormatThenParse_AllByteValues_RoundTrip()
        {
            var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

            var text = Hex.Format(bytes);

            Assert.Equal(bytes, Hex.Parse(text));
            Assert.StartsWith("00 01 02", text, StringComparison.Ordinal);
            Assert.EndsWith("FE FF", text, StringComparison.Ordinal);
        }

        [Fact]
        public void ParseThenFormat_UpperCaseSpaced_RoundTrips()
        {
            const string atr = "3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 90 00 DA";

            Assert.Equal(atr, Hex.Format(Hex.Parse(atr)));
        }

        [Fact]
        public void Format_LowerCaseInput_IsUpperCase()
        {
            Assert.Equal("AB CD EF", Hex.Format(Hex.Parse("abcdef")));
        }

        [Fact]
        public void Format_Range_FormatsOnlyThatRange()
        {
            Assert.Equal("02 03", Hex.Format(new byte[] { 1, 2, 3, 4 }, 1, 2));
        }

        [Fact]
        public void FormatAndParse_Empty_AreEmpty()
        {
            Assert.Equal(string.Empty, Hex.Format(Array.Empty<byte>()));
            Assert.Empty(Hex.Parse(string.Empty));
        }

        [Theory]
        [InlineData("3B 7")]
        [InlineData("ABC")]
        [InlineData("3G")]
        [InlineData("0x3B")]
        [InlineData("3B\t7F")]
        public void Parse_Invalid_ThrowsFormatException(string text)
        {
            Assert.Throws<FormatException>(() => Hex.Parse(text));
        }

        [Fact]
        public void ParseAndFormat_Null_Throw()
        {
            Assert.Throws<ArgumentNullException>(() => Hex.Parse(null!));
            Assert.Throws<ArgumentNullException>(() => Hex.Format(null!));
        }
    }

    public class ResponseApduTests
    {
        [Fact]
        public void Parse_DataAndStatus_SplitsThem()
        {
            var raw = Hex.Parse("DF 21 01 05 90 00 EE EE");

            var response = ResponseApdu.Parse(raw, 6);

            Assert.Equal(Hex.Parse("DF 21 01 05"), response.Data);
            Assert.Equal(0x90, response.StatusWord.Sw1);
            Assert.Equal(0x00, response.StatusWord.Sw2);
            Assert.True(response.StatusWord.IsSuccess);
            Assert.Equal("DF 21 01 05 90 00", response.ToString());
        }

        [Fact]
        public void Parse_StatusOnly_HasNoData()
        {
            var response = ResponseApdu.Parse(Hex.Parse("63 C3"), 2);

            Assert.Empty(response.Data);
            Assert.Equal(new StatusWord(0x63, 0xC3), response.StatusWord);
            Assert.Equal("63 C3", response.ToString());
        }

        [Fact]
        public void Parse_DataIsACopy()
        {
            var raw = Hex.Parse("01 02 90 00");

            var response = ResponseApdu.Parse(raw, 4);
            raw[0] = 0xEE;

            Assert.Equal(0x01, response.Data[0]);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(5)]
        public void Parse_BadLength_Throws(int length)
        {
            Assert.Throws<ArgumentException>(() => ResponseApdu.Parse(Hex.Parse("90 00 00 00"), length));
        }

        [Fact]
        public void Parse_Null_Throws()
        {
            Assert.Throws<ArgumentNullException>(() => ResponseApdu.Parse(null!, 2));
        }
    }

    public class StatusWordTests
    {
        [Theory]
        [InlineData(0xC0, 0)]
        [InlineData(0xC1, 1)]
        [InlineData(0xC3, 3)]
        [InlineData(0xC5, 5)]
        [InlineData(0xCF, 15)]
        public void TriesLeft_63Cx_IsX(byte sw2, int tries)
        {
            var sw = new StatusWord(0x63, sw2);

            Assert.True(sw.IsTriesLeft);
            Assert.Equal(tries, sw.TriesLeft);
            Assert.False(sw.IsSuccess);
        }

        [Theory]
        [InlineData(0x63, 0x00)]
        [InlineData(0x63, 0x81)]
        [InlineData(0x69, 0x83)]
        [InlineData(0x90, 0x00)]
        [InlineData(0x62, 0xC3)]
        public void TriesLeft_Not63Cx_Throws(byte sw1, byte sw2)
        {
            var sw = new StatusWord(sw1, sw2);

            Assert.False(sw.IsTriesLeft);
            Assert.Throws<InvalidOperationException>(() => sw.TriesLeft);
        }

        [Theory]
        [InlineData(0x61, 0x00, 256)]
        [InlineData(0x61, 0x01, 1)]
        [InlineData(0x61, 0x25, 0x25)]
        [InlineData(0x61, 0xFF, 255)]
        public void MoreData_61xx_LengthFromSw2(byte sw1, byte sw2, int length)
        {
            var sw = new StatusWord(sw1, sw2);

            Assert.True(sw.IsMoreData);
            Assert.False(sw.IsWrongLe);
            Assert.Equal(length, sw.LengthFromSw2);
        }

        [Theory]
        [InlineData(0x6C, 0x00, 256)]
        [InlineData(0x6C, 0x10, 16)]
        [InlineData(0x6C, 0xFE, 254)]
        public void WrongLe_6Cxx_LengthFromSw2(byte sw1, byte sw2, int length)
        {
            var sw = new StatusWord(sw1, sw2);

            Assert.True(sw.IsWrongLe);
            Assert.False(sw.IsMoreData);
            Assert.Equal(length, sw.LengthFromSw2);
        }

        [Fact]
        public void Success_Only9000()
        {
            Assert.True(new StatusWord(0x90, 0x00).IsSuccess);
            Assert.False(new StatusWord(0x90, 0x01).IsSuccess);
            Assert.False(new StatusWord(0x61, 0x00).IsSuccess);
            Assert.Equal(StatusWord.Success, new StatusWord(0x90, 0x00));
        }

        [Fact]
        public void ValueEqualityAndText_AreBySw1Sw2()
        {
            var a = new StatusWord(0x69, 0x83);
            var b = new StatusWord(0x69, 0x83);

            Assert.Equal(0x6983, a.Value);
            Assert.True(a == b);
            Assert.False(a != b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
            Assert.Equal(StatusWord.AuthenticationMethodBlocked, a);
            Assert.NotEqual(StatusWord.ReferenceDataInvalidated, a);
            Assert.Equal("69 83", a.ToString());
        }
    }
}
