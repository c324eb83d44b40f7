using System;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Interop;
using Xunit;

namespace FinCardPin.UnitTests.Interop
{
    /// <summary>
    /// Pins every native layout: these sizes and offsets are what winscard.dll, pcsc-lite and PCSC.framework read,
    /// and they must not depend on the bitness of the process running the tests.
    /// </summary>
    public class NativeLayoutTests
    {
        [Theory]
        [InlineData(typeof(WindowsReaderState64), 64)]
        [InlineData(typeof(WindowsReaderState32), 56)]
        [InlineData(typeof(LinuxReaderState), 80)]
        [InlineData(typeof(MacReaderState), 61)]
        [InlineData(typeof(AtrBuffer36), 36)]
        [InlineData(typeof(AtrBuffer33), 33)]
        public void SizeOf_ReaderStateLayout_MatchesNativeAbi(Type layout, int expectedSize)
        {
            Assert.Equal(expectedSize, Marshal.SizeOf(layout));
        }

        [Theory]
        [InlineData(typeof(WindowsReaderState64), "szReader", 0)]
        [InlineData(typeof(WindowsReaderState64), "pvUserData", 8)]
        [InlineData(typeof(WindowsReaderState64), "dwCurrentState", 16)]
        [InlineData(typeof(WindowsReaderState64), "dwEventState", 20)]
        [InlineData(typeof(WindowsReaderState64), "cbAtr", 24)]
        [InlineData(typeof(WindowsReaderState64), "rgbAtr", 28)]
        [InlineData(typeof(WindowsReaderState32), "szReader", 0)]
        [InlineData(typeof(WindowsReaderState32), "pvUserData", 4)]
        [InlineData(typeof(WindowsReaderState32), "dwCurrentState", 8)]
        [InlineData(typeof(WindowsReaderState32), "dwEventState", 12)]
        [InlineData(typeof(WindowsReaderState32), "cbAtr", 16)]
        [InlineData(typeof(WindowsReaderState32), "rgbAtr", 20)]
        [InlineData(typeof(LinuxReaderState), "szReader", 0)]
        [InlineData(typeof(LinuxReaderState), "pvUserData", 8)]
        [InlineData(typeof(LinuxReaderState), "dwCurrentState", 16)]
        [InlineData(typeof(LinuxReaderState), "dwEventState", 24)]
        [InlineData(typeof(LinuxReaderState), "cbAtr", 32)]
        [InlineData(typeof(LinuxReaderState), "rgbAtr", 40)]
        [InlineData(typeof(MacReaderState), "szReader", 0)]
        [InlineData(typeof(MacReaderState), "pvUserData", 8)]
        [InlineData(typeof(MacReaderState), "dwCurrentState", 16)]
        [InlineData(typeof(MacReaderState), "dwEventState", 20)]
        [InlineData(typeof(MacReaderState), "cbAtr", 24)]
        [InlineData(typeof(MacReaderState), "rgbAtr", 28)]
        public void OffsetOf_ReaderStateField_MatchesNativeAbi(Type layout, string field, int expectedOffset)
        {
            Assert.Equal(expectedOffset, Marshal.OffsetOf(layout, field).ToInt32());
        }

        [Theory]
        [InlineData(typeof(WindowsReaderState64), "szReader", 8)]
        [InlineData(typeof(WindowsReaderState64), "dwEventState", 4)]
        [InlineData(typeof(WindowsReaderState32), "szReader", 4)]
        [InlineData(typeof(WindowsReaderState32), "dwEventState", 4)]
        [InlineData(typeof(LinuxReaderState), "szReader", 8)]
        [InlineData(typeof(LinuxReaderState), "dwCurrentState", 8)]
        [InlineData(typeof(LinuxReaderState), "dwEventState", 8)]
        [InlineData(typeof(LinuxReaderState), "cbAtr", 8)]
        [InlineData(typeof(MacReaderState), "szReader", 8)]
        [InlineData(typeof(MacReaderState), "dwEventState", 4)]
        [InlineData(typeof(WindowsIoRequest), "dwProtocol", 4)]
        [InlineData(typeof(LinuxIoRequest), "dwProtocol", 8)]
        [InlineData(typeof(MacIoRequest), "dwProtocol", 4)]
        public void FieldWidth_NativeField_IsFixedWhateverTheProcessBitness(Type layout, string field, int expectedBytes)
        {
            var fieldType = layout.GetField(field)!.FieldType;
            Assert.Equal(expectedBytes, Marshal.SizeOf(fieldType));
        }

        [Theory]
        [InlineData(typeof(WindowsIoRequest), 8)]
        [InlineData(typeof(LinuxIoRequest), 16)]
        [InlineData(typeof(MacIoRequest), 8)]
        public void SizeOf_IoRequestLayout_MatchesNativeAbi(Type layout, int expectedSize)
        {
            Assert.Equal(expectedSize, Marshal.SizeOf(layout));
        }

