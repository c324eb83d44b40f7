using System;
using System.Collections.Generic;
using System.Diagnostics;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Benchmark
{
    /// <summary>The same PC/SC calls and APDUs as Get-CardReader | Get-CardPinStatus, with no cmdlet, object or pipeline.</summary>
    public static class RawPcsc
    {
        static readonly byte[] SelectAid = { 0x00, 0xA4, 0x04, 0x0C, 0x0C, 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35 };
        static readonly byte[] SelectTokenInfo = { 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x50, 0x32 };
        static readonly byte[] ReadBinary = { 0x00, 0xB0, 0x00, 0x00, 0x00 };
        static readonly byte[][] GetData =
        {
            new byte[] { 0x00, 0xCB, 0x00, 0xFF, 0x05, 0xA0, 0x03, 0x83, 0x01, 0x11, 0x00 },
            new byte[] { 0x00, 0xCB, 0x00, 0xFF, 0x05, 0xA0, 0x03, 0x83, 0x01, 0x82, 0x00 },
            new byte[] { 0x00, 0xCB, 0x00, 0xFF, 0x05, 0xA0, 0x03, 0x83, 0x01, 0x83, 0x00 },
        };

        // What Get-CardReader needs: context, reader list, reader states, and per FINEID card the serial
        // (connect, transaction, SELECT, SELECT EF.TokenInfo, READ BINARY). With withStatus, also what
        // Get-CardPinStatus sends per piped card: its reader's state, connect, transaction, SELECT, the reader's state
        // again (the unchanged event counter binds the piped card without reading its serial again), one GET DATA per code.
        public static double MedianMs(int rounds, bool withStatus)
        {
            var api = PcscPlatform.Native;
            var times = new double[rounds];
            var receive = new byte[258];
            for (var round = 0; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                Check(api.EstablishContext(PcscScope.System, out var context));
                Check(api.ListReaders(context, out IReadOnlyList<string> readers));
                var states = new ReaderStateQuery[readers.Count];
                for (var i = 0; i < states.Length; i++) states[i] = new ReaderStateQuery(readers[i]);
                Check(api.GetStatusChange(context, 0, states));
                foreach (var state in states)
                {
                    if ((state.EventState & ReaderStates.Present) == 0) continue;
                    Check(api.Connect(context, state.ReaderName, ShareMode.Shared, Protocols.Any, out var card, out var protocol));
                    Check(api.BeginTransaction(card));
                    Send(api, card, protocol, SelectAid, receive);
                    Send(api, card, protocol, SelectTokenInfo, receive);
                    Send(api, card, protocol, ReadBinary, receive);
                    api.EndTransaction(card, Disposition.LeaveCard);
                    api.Disconnect(card, Disposition.LeaveCard);
                }
                if (withStatus)
                {
                    foreach (var state in states)
                    {
                        if ((state.EventState & ReaderStates.Present) == 0) continue;
                        Check(api.GetStatusChange(context, 0, new[] { new ReaderStateQuery(state.ReaderName) }));
                        Check(api.Connect(context, state.ReaderName, ShareMode.Shared, Protocols.Any, out var card, out var protocol));
                        Check(api.BeginTransaction(card));
                        Send(api, card, protocol, SelectAid, receive);
                        Check(api.GetStatusChange(context, 0, new[] { new ReaderStateQuery(state.ReaderName) }));
                        foreach (var command in GetData) Send(api, card, protocol, command, receive);
                        api.EndTransaction(card, Disposition.LeaveCard);
                        api.Disconnect(card, Disposition.LeaveCard);
                    }
                }
                api.ReleaseContext(context);
                times[round] = watch.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times[rounds / 2];
        }

        static void Send(IPcscApi api, IntPtr card, Protocols protocol, byte[] command, byte[] receive)
        {
            var length = receive.Length;
            Check(api.Transmit(card, protocol, command, command.Length, receive, ref length));
        }

        static void Check(PcscResult result)
        {
            if (result != PcscResult.Success) throw new InvalidOperationException("PC/SC: " + result);
        }
    }
}
