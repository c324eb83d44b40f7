using System;
using System.Runtime.InteropServices;
using System.Text;
using FinCardPin.Engine.Interop;
using Xunit;

namespace FinCardPin.UnitTests.Interop
{
    /// <summary>The platform-independent halves of the bindings, exercised without any PC/SC library.</summary>
    public class PcscMarshalTests
    {
        [Fact]
        public void SplitEventState_CounterInHighBits_SeparatesCounterFromFlags()
        {
            PcscMarshal.SplitEventState(0x0005_0022, out var states, out var count);

            Assert.Equal(ReaderStates.Changed | ReaderStates.Present, states);
            Assert.Equal(5, count);
        }

        [Fact]
        public void SplitEventState_MaximumCounter_GivesPositiveCountAndNoStrayFlags()
        {
            PcscMarshal.SplitEventState(0xFFFF_0010, out var states, out var count);

            Assert.Equal(ReaderStates.Empty, states);
            Assert.Equal(0xFFFF, count);
        }

        [Fact]
        public void SplitEventState_NoCounter_KeepsAllLowFlags()
        {
            PcscMarshal.SplitEventState(0x0000_0722, out var states, out var count);

            Assert.Equal(ReaderStates.Changed | ReaderStates.Present | ReaderStates.InUse | ReaderStates.Mute
                | ReaderStates.Unpowered, states);
            Assert.Equal(0, count);
        }

        [Fact]
        public void SplitMultiString_TwoReaders_ReturnsBoth()
        {
            Assert.Equal(new[] { "A", "B" }, PcscMarshal.SplitMultiString("A\0B\0\0"));
        }

        [Theory]
        [InlineData("")]
        [InlineData("\0")]
        [InlineData("\0\0")]
        [InlineData(null)]
        public void SplitMultiString_EmptyList_ReturnsNoReaders(string? multiString)
        {
            Assert.Empty(PcscMarshal.SplitMultiString(multiString));
        }

        [Fact]
        public void SplitMultiString_SingleReader_ReturnsIt()
        {
            Assert.Equal(new[] { "Virtual PCD 00 00" }, PcscMarshal.SplitMultiString("Virtual PCD 00 00\0\0"));
        }

        [Fact]
        public void SplitMultiString_MissingFinalTerminator_StillReturnsLastReader()
        {
            Assert.Equal(new[] { "A", "B" }, PcscMarshal.SplitMultiString("A\0B"));
        }

        [Fact]
        public void SplitMultiString_DataAfterDoubleNul_IsIgnored()
        {
            Assert.Equal(new[] { "A" }, PcscMarshal.SplitMultiString("A\0\0garbage\0\0"));
        }

        [Fact]
        public void ParseUtf8MultiString_NonAsciiNames_DecodesUtf8()
        {
            var bytes = Encoding.UTF8.GetBytes("Lukija Ä 00 00\0Lukija Ö 01 00\0\0");

            var readers = PcscMarshal.ParseUtf8MultiString(bytes, bytes.Length);

            Assert.Equal(new[] { "Lukija Ä 00 00", "Lukija Ö 01 00" }, readers);
        }

        [Fact]
        public void ParseUtf8MultiString_LengthShorterThanBuffer_ReadsOnlyLength()
        {
            var bytes = new byte[64];
            var data = Encoding.UTF8.GetBytes("Lukija Ä 00 00\0\0");
            Array.Copy(data, bytes, data.Length);

            Assert.Equal(new[] { "Lukija Ä 00 00" }, PcscMarshal.ParseUtf8MultiString(bytes, data.Length));
        }

        [Fact]
        public void ParseUtf8MultiString_SingleNulByte_IsEmptyList()
        {
            Assert.Empty(PcscMarshal.ParseUtf8MultiString(new byte[] { 0 }, 1));
        }

