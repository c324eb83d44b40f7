using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Interop;
using Xunit;

namespace FinCardPin.UnitTests.Interop
{
    /// <summary>The platform choice and the "no PC/SC library = no service" guard. No native call is made.</summary>
    public class PcscPlatformTests
    {
        [Fact]
        public void Native_OnThisOs_IsTheMatchingBinding()
        {
            var expected = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "winscard.dll"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "libpcsclite.so.1"
                : "PCSC.framework";

            Assert.Contains(expected, PcscPlatform.Native.Name);
        }

        [Fact]
        public void Native_ReadTwice_IsTheSameInstance()
        {
            Assert.Same(PcscPlatform.Native, PcscPlatform.Native);
        }

        [Theory]
        [InlineData(typeof(DllNotFoundException))]
        [InlineData(typeof(EntryPointNotFoundException))]
        [InlineData(typeof(BadImageFormatException))]
        public void EstablishContext_LibraryMissing_ReturnsNoService(Type exceptionType)
        {
            var guard = new MissingLibraryGuard(new ThrowingApi((Exception)Activator.CreateInstance(exceptionType)!));

            var result = guard.EstablishContext(PcscScope.User, out var context);

            Assert.Equal(PcscResult.NoService, result);
            Assert.Equal(IntPtr.Zero, context);
        }

        [Fact]
        public void EveryCall_LibraryMissing_ReturnsNoServiceWithNeutralOutputs()
        {
            var guard = new MissingLibraryGuard(new ThrowingApi(new DllNotFoundException("libpcsclite.so.1")));
            var receiveLength = 258;

            Assert.Equal(PcscResult.NoService, guard.ReleaseContext(IntPtr.Zero));
            Assert.Equal(PcscResult.NoService, guard.ListReaders(IntPtr.Zero, out var readers));
            Assert.Empty(readers);
            Assert.Equal(PcscResult.NoService, guard.GetStatusChange(IntPtr.Zero, 0, Array.Empty<ReaderStateQuery>()));
            Assert.Equal(PcscResult.NoService,
                guard.Connect(IntPtr.Zero, "A", ShareMode.Shared, Protocols.Any, out var card, out var protocol));
            Assert.Equal(IntPtr.Zero, card);
            Assert.Equal(Protocols.Undefined, protocol);
            Assert.Equal(PcscResult.NoService,
                guard.Reconnect(IntPtr.Zero, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out protocol));
            Assert.Equal(PcscResult.NoService, guard.Disconnect(IntPtr.Zero, Disposition.LeaveCard));
            Assert.Equal(PcscResult.NoService, guard.BeginTransaction(IntPtr.Zero));
            Assert.Equal(PcscResult.NoService, guard.EndTransaction(IntPtr.Zero, Disposition.LeaveCard));
            Assert.Equal(PcscResult.NoService,
                guard.Transmit(IntPtr.Zero, Protocols.T1, new byte[4], 4, new byte[258], ref receiveLength));
            Assert.Equal(0, receiveLength);
            Assert.Equal(PcscResult.NoService, guard.Cancel(IntPtr.Zero));
        }

        [Fact]
        public void Transmit_ArgumentError_IsNotSwallowed()
        {
            var guard = new MissingLibraryGuard(new ThrowingApi(new ArgumentOutOfRangeException("sendLength")));
            var receiveLength = 258;

            Assert.Throws<ArgumentOutOfRangeException>(() =>
                guard.Transmit(IntPtr.Zero, Protocols.T1, new byte[4], 5, new byte[258], ref receiveLength));
        }

        [Fact]
        public void Name_Guarded_IsTheInnerName()
        {
            Assert.Equal("throwing", new MissingLibraryGuard(new ThrowingApi(new DllNotFoundException())).Name);
        }

        private sealed class ThrowingApi : IPcscApi
        {
            private readonly Exception _error;

            public ThrowingApi(Exception error)
            {
                _error = error;
            }

            public string Name => "throwing";

            public PcscResult EstablishContext(PcscScope scope, out IntPtr context) => throw _error;

            public PcscResult ReleaseContext(IntPtr context) => throw _error;

            public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers) => throw _error;

            public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers) =>
                throw _error;

            public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode,
                Protocols preferredProtocols, out IntPtr card, out Protocols activeProtocol) => throw _error;

            public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols,
                Disposition initialization, out Protocols activeProtocol) => throw _error;

            public PcscResult Disconnect(IntPtr card, Disposition disposition) => throw _error;

            public PcscResult BeginTransaction(IntPtr card) => throw _error;

            public PcscResult EndTransaction(IntPtr card, Disposition disposition) => throw _error;

            public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
                ref int receiveLength) => throw _error;

            public PcscResult Cancel(IntPtr context) => throw _error;

            public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

            public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
                ref int receiveLength) => throw _error;
        }
    }
}
