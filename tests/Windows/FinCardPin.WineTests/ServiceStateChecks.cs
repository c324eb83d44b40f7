using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using static FinCardPin.WineTests.CheckRunner;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// The phases before any card is in: no service at all (pcscd not running — what Windows shows when the Smart
    /// Card service is stopped), a service without readers, and the two vpcd readers empty.
    /// </summary>
    internal static class ServiceStateChecks
    {
        /// <summary>pcscd is not running: the engine must take Windows' "no reader, no error" path.</summary>
        public static void NoService(CheckRunner checks, WorkFolder work)
        {
            checks.Check("the engine runs as Windows and picks winscard.dll", () =>
            {
                Expect(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), "RuntimeInformation does not say Windows: " + RuntimeInformation.OSDescription);
                Expect(RuntimeInformation.ProcessArchitecture == Architecture.X64, "process is " + RuntimeInformation.ProcessArchitecture + ", not X64");
                Expect(PcscPlatform.Native.Name == "Windows Smart Card (winscard.dll)", "the engine chose " + PcscPlatform.Native.Name);
            });

            checks.Check("SCardEstablishContext without a service answers NoService", () =>
            {
                var result = PcscPlatform.Native.EstablishContext(PcscScope.System, out var context);
                if (result == PcscResult.Success)
                {
                    PcscPlatform.Native.ReleaseContext(context);
                }

                ExpectResult(PcscResult.NoService, result, "SCardEstablishContext");
            });

            checks.Check("service stopped: the engine lists no readers and raises no error", () =>
            {
                using (var context = new PcscContext(PcscPlatform.Native))
                {
                    Expect(context.ListReaders().Count == 0, "ListReaders returned readers");
                    Expect(context.GetReaders().Count == 0, "GetReaders returned readers");
                }
            });

            checks.Check("service stopped: opening a named reader is PcscServiceNotRunning", () =>
            {
                using (var context = new PcscContext(PcscPlatform.Native))
                {
                    ExpectError(ErrorIds.ServiceNotRunning, () => context.Connect(WorkFolder.IdentityReader).Dispose());
                }
            });

            VirtualCardsVariable(checks, work);
        }

        /// <summary>
        /// FINCARDPIN_VIRTUAL_CARDS on Windows: ';' separates the card files (Path.PathSeparator), and a path with a
        /// drive letter ("Z:\…") must not be cut at its ':' as it would be on Linux.
        /// </summary>
        private static void VirtualCardsVariable(CheckRunner checks, WorkFolder work)
        {
            checks.Check("FINCARDPIN_VIRTUAL_CARDS takes ';'-separated Windows paths", () =>
            {
                Expect(Path.PathSeparator == ';', "Path.PathSeparator is '" + Path.PathSeparator + "'");
                var copy = Path.Combine(work.Path, "variable-identity.json");
                File.Copy(work.Identity.StatePath, copy, true);
                var missing = Path.Combine(work.Path, "variable-no-such-card.json");
                Expect(copy.Length > 2 && copy[1] == ':', "the work folder is not a Windows drive path: " + copy);

                var before = Environment.GetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable);
                Environment.SetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable, copy + ";" + missing);
                try
                {
                    var api = VirtualPcscApi.FromEnvironment();
                    Expect(api != null, "FromEnvironment gave no readers");
                    Expect(api!.ReaderCount == 2, api.ReaderCount + " readers, expected 2");
                    using (var context = new PcscContext(api))
                    {
                        var readers = context.GetReaders();
                        Expect(readers.Count == 2, readers.Count + " readers listed");
                        Expect(readers[0].Name == VirtualPcscApi.ReaderName(0) && readers[0].HasCard, "reader 0 does not hold the card file");
                        Expect(readers[1].Name == VirtualPcscApi.ReaderName(1) && !readers[1].HasCard, "reader 1 (missing file) is not empty");
                        Expect(readers[0].Atr.SequenceEqual(work.Identity.State().Atr), "reader 0 shows another ATR");
                    }
                }
                finally
                {
                    Environment.SetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable, before);
                }
            });
        }

        /// <summary>pcscd runs but has no reader configured.</summary>
        public static void NoReaders(CheckRunner checks)
        {
            var api = PcscPlatform.Native;
            var context = IntPtr.Zero;
            checks.Check("SCardEstablishContext succeeds", () =>
            {
                ExpectResult(PcscResult.Success, api.EstablishContext(PcscScope.System, out context), "SCardEstablishContext");
                Expect(context != IntPtr.Zero, "no context handle");
            });
            if (context == IntPtr.Zero)
            {
                return;
            }

            try
            {
                checks.Check("SCardListReadersW with no reader answers NoReadersAvailable and an empty list", () =>
                {
                    ExpectResult(PcscResult.NoReadersAvailable, api.ListReaders(context, out var readers), "SCardListReadersW");
                    Expect(readers.Count == 0, readers.Count + " readers");
                });

                checks.Check("no reader: the engine lists none and raises no error", () =>
                {
                    using (var engine = new PcscContext(api))
                    {
                        Expect(engine.ListReaders().Count == 0, "ListReaders returned readers");
                        Expect(engine.GetReaders().Count == 0, "GetReaders returned readers");
                    }
                });

                checks.Check("no reader: a named reader is ReaderNotFound", () =>
                {
                    using (var engine = new PcscContext(api))
                    {
                        ExpectError(ErrorIds.ReaderNotFound, () => engine.GetReader(WorkFolder.IdentityReader));
                    }
                });
            }
            finally
            {
                checks.Check("SCardReleaseContext succeeds", () =>
                    ExpectResult(PcscResult.Success, api.ReleaseContext(context), "SCardReleaseContext"));
            }
        }

        /// <summary>The two vpcd readers, no card in either; leaves their event counters for the next phase.</summary>
        public static void EmptyReaders(CheckRunner checks, WorkFolder work)
        {
            var api = PcscPlatform.Native;
            var context = IntPtr.Zero;
            checks.Check("SCardEstablishContext succeeds", () =>
                ExpectResult(PcscResult.Success, api.EstablishContext(PcscScope.System, out context), "SCardEstablishContext"));
            if (context == IntPtr.Zero)
            {
                return;
            }

            try
            {
                checks.Check("SCardListReadersW names both vpcd readers as pcscd does", () =>
                {
                    ExpectResult(PcscResult.Success, api.ListReaders(context, out var readers), "SCardListReadersW");
                    Expect(readers.SequenceEqual(new[] { WorkFolder.IdentityReader, WorkFolder.OrganisationReader }),
                        "readers: " + string.Join(" | ", readers));
                });

                checks.Check("SCardGetStatusChangeW: both readers empty, no ATR", () =>
                {
                    var queries = new[] { new ReaderStateQuery(WorkFolder.IdentityReader), new ReaderStateQuery(WorkFolder.OrganisationReader) };
                    ExpectResult(PcscResult.Success, api.GetStatusChange(context, 0, queries), "SCardGetStatusChangeW");
                    var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var q in queries)
                    {
                        Expect((q.EventState & ReaderStates.Empty) != 0 && (q.EventState & ReaderStates.Present) == 0,
                            q.ReaderName + " state " + q.EventState);
                        Expect(q.Atr.Length == 0, q.ReaderName + " has an ATR");
                        counts[q.ReaderName] = q.EventCount;
                    }

                    work.SaveEventCounts("empty", counts);
                });

                checks.Check("SCardGetStatusChangeW on an unknown reader answers UnknownReader", () =>
                {
                    var query = new[] { new ReaderStateQuery("No Such Reader 99") };
                    ExpectResult(PcscResult.UnknownReader, api.GetStatusChange(context, 0, query), "SCardGetStatusChangeW");
                });

                checks.Check("SCardConnectW on an empty reader answers NoSmartCard", () =>
                {
                    var result = api.Connect(context, WorkFolder.IdentityReader, ShareMode.Shared, Protocols.Any, out var card, out _);
                    if (result == PcscResult.Success)
                    {
                        api.Disconnect(card, Disposition.LeaveCard);
                    }

                    ExpectResult(PcscResult.NoSmartCard, result, "SCardConnectW");
                });

                checks.Check("SCardConnectW on an unknown reader answers UnknownReader", () =>
                {
                    var result = api.Connect(context, "No Such Reader 99", ShareMode.Shared, Protocols.Any, out var card, out _);
                    if (result == PcscResult.Success)
                    {
                        api.Disconnect(card, Disposition.LeaveCard);
                    }

                    ExpectResult(PcscResult.UnknownReader, result, "SCardConnectW");
                });

                checks.Check("empty readers: the engine lists them without a card; opening one is NoCardInReader", () =>
                {
                    using (var engine = new PcscContext(api))
                    {
                        var readers = engine.GetReaders();
                        Expect(readers.Count == 2 && readers.All(r => !r.HasCard), "readers: " + string.Join(" | ", readers.Select(r => r.Name + " " + r.States)));
                        ExpectError(ErrorIds.NoCardInReader, () => FinCardPin.Engine.Fineid.FineidSession.Open(engine, WorkFolder.IdentityReader, null, null).Dispose());
                    }
                });
            }
            finally
            {
                api.ReleaseContext(context);
            }
        }
    }
}
