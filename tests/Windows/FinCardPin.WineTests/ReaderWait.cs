using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// Waits (bounded) until pcscd shows a card in both vpcd readers: vpcd sees an inserted card only at its next
    /// presence poll. Polls with a zero timeout because Wine's SCardGetStatusChangeW does not wait for a change.
    /// Not a check: when the cards never show up, the checks that need them fail and say so.
    /// </summary>
    internal static class ReaderWait
    {
        public static void ForBothCards(TimeSpan limit)
        {
            var api = PcscPlatform.Native;
            if (api.EstablishContext(PcscScope.System, out var context) != PcscResult.Success)
            {
                return;
            }

            try
            {
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < limit)
                {
                    var queries = new[] { new ReaderStateQuery(WorkFolder.IdentityReader), new ReaderStateQuery(WorkFolder.OrganisationReader) };
                    if (api.GetStatusChange(context, 0, queries) == PcscResult.Success
                        && queries.All(q => (q.EventState & ReaderStates.Present) != 0))
                    {
                        return;
                    }

                    Thread.Sleep(100);
                }
            }
            finally
            {
                api.ReleaseContext(context);
            }
        }
    }
}
