using System;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Interop;
using Xunit;

namespace FinCardPin.UnitTests.Interop
{
    /// <summary>
    /// The SCardGetStatusChange marshalling of every layout, with a fake "native" call that inspects and writes the
    /// native array exactly where the real service would.
    /// </summary>
    public class ReaderStateMarshallingTests
    {
        [Fact]
        public void GetStatusChange_LinuxLayout_PassesZeroedStatesWithUtf8Names()
        {
            var readers = new[]
            {
                new ReaderStateQuery("Lukija Ä 00 00", ReaderStates.Empty),
                new ReaderStateQuery("Virtual PCD 00 01"),
            };
            var sawCall = false;

            var result = PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, 33, (block, count) =>
            {
                sawCall = true;
                Assert.Equal(2, count);
                for (var i = 0; i < count; i++)
                {
                    var element = block + (i * 80);
                    Assert.Equal(readers[i].ReaderName, Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(element, 0)));
                    Assert.Equal(0L, Marshal.ReadInt64(element, 8));
                    Assert.Equal((long)(uint)readers[i].CurrentState, Marshal.ReadInt64(element, 16));
                    for (var offset = 24; offset < 80; offset++)
                    {
                        Assert.Equal(0, Marshal.ReadByte(element, offset));
                    }
                }

                return PcscResult.Success;
            });