        [Fact]
        public void ParseUtf8MultiString_LengthBeyondBuffer_Throws()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PcscMarshal.ParseUtf8MultiString(new byte[2], 3));
        }

        [Fact]
        public void ReadUtf8MultiString_NativeBuffer_DecodesByteLength()
        {
            var data = Encoding.UTF8.GetBytes("Lukija Ä 00 00\0B\0\0");
            var native = Marshal.AllocHGlobal(data.Length);
            try
            {
                Marshal.Copy(data, 0, native, data.Length);

                Assert.Equal(new[] { "Lukija Ä 00 00", "B" }, PcscMarshal.ReadUtf8MultiString(native, data.Length));
            }
            finally
            {
                Marshal.FreeHGlobal(native);
            }
        }

        [Fact]
        public void ReadUtf16MultiString_NativeBuffer_UsesCharacterLength()
        {
            const string multiString = "Lukija Ä 00 00\0Windows Hello for Business 1\0\0";
            var native = Marshal.StringToHGlobalUni(multiString);
            try
            {
                var readers = PcscMarshal.ReadUtf16MultiString(native, multiString.Length);

                Assert.Equal(new[] { "Lukija Ä 00 00", "Windows Hello for Business 1" }, readers);
            }
            finally
            {
                Marshal.FreeHGlobal(native);
            }
        }

        [Fact]
        public void ReadMultiString_NullPointer_IsEmptyList()
        {
            Assert.Empty(PcscMarshal.ReadUtf8MultiString(IntPtr.Zero, 10));
            Assert.Empty(PcscMarshal.ReadUtf16MultiString(IntPtr.Zero, 10));
        }

        [Fact]
        public void ToNullTerminatedUtf8_NonAsciiName_EndsWithSingleNul()
        {
            var bytes = PcscMarshal.ToNullTerminatedUtf8("Ä");

            Assert.Equal(new byte[] { 0xC3, 0x84, 0x00 }, bytes);
        }

        [Fact]
        public void AllocUtf8_NonAsciiName_RoundTripsThroughNativeMemory()
        {
            var native = PcscMarshal.AllocUtf8("Lukija Ä 00 00");
            try
            {
                Assert.Equal("Lukija Ä 00 00", Marshal.PtrToStringUTF8(native));
            }
            finally
            {
                Marshal.FreeHGlobal(native);
            }
        }

        [Theory]
        [InlineData(0x000000008010002EL, PcscResult.NoReadersAvailable)]
        [InlineData(unchecked((long)0xFFFFFFFF8010001DUL), PcscResult.NoService)]
        [InlineData(0L, PcscResult.Success)]
        [InlineData(0x0000000180100069L, PcscResult.RemovedCard)]
        public void FromNativeLong_SixtyFourBitLong_KeepsLowThirtyTwoBits(long native, PcscResult expected)
        {
            Assert.Equal(expected, PcscMarshal.FromNativeLong(new IntPtr(native)));
        }

        [Fact]
        public void FromInt32_NegativeLong_IsUnsignedResult()
        {
            Assert.Equal(PcscResult.Timeout, PcscMarshal.FromInt32(unchecked((int)0x8010000A)));
        }

        [Theory]
        [InlineData(5, 6, 258, 258)]
        [InlineData(5, -1, 258, 258)]
        [InlineData(5, 5, 258, 259)]
        [InlineData(5, 5, 258, -1)]
        public void CheckTransmitArguments_LengthOutsideBuffer_Throws(int sendSize, int sendLength, int receiveSize,
            int receiveLength)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => PcscMarshal.CheckTransmitArguments(
                new byte[sendSize], sendLength, new byte[receiveSize], receiveLength));
        }

        [Fact]
        public void CheckTransmitArguments_LengthsWithinBuffers_DoesNotThrow()
        {
            PcscMarshal.CheckTransmitArguments(new byte[13], 13, new byte[258], 258);
        }

        [Fact]
        public void AllocZeroed_AnySize_IsAllZero()
        {
            var native = PcscMarshal.AllocZeroed(80 * 3);
            try
            {
                var bytes = new byte[80 * 3];
                Marshal.Copy(native, bytes, 0, bytes.Length);

                Assert.All(bytes, b => Assert.Equal(0, b));
            }
            finally
            {
                Marshal.FreeHGlobal(native);
            }
        }

        [Fact]
        public void MacHandle_ThirtyTwoBitValue_RoundTripsThroughIntPtr()
        {
            var carried = MacPcscApi.ToIntPtr(0xF0000001u);

            Assert.Equal(0xF0000001L, carried.ToInt64());
            Assert.Equal(0xF0000001u, MacPcscApi.ToHandle(carried));
        }
    }
}