        [Theory]
        [InlineData(typeof(WindowsIoRequest), 0, 4)]
        [InlineData(typeof(LinuxIoRequest), 0, 8)]
        [InlineData(typeof(MacIoRequest), 0, 4)]
        public void OffsetOf_IoRequestFields_MatchesNativeAbi(Type layout, int protocolOffset, int lengthOffset)
        {
            Assert.Equal(protocolOffset, Marshal.OffsetOf(layout, "dwProtocol").ToInt32());
            Assert.Equal(lengthOffset, Marshal.OffsetOf(layout, "cbPciLength").ToInt32());
        }

        [Fact]
        public void WindowsIoRequestFor_T1_CarriesProtocolAndOwnSize()
        {
            var pci = WindowsIoRequest.For(Protocols.T1);

            Assert.Equal(2u, pci.dwProtocol);
            Assert.Equal(8u, pci.cbPciLength);
        }

        [Fact]
        public void LinuxIoRequestFor_T0_CarriesProtocolAndOwnSize()
        {
            var pci = LinuxIoRequest.For(Protocols.T0);

            Assert.Equal(1ul, pci.dwProtocol);
            Assert.Equal(16ul, pci.cbPciLength);
        }

        [Fact]
        public void MacIoRequestFor_T1_CarriesProtocolAndOwnSize()
        {
            var pci = MacIoRequest.For(Protocols.T1);

            Assert.Equal(2u, pci.dwProtocol);
            Assert.Equal(8u, pci.cbPciLength);
        }

        [Fact]
        public void StructureToPtr_LinuxIoRequest_WritesTwoLittleEndianUnsignedLongs()
        {
            var bytes = ToBytes(LinuxIoRequest.For(Protocols.T1));

            Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0 }, bytes);
        }

        [Fact]
        public void StructureToPtr_FilledLinuxReaderState_PutsFieldsAtNativeOffsets()
        {
            var state = default(LinuxReaderState);
            state.Fill(new IntPtr(0x0102030405060708), 0x00030010);
            state.dwEventState = 0xAABBCCDD;
            state.cbAtr = 0x21;

            var bytes = ToBytes(state);

            Assert.Equal(80, bytes.Length);
            Assert.Equal(0x0102030405060708ul, BitConverter.ToUInt64(bytes, 0));
            Assert.Equal(0ul, BitConverter.ToUInt64(bytes, 8));
            Assert.Equal(0x00030010ul, BitConverter.ToUInt64(bytes, 16));
            Assert.Equal(0xAABBCCDDul, BitConverter.ToUInt64(bytes, 24));
            Assert.Equal(0x21ul, BitConverter.ToUInt64(bytes, 32));
            Assert.Equal(0xAABBCCDDu, state.RawEventState);
        }

        [Fact]
        public void StructureToPtr_FilledMacReaderState_IsPackedWithoutPadding()
        {
            var state = default(MacReaderState);
            state.Fill(new IntPtr(0x1122334455667788), 0x10);
            state.cbAtr = 5;

            var bytes = ToBytes(state);

            Assert.Equal(61, bytes.Length);
            Assert.Equal(0x1122334455667788ul, BitConverter.ToUInt64(bytes, 0));
            Assert.Equal(0x10u, BitConverter.ToUInt32(bytes, 16));
            Assert.Equal(5u, BitConverter.ToUInt32(bytes, 24));
        }

        [Fact]
        public void Fill_WindowsReaderState32_StoresPointerAsThirtyTwoBits()
        {
            var state = default(WindowsReaderState32);
            state.Fill(new IntPtr(0x7FFE1234), 0x20);

            Assert.Equal(0x7FFE1234u, state.szReader);
            Assert.Equal(0x20u, state.dwCurrentState);
            Assert.Equal(0u, state.pvUserData);
        }

        [Fact]
        public void Fill_WindowsReaderState64_StoresFullPointer()
        {
            var state = default(WindowsReaderState64);
            state.Fill(new IntPtr(0x00007FF812345678), 0x20);

            Assert.Equal(0x00007FF812345678ul, state.szReader);
            Assert.Equal(0x20u, state.dwCurrentState);
        }

        private static byte[] ToBytes<T>(T value)
            where T : struct
        {
            var size = Marshal.SizeOf<T>();
            var native = Marshal.AllocHGlobal(size);
            try
            {
                Marshal.Copy(new byte[size], 0, native, size);
                Marshal.StructureToPtr(value, native, false);
                var bytes = new byte[size];
                Marshal.Copy(native, bytes, 0, size);
                return bytes;
            }
            finally
            {
                Marshal.FreeHGlobal(native);
            }
        }
    }
}
