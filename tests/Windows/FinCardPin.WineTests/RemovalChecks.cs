using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using static FinCardPin.WineTests.CheckRunner;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// A card taken out while handles to it are open: the raw handle must answer RemovedCard through winscard, and
    /// the engine must turn that into CardRemoved. wine-tier.sh removes the organisation card once this phase has
    /// written "removal.ready" into the work folder.
    /// </summary>
    internal static class RemovalChecks
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

        public static void Run(CheckRunner checks, WorkFolder work)
        {
            var api = PcscPlatform.Native;
            var raw = IntPtr.Zero;
            var context = IntPtr.Zero;
            CardConnection? connection = null;
            using (var engine = new PcscContext(api))
            {
                try
                {
                    checks.Check("handles to the organisation card opened (raw and through the engine)", () =>
                    {
                        ExpectResult(PcscResult.Success, api.EstablishContext(PcscScope.System, out context), "SCardEstablishContext");
                        ExpectResult(PcscResult.Success, api.Connect(context, WorkFolder.OrganisationReader, ShareMode.Shared, Protocols.Any, out raw, out _), "SCardConnectW");
                        connection = engine.Connect(WorkFolder.OrganisationReader);
                        Expect(connection.Transmit(SelectPkcs15()).StatusWord.IsSuccess, "SELECT before the removal failed");
                    });
                    File.WriteAllText(Path.Combine(work.Path, "removal.ready"), "connected");

                    checks.Check("SCardGetStatusChangeW shows the reader empty after the removal", () =>
                        Expect(WaitUntilEmpty(api, context), "the reader still holds a card " + Limit.TotalSeconds + " s after the removal was asked for"));

                    checks.Check("SCardTransmit on a handle to the removed card answers RemovedCard", () =>
                    {
                        var command = SelectPkcs15().Encode();
                        var receive = new byte[258];
                        var length = receive.Length;
                        ExpectResult(PcscResult.RemovedCard, api.Transmit(raw, Protocols.T1, command, command.Length, receive, ref length), "SCardTransmit");
                    });

                    checks.Check("engine: a command to the removed card is CardRemoved", () =>
                    {
                        Expect(connection != null, "no engine connection");
                        ExpectError(ErrorIds.CardRemoved, () => connection!.Transmit(SelectPkcs15()));
                    });
                }
                finally
                {
                    connection?.Dispose();
                    if (raw != IntPtr.Zero)
                    {
                        api.Disconnect(raw, Disposition.LeaveCard);
                    }

                    if (context != IntPtr.Zero)
                    {
                        api.ReleaseContext(context);
                    }
                }
            }
        }

        private static CommandApdu SelectPkcs15() =>
            new CommandApdu(0x00, 0xA4, 0x04, 0x0C, Hex.Parse("A0 00 00 00 63 50 4B 43 53 2D 31 35"));

        // Polls with a zero timeout: Wine's SCardGetStatusChangeW does not wait for a change.
        private static bool WaitUntilEmpty(IPcscApi api, IntPtr context)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < Limit)
            {
                var query = new[] { new ReaderStateQuery(WorkFolder.OrganisationReader) };
                if (api.GetStatusChange(context, 0, query) == PcscResult.Success && (query[0].EventState & ReaderStates.Empty) != 0)
                {
                    return true;
                }

                Thread.Sleep(100);
            }

            return false;
        }
    }
}
