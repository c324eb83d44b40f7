using System;
using System.Linq;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>PcscContext over the scripted fake: empty reader lists, a missing service, a lost context, vanishing readers.</summary>
    public class PcscContextTests
    {
        private static readonly byte[] IdentityAtr = Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00");

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        [Fact]
        public void ListReaders_NoReadersAvailable_IsEmptyList()
        {
            var api = new ScriptedPcscApi();
            api.ListReadersReplies.Enqueue((PcscResult.NoReadersAvailable, Array.Empty<string>()));
            using var context = new PcscContext(api);

            var readers = context.ListReaders();

            Assert.Empty(readers);
            Assert.Equal(1, api.CountCalls("ListReaders"));
        }

        [Fact]
        public void ListReaders_Readers_AreReturnedInOrder()
        {
            var api = new ScriptedPcscApi();
            api.ListReadersReplies.Enqueue((PcscResult.Success, new[] { "Reader B", "Reader A" }));
            using var context = new PcscContext(api);

            Assert.Equal(new[] { "Reader B", "Reader A" }, context.ListReaders());
        }

        [Fact]
        public void ListReaders_NoServiceAtEstablish_ThrowsServiceNotRunningOutsideWindows()
        {
            var api = new ScriptedPcscApi();
            api.EstablishResults.Enqueue(PcscResult.NoService);
            using var context = new PcscContext(api);

            if (IsWindows)
            {
                // Windows stops the service with the last reader: no service there means no readers.
                Assert.Empty(context.ListReaders());
                return;
            }

            var error = Assert.Throws<SmartCardServiceException>(() => context.ListReaders());

            Assert.Equal(ErrorIds.ServiceNotRunning, error.ErrorId);
            Assert.Equal(PcscResult.NoService, error.Result);
            Assert.Equal(FailureKind.ResourceUnavailable, error.Kind);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                Assert.Equal(ErrorIds.ServiceNotRunning + ".Linux", error.MessageKey);
            }
            Assert.Equal(0, api.CountCalls("ListReaders"));
        }

        [Fact]
        public void GetReader_NoServiceAtEstablish_ThrowsServiceNotRunningOnEveryOs()
        {
            var api = new ScriptedPcscApi();
            api.EstablishResults.Enqueue(PcscResult.NoService);
            using var context = new PcscContext(api);

            var error = Assert.Throws<SmartCardServiceException>(() => context.GetReader("Reader A"));

            Assert.Equal(ErrorIds.ServiceNotRunning, error.ErrorId);
        }

        [Fact]
        public void NoServiceAtEstablish_NextCall_EstablishesAgain()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            api.EstablishResults.Enqueue(PcscResult.NoService);
            using var context = new PcscContext(api);
            Assert.Throws<SmartCardServiceException>(() => context.GetReader("Reader A"));

            var reader = context.GetReader("Reader A");

            Assert.True(reader.HasCard);
            Assert.Equal(2, api.CountCalls("EstablishContext"));
        }

        [Theory]
        [InlineData(PcscResult.ServiceStopped)]
        [InlineData(PcscResult.InvalidHandle)]
        [InlineData(PcscResult.NoService)]
        [InlineData(PcscResult.Win32InvalidHandle)]
        public void ListReaders_ContextLost_ReleasesEstablishesAgainAndRetriesOnce(PcscResult lost)
        {
            var api = new ScriptedPcscApi();
            api.ListReadersReplies.Enqueue((PcscResult.Success, new[] { "Reader A" }));
            api.ListReadersReplies.Enqueue((lost, Array.Empty<string>()));
            api.ListReadersReplies.Enqueue((PcscResult.Success, new[] { "Reader A", "Reader B" }));
            using var context = new PcscContext(api);
            Assert.Single(context.ListReaders());

            var readers = context.ListReaders();

            Assert.Equal(new[] { "Reader A", "Reader B" }, readers);
            Assert.Equal(
                new[] { "EstablishContext -> 0x100", "ListReaders 0x100", "ListReaders 0x100", "ReleaseContext 0x100", "EstablishContext -> 0x101", "ListReaders 0x101" },
                api.Calls);
        }

        [Theory]
        [InlineData(PcscResult.ServiceStopped)]
        [InlineData(PcscResult.InvalidHandle)]
        public void GetReader_ContextLost_ReleasesEstablishesAgainAndRetriesOnce(PcscResult lost)
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            using var context = new PcscContext(api);
            context.GetReader("Reader A");
            api.GetStatusChangeResults.Enqueue(lost);

            var reader = context.GetReader("Reader A");

            Assert.True(reader.HasCard);
            Assert.Equal(IdentityAtr, reader.Atr);
            Assert.Equal(new[] { new IntPtr(0x100) }, api.ReleasedContexts);
            Assert.Equal(new[] { new IntPtr(0x100), new IntPtr(0x101) }, api.EstablishedContexts);
            Assert.Equal("GetStatusChange 0x101 Reader A", api.Calls.Last());
        }

        [Fact]
        public void GetReader_ContextLostTwice_ReEstablishesOnlyOnceAndThrows()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            using var context = new PcscContext(api);
            context.GetReader("Reader A");
            api.GetStatusChangeResults.Enqueue(PcscResult.ServiceStopped);
            api.GetStatusChangeResults.Enqueue(PcscResult.ServiceStopped);

            var error = Assert.Throws<SmartCardServiceException>(() => context.GetReader("Reader A"));

            Assert.Equal(ErrorIds.ServiceNotRunning, error.ErrorId);
            Assert.Equal(2, api.EstablishedContexts.Count);
            Assert.Equal(3, api.CountCalls("GetStatusChange"));
        }

        [Fact]
        public void GetReader_ContextLostAndServiceGone_ThrowsServiceNotRunning()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            using var context = new PcscContext(api);
            context.GetReader("Reader A");
            api.GetStatusChangeResults.Enqueue(PcscResult.ServiceStopped);
            api.EstablishResults.Enqueue(PcscResult.NoService);

            var error = Assert.Throws<SmartCardServiceException>(() => context.GetReader("Reader A"));

            Assert.Equal(ErrorIds.ServiceNotRunning, error.ErrorId);
            Assert.Equal(new[] { new IntPtr(0x100) }, api.ReleasedContexts);
        }

        [Fact]
        public void GetReader_ContextLostOnAFreshContext_IsNotRetried()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            api.GetStatusChangeResults.Enqueue(PcscResult.ServiceStopped);
            using var context = new PcscContext(api);

            Assert.Throws<SmartCardServiceException>(() => context.GetReader("Reader A"));

            Assert.Single(api.EstablishedContexts);
            Assert.Equal(1, api.CountCalls("GetStatusChange"));
        }

        [Fact]
        public void GetReaders_ReaderVanishesBetweenListAndState_ListsAgain()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            api.ListReadersReplies.Enqueue((PcscResult.Success, new[] { "Reader A", "Reader B" }));
            using var context = new PcscContext(api);

            var readers = context.GetReaders();

            var reader = Assert.Single(readers);
            Assert.Equal("Reader A", reader.Name);
            Assert.True(reader.HasCard);
            Assert.Equal(IdentityAtr, reader.Atr);
            Assert.Equal(2, api.CountCalls("ListReaders"));
            Assert.Equal(new[] { "GetStatusChange 0x100 Reader A|Reader B", "GetStatusChange 0x100 Reader A" },
                api.Calls.Where(c => c.StartsWith("GetStatusChange", StringComparison.Ordinal)));
        }

        [Fact]
        public void GetReaders_ReaderKeepsVanishing_GivesUpWithReaderNotFound()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            api.GetStatusChangeResults.Enqueue(PcscResult.UnknownReader);
            api.GetStatusChangeResults.Enqueue(PcscResult.UnknownReader);
            api.GetStatusChangeResults.Enqueue(PcscResult.UnknownReader);
            api.GetStatusChangeResults.Enqueue(PcscResult.UnknownReader);
            using var context = new PcscContext(api);

            var error = Assert.Throws<ReaderNotFoundException>(() => context.GetReaders());

            Assert.Equal(ErrorIds.ReaderNotFound, error.ErrorId);
            Assert.InRange(api.CountCalls("ListReaders"), 2, 4);
        }

        [Theory]
        [InlineData(PcscResult.UnknownReader)]
        [InlineData(PcscResult.ReaderUnavailable)]
        public void GetReaders_ReaderKeepsVanishing_MessageDoesNotShowAnEmptyName(PcscResult vanished)
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            for (var i = 0; i < 4; i++)
            {
                api.GetStatusChangeResults.Enqueue(vanished);
            }

            using var context = new PcscContext(api);

            var error = Assert.Throws<ReaderNotFoundException>(() => context.GetReaders());

            Assert.DoesNotContain("''", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void GetReaders_NoReaders_IsEmptyWithoutStateQuery()
        {
            var api = new ScriptedPcscApi();
            using var context = new PcscContext(api);

            Assert.Empty(context.GetReaders());
            Assert.Equal(0, api.CountCalls("GetStatusChange"));
        }

        [Fact]
        public void GetReaders_EmptyAndMuteReaders_HaveNoCard()
        {
            var api = new ScriptedPcscApi()
                .WithReader("Empty", Array.Empty<byte>(), ReaderStates.Empty)
                .WithReader("Mute", Hex.Parse("3B 00"), ReaderStates.Present | ReaderStates.Mute)
                .WithReader("Busy", IdentityAtr, ReaderStates.Present | ReaderStates.Exclusive | ReaderStates.InUse);
            using var context = new PcscContext(api);

            var readers = context.GetReaders().ToDictionary(r => r.Name);

            Assert.False(readers["Empty"].HasCard);
            Assert.False(readers["Mute"].HasCard);
            Assert.True(readers["Busy"].HasCard);
            Assert.True(readers["Busy"].IsExclusive);
            Assert.False(readers["Empty"].IsExclusive);
        }

        [Fact]
        public void GetReader_UnknownName_ThrowsReaderNotFoundNamingIt()
        {
            var api = new ScriptedPcscApi().WithReader("Reader A", IdentityAtr);
            using var context = new PcscContext(api);

            var error = Assert.Throws<ReaderNotFoundException>(() => context.GetReader("Reader Z"));

            Assert.Equal(ErrorIds.ReaderNotFound, error.ErrorId);
            Assert.Equal("Reader Z", error.ReaderName);
            Assert.Contains("Reader Z", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Connect_IsSharedWithT0OrT1()
        {
            var api = new ScriptedPcscApi { ConnectProtocol = Protocols.T0 };
            using var context = new PcscContext(api);

            using var connection = context.Connect("Reader A");

            Assert.Equal("Connect 0x100 Reader A Shared Any", api.Calls.Single(c => c.StartsWith("Connect", StringComparison.Ordinal)));
            Assert.Equal(Protocols.T0, connection.ActiveProtocol);
            Assert.Equal("Reader A", connection.ReaderName);
        }

        [Fact]
        public void Connect_SharingViolationPastTheBound_ThrowsReaderBusy()
        {
            var api = new ScriptedPcscApi();
            for (var i = 0; i < 100; i++)
            {
                api.ConnectResults.Enqueue(PcscResult.SharingViolation);
            }

            using var context = new PcscContext(api, new PcscBounds(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30)));

            var error = Assert.Throws<ReaderBusyException>(() => context.Connect("Reader A"));

            Assert.Equal("Reader A", error.ReaderName);
            Assert.Equal(0, api.CountCalls("Disconnect"));
        }

        [Fact]
        public void Dispose_ReleasesTheContextOnce()
        {
            var api = new ScriptedPcscApi();
            var context = new PcscContext(api);
            context.ListReaders();

            context.Dispose();
            context.Dispose();

            Assert.Equal(new[] { new IntPtr(0x100) }, api.ReleasedContexts);
        }

        [Fact]
        public void Dispose_NeverUsed_EstablishesAndReleasesNothing()
        {
            var api = new ScriptedPcscApi();

            new PcscContext(api).Dispose();

            Assert.Empty(api.Calls);
        }

        [Fact]
        public void Dispose_ConnectionAndContext_DisconnectsAndReleases()
        {
            var api = new ScriptedPcscApi();
            var context = new PcscContext(api);
            var connection = context.Connect("Reader A");

            connection.Dispose();
            context.Dispose();

            Assert.Equal(new[] { "Disconnect LeaveCard", "ReleaseContext 0x100" }, api.Calls.Skip(2));
        }
    }
}
