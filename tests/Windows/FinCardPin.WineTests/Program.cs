using System;
using System.IO;
using System.Linq;
using FinCardPin.Engine.Interop;
using static FinCardPin.WineTests.CheckRunner;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// <c>FinCardPin.WineTests.exe &lt;phase&gt; &lt;work folder&gt;</c>: one phase of the Windows end-to-end tier, run
    /// under Wine by wine-tier.sh after it has put pcscd and the cards into the state the phase needs. Prints one
    /// line per check; exits 0 when all passed, 1 when any failed, 2 on a usage error.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2 || !Directory.Exists(args[1]))
            {
                Console.Error.WriteLine("usage: FinCardPin.WineTests.exe no-service|no-readers|empty-readers|cards|reinserted|removal <work folder>");
                return 2;
            }

            var work = new WorkFolder(Path.GetFullPath(args[1]));
            var checks = new CheckRunner(args[0]);
            switch (args[0])
            {
                case "no-service":
                    ServiceStateChecks.NoService(checks, work);
                    break;
                case "no-readers":
                    ServiceStateChecks.NoReaders(checks);
                    break;
                case "empty-readers":
                    ServiceStateChecks.EmptyReaders(checks, work);
                    break;
                case "cards":
                    ReaderWait.ForBothCards(TimeSpan.FromSeconds(10));
                    NativeBindingChecks.Run(checks, work);
                    EngineChecks.Run(checks, work);
                    break;
                case "removal":
                    RemovalChecks.Run(checks, work);
                    break;
                case "reinserted":
                    ReaderWait.ForBothCards(TimeSpan.FromSeconds(10));
                    Reinserted(checks, work);
                    break;
                default:
                    Console.Error.WriteLine("unknown phase '" + args[0] + "'");
                    return 2;
            }

            return checks.Failed == 0 && checks.Passed > 0 ? 0 : 1;
        }

        /// <summary>The organisation card was taken out and put back: the reader's event counter moved on.</summary>
        private static void Reinserted(CheckRunner checks, WorkFolder work)
        {
            checks.Check("SCardGetStatusChangeW: removal and insertion move the event counter on", () =>
            {
                var inserted = work.LoadEventCounts("inserted");
                var api = PcscPlatform.Native;
                ExpectResult(PcscResult.Success, api.EstablishContext(PcscScope.System, out var context), "SCardEstablishContext");
                try
                {
                    var queries = new[] { new ReaderStateQuery(WorkFolder.IdentityReader), new ReaderStateQuery(WorkFolder.OrganisationReader) };
                    ExpectResult(PcscResult.Success, api.GetStatusChange(context, 0, queries), "SCardGetStatusChangeW");
                    Expect(queries.All(q => (q.EventState & ReaderStates.Present) != 0), "a card is missing");
                    Expect(queries[0].EventCount == inserted[WorkFolder.IdentityReader],
                        "the untouched reader's counter moved: " + inserted[WorkFolder.IdentityReader] + " -> " + queries[0].EventCount);
                    Expect(queries[1].EventCount >= inserted[WorkFolder.OrganisationReader] + 2,
                        "the counter " + inserted[WorkFolder.OrganisationReader] + " -> " + queries[1].EventCount + " did not count a removal and an insertion");
                }
                finally
                {
                    api.ReleaseContext(context);
                }
            });
        }
    }
}