            Assert.True(sawCall);
            Assert.Equal(PcscResult.Success, result);
        }

        [Fact]
        public void GetStatusChange_LinuxLayout_CopiesBackMaskedStateCounterAndAtr()
        {
            var readers = new[] { new ReaderStateQuery("A"), new ReaderStateQuery("B") };
            var atr = new byte[] { 0x3B, 0x7F, 0x96, 0x00, 0x00, 0x80, 0x31 };

            var result = PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, 33, (block, count) =>
            {
                // Reader A: card present, third event. 8-byte DWORDs, ATR at 40.
                Marshal.WriteInt64(block, 24, 0x0003_0022);
                Marshal.WriteInt64(block, 32, atr.Length);
                Marshal.Copy(atr, 0, block + 40, atr.Length);
                // Reader B: empty.
                Marshal.WriteInt64(block + 80, 24, 0x0000_0012);
                return PcscResult.Success;
            });

            Assert.Equal(PcscResult.Success, result);
            Assert.Equal(ReaderStates.Changed | ReaderStates.Present, readers[0].EventState);
            Assert.Equal(3, readers[0].EventCount);
            Assert.Equal(atr, readers[0].Atr);
            Assert.Equal(ReaderStates.Changed | ReaderStates.Empty, readers[1].EventState);
            Assert.Equal(0, readers[1].EventCount);
            Assert.Empty(readers[1].Atr);
        }

        [Fact]
        public void GetStatusChange_MacLayout_UsesPackedOffsets()
        {
            var readers = new[] { new ReaderStateQuery("Lukija Ä 00 00", ReaderStates.Present) };
            var atr = new byte[] { 0x3B, 0x88, 0x80, 0x01 };

            var result = PcscMarshal.GetStatusChange<MacReaderState>(readers, false, 33, (block, count) =>
            {
                Assert.Equal("Lukija Ä 00 00", Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(block, 0)));
                Assert.Equal((int)ReaderStates.Present, Marshal.ReadInt32(block, 16));
                Marshal.WriteInt32(block, 20, 0x0001_0022);
                Marshal.WriteInt32(block, 24, atr.Length);
                Marshal.Copy(atr, 0, block + 28, atr.Length);
                return PcscResult.Success;
            });

            Assert.Equal(PcscResult.Success, result);
            Assert.Equal(ReaderStates.Changed | ReaderStates.Present, readers[0].EventState);
            Assert.Equal(1, readers[0].EventCount);
            Assert.Equal(atr, readers[0].Atr);
        }

        [Fact]
        public void GetStatusChange_Windows64Layout_PassesUtf16NamesAndReadsAtrAt28()
        {
            var readers = new[] { new ReaderStateQuery("Lukija Ä 00 00") };
            var atr = new byte[36];
            for (var i = 0; i < atr.Length; i++)
            {
                atr[i] = (byte)(i + 1);
            }

            var result = PcscMarshal.GetStatusChange<WindowsReaderState64>(readers, true, 36, (block, count) =>
            {
                Assert.Equal("Lukija Ä 00 00", Marshal.PtrToStringUni(Marshal.ReadIntPtr(block, 0)));
                Marshal.WriteInt32(block, 20, 0x0002_0022);
                Marshal.WriteInt32(block, 24, atr.Length);
                Marshal.Copy(atr, 0, block + 28, atr.Length);
                return PcscResult.Success;
            });

            Assert.Equal(PcscResult.Success, result);
            Assert.Equal(ReaderStates.Changed | ReaderStates.Present, readers[0].EventState);
            Assert.Equal(2, readers[0].EventCount);
            Assert.Equal(atr, readers[0].Atr);
        }

        [Fact]
        public void GetStatusChange_Windows32Layout_ReadsStateAt12AndAtrAt20()
        {
            var readers = new[] { new ReaderStateQuery("A"), new ReaderStateQuery("B") };
            var atr = new byte[] { 0x3B, 0x02, 0x14, 0x50 };

            var result = PcscMarshal.GetStatusChange<WindowsReaderState32>(readers, true, 36, (block, count) =>
            {
                var second = block + 56;
                Marshal.WriteInt32(second, 12, 0x0007_0022);
                Marshal.WriteInt32(second, 16, atr.Length);
                Marshal.Copy(atr, 0, second + 20, atr.Length);
                return PcscResult.Success;
            });

            Assert.Equal(PcscResult.Success, result);
            Assert.Equal(ReaderStates.Unaware, readers[0].EventState);
            Assert.Equal(ReaderStates.Changed | ReaderStates.Present, readers[1].EventState);
            Assert.Equal(7, readers[1].EventCount);
            Assert.Equal(atr, readers[1].Atr);
        }

        [Fact]
        public void GetStatusChange_AtrLengthBeyondMaximum_IsClampedToBuffer()
        {
            var readers = new[] { new ReaderStateQuery("A") };

            PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, 33, (block, count) =>
            {
                Marshal.WriteInt64(block, 24, 0x22);
                Marshal.WriteInt64(block, 32, 1000);
                return PcscResult.Success;
            });

            Assert.Equal(33, readers[0].Atr.Length);
        }

        [Fact]
        public void GetStatusChange_NativeFailure_LeavesQueriesUntouched()
        {
            var readers = new[] { new ReaderStateQuery("A") { EventState = ReaderStates.Present, EventCount = 9 } };

            var result = PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, 33, (block, count) =>
            {
                Marshal.WriteInt64(block, 24, 0x0001_0012);
                return PcscResult.Timeout;
            });

            Assert.Equal(PcscResult.Timeout, result);
            Assert.Equal(ReaderStates.Present, readers[0].EventState);
            Assert.Equal(9, readers[0].EventCount);
        }

        [Fact]
        public void GetStatusChange_CurrentStateWithCounter_PassesWholeValue()
        {
            var current = ReaderStates.Present | (ReaderStates)(4u << 16);
            var readers = new[] { new ReaderStateQuery("A", current) };
            long seen = 0;

            PcscMarshal.GetStatusChange<LinuxReaderState>(readers, false, 33, (block, count) =>
            {
                seen = Marshal.ReadInt64(block, 16);
                return PcscResult.Timeout;
            });

            Assert.Equal(0x0004_0020L, seen);
        }

        [Fact]
        public void GetStatusChange_NoReaders_CallsNativeWithZeroCount()
        {
            var count = -1;

            var result = PcscMarshal.GetStatusChange<LinuxReaderState>(Array.Empty<ReaderStateQuery>(), false, 33,
                (block, n) =>
                {
                    count = n;
                    return PcscResult.Success;
                });

            Assert.Equal(PcscResult.Success, result);
            Assert.Equal(0, count);
        }

        [Fact]
        public void GetStatusChange_NullArray_Throws()
        {
            Assert.Throws<ArgumentNullException>(() =>
                PcscMarshal.GetStatusChange<LinuxReaderState>(null!, false, 33, (block, n) => PcscResult.Success));
        }
    }
}
