using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Interop;
using Xunit;

namespace FinCardPin.UnitTests.Interop
{
    /// <summary>SCARD_CTL_CODE per platform and the SCardControl entry points each binding imports.</summary>
    public sealed class ControlCodeTests
    {
        [Fact]
        public void GetFeatureRequest_OnWindows_IsTheDeviceIoControlCode()
        {
            Assert.Equal(0x00313520u, ControlCodes.Windows(ControlCodes.GetFeatureRequestFunction));
            Assert.Equal(0x00313520u, new WindowsPcscApi().ControlCode(3400));
        }

        [Fact]
        public void GetFeatureRequest_OnPcscLiteAndMac_IsTheReaderHCode()
        {
            Assert.Equal(0x42000D48u, ControlCodes.PcscLite(ControlCodes.GetFeatureRequestFunction));
            Assert.Equal(0x42000D48u, new LinuxPcscApi().ControlCode(3400));
            Assert.Equal(0x42000D48u, new MacPcscApi().ControlCode(3400));
        }

        [Theory]
        [InlineData(typeof(LinuxPcscApi), "SCardControl", typeof(UIntPtr), typeof(IntPtr))]
        [InlineData(typeof(MacPcscApi), "SCardControl132", typeof(uint), typeof(int))]
        [InlineData(typeof(WindowsPcscApi), "SCardControl", typeof(uint), typeof(int))]
        public void SCardControlImport_UsesThePlatformsEntryPointAndDwordWidth(Type api, string entryPoint, Type dword, Type result)
        {
            var native = api.GetNestedType("NativeMethods", BindingFlags.NonPublic)!;
            var method = native.GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
                .Single(m => m.GetCustomAttribute<DllImportAttribute>()?.EntryPoint?.StartsWith("SCardControl", StringComparison.Ordinal) == true);
            Assert.Equal(entryPoint, method.GetCustomAttribute<DllImportAttribute>()!.EntryPoint);
            Assert.Equal(result, method.ReturnType);
            var parameters = method.GetParameters();
            Assert.Equal(7, parameters.Length);
            Assert.Equal(dword, parameters[1].ParameterType); // dwControlCode
            Assert.Equal(dword, parameters[3].ParameterType); // cbSendLength
            Assert.Equal(dword, parameters[5].ParameterType); // cbRecvLength
            Assert.Equal(dword.MakeByRefType(), parameters[6].ParameterType); // lpBytesReturned
        }

        /// <summary>The real libpcsclite.so.1 has the entry point with this signature: a handle it never gave is refused, nothing throws.</summary>
        [OnLinuxFact]
        public void LinuxControl_OnAHandleItNeverGave_IsAnsweredByPcscLite()
        {
            var receive = new byte[64];
            var length = receive.Length;
            var result = new LinuxPcscApi().Control(new IntPtr(0x7EADBEEF), ControlCodes.PcscLite(3400), Array.Empty<byte>(), 0, receive, ref length);
            Assert.Equal(PcscResult.InvalidHandle, result);
        }
    }
}
