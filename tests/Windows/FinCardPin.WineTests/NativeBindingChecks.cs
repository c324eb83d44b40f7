using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Interop;
using static FinCardPin.WineTests.CheckRunner;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// Every IPcscApi call the engine makes, made raw through WindowsPcscApi with both cards in: an identity card that
    /// speaks T=0 (slot 0) and an organisation card on T=1 (slot 1). What the card received is read back from its
    /// APDU log, so a call that "succeeds" without reaching the card fails here.
    /// </summary>
    internal static class NativeBindingChecks
    {
        private static readonly byte[] SelectPkcs15 = Hex.Parse("00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35");
        private static readonly byte[] SelectTokenInfo = Hex.Parse("00 A4 02 0C 02 50 32");
        private static readonly byte[] ReadTokenInfo = Hex.Parse("00 B0 00 00 00");

        // GET DATA of the identity card's PIN1 information: data a T=0 card can only hand out through GET RESPONSE.
        private static readonly byte[] GetPin1Info = Hex.Parse("00 CB 00 FF 05 A0 03 83 01 11");

        public static void Run(CheckRunner checks, WorkFolder work)
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
                ReaderStates(checks, work, api, context);
                IdentityCardOnT0(checks, work, api, context);
                OrganisationCardOnT1(checks, work, api, context);
                Cancel(checks, api, context);
            }
            finally
            {
                checks.Check("SCardReleaseContext succeeds; the released context is refused", () =>
                {
                    ExpectResult(PcscResult.Success, api.ReleaseContext(context), "SCardReleaseContext");
                    var after = api.ListReaders(context, out _);
                    Expect(after != PcscResult.Success, "SCardListReadersW on a released context succeeded");
                });
            }
        }

        private static void ReaderStates(CheckRunner checks, WorkFolder work, IPcscApi api, IntPtr context)
        {
            checks.Check("SCardGetStatusChangeW: both cards present with their ATRs; insertion counted", () =>
            {
                var empty = work.LoadEventCounts("empty");
                var queries = new[] { new ReaderStateQuery(WorkFolder.IdentityReader), new ReaderStateQuery(WorkFolder.OrganisationReader) };
                ExpectResult(PcscResult.Success, api.GetStatusChange(context, 0, queries), "SCardGetStatusChangeW");
                var atrs = new[] { work.Identity.State().Atr, work.Organisation.State().Atr };
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < queries.Length; i++)
                {
                    var q = queries[i];
                    Expect((q.EventState & Engine.Interop.ReaderStates.Present) != 0 && (q.EventState & Engine.Interop.ReaderStates.Empty) == 0,
                        q.ReaderName + " state " + q.EventState);
                    Expect(q.Atr.SequenceEqual(atrs[i]), q.ReaderName + " ATR " + Hex.Format(q.Atr) + ", card's " + Hex.Format(atrs[i]));
                    Expect(q.EventCount > empty[q.ReaderName], q.ReaderName + " event counter " + q.EventCount + " not above " + empty[q.ReaderName] + " (before insertion)");
                    counts[q.ReaderName] = q.EventCount;
                }

                work.SaveEventCounts("inserted", counts);
            });
        }

        private static void IdentityCardOnT0(CheckRunner checks, WorkFolder work, IPcscApi api, IntPtr context)
        {
            var card = IntPtr.Zero;
            checks.Check("SCardConnectW T=0|T=1 to the identity card gives T=0", () =>
            {
                ExpectResult(PcscResult.Success, api.Connect(context, WorkFolder.IdentityReader, ShareMode.Shared, Protocols.Any, out card, out var active), "SCardConnectW");
                Expect(active == Protocols.T0, "active protocol " + active);
            });
            if (card == IntPtr.Zero)
            {
                return;
            }

            try
            {
                checks.Check("SCardConnectW asking T=1 only of the T=0 card answers ProtocolMismatch", () =>
                {
                    var result = api.Connect(context, WorkFolder.IdentityReader, ShareMode.Shared, Protocols.T1, out var other, out _);
                    if (result == PcscResult.Success)
                    {
                        api.Disconnect(other, Disposition.LeaveCard);
                    }

                    ExpectResult(PcscResult.ProtocolMismatch, result, "SCardConnectW(T=1)");
                });

                checks.Check("T=0 in a transaction: SELECT, then GET DATA answered 61xx and fetched with GET RESPONSE", () =>
                {
                    var seen = work.Identity.Commands().Count;
                    ExpectResult(PcscResult.Success, api.BeginTransaction(card), "SCardBeginTransaction");
                    Expect(Hex.Format(Send(api, card, Protocols.T0, SelectPkcs15)) == "90 00", "SELECT not 90 00");
                    var more = Send(api, card, Protocols.T0, GetPin1Info);
                    Expect(more.Length == 2 && more[0] == 0x61, "GET DATA answered " + Hex.Format(more) + ", expected 61 xx");
                    var info = Send(api, card, Protocols.T0, new byte[] { 0x00, 0xC0, 0x00, 0x00, more[1] });
                    Expect(info.Length == more[1] + 2, "GET RESPONSE gave " + info.Length + " bytes for 61 " + more[1].ToString("X2"));
                    Expect(info[0] == 0xA0 && info[info.Length - 2] == 0x90 && info[info.Length - 1] == 0x00, "GET RESPONSE answered " + Hex.Format(info));
                    ExpectResult(PcscResult.Success, api.EndTransaction(card, Disposition.LeaveCard), "SCardEndTransaction");

                    var logged = work.Identity.CommandsSince(seen);
                    Expect(logged.Count == 3, "the card logged " + logged.Count + " commands, expected 3: " + string.Join(" | ", logged));
                    Expect(logged[0] == Hex.Format(SelectPkcs15) + " -> 90 00", "logged " + logged[0]);
                    Expect(logged[1] == Hex.Format(GetPin1Info) + " -> " + Hex.Format(more), "logged " + logged[1]);
                    Expect(logged[2].StartsWith("00 C0 00 00 " + more[1].ToString("X2") + " -> A0", StringComparison.Ordinal), "logged " + logged[2]);
                });

                checks.Check("SCardTransmit with the T=1 PCI on a T=0 connection answers ProtocolMismatch, card not reached", () =>
                {
                    var seen = work.Identity.Commands().Count;
                    var receive = new byte[258];
                    var length = receive.Length;
                    var result = api.Transmit(card, Protocols.T1, SelectPkcs15, SelectPkcs15.Length, receive, ref length);
                    ExpectResult(PcscResult.ProtocolMismatch, result, "SCardTransmit(T=1 PCI)");
                    Expect(work.Identity.Commands().Count == seen, "the card received the command");
                });

                checks.Check("SCardReconnect (leave, then reset) keeps T=0 and the card answers after it", () =>
                {
                    ExpectResult(PcscResult.Success, api.Reconnect(card, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out var active), "SCardReconnect(leave)");
                    Expect(active == Protocols.T0, "after leave: " + active);
                    ExpectResult(PcscResult.Success, api.Reconnect(card, ShareMode.Shared, Protocols.Any, Disposition.ResetCard, out active), "SCardReconnect(reset)");
                    Expect(active == Protocols.T0, "after reset: " + active);
                    Expect(Hex.Format(Send(api, card, Protocols.T0, SelectPkcs15)) == "90 00", "SELECT after reconnect not 90 00");
                });
            }
            finally
            {
                var disconnected = card;
                checks.Check("SCardDisconnect succeeds; the old handle is refused afterwards", () =>
                {
                    ExpectResult(PcscResult.Success, api.Disconnect(disconnected, Disposition.LeaveCard), "SCardDisconnect");
                    var receive = new byte[258];
                    var length = receive.Length;
                    var after = api.Transmit(disconnected, Protocols.T0, SelectPkcs15, SelectPkcs15.Length, receive, ref length);
                    Expect(after == PcscResult.InvalidHandle || after == PcscResult.Win32InvalidHandle, "SCardTransmit on a closed handle returned " + Describe(after));
                });
            }
        }

        private static void OrganisationCardOnT1(CheckRunner checks, WorkFolder work, IPcscApi api, IntPtr context)
        {
            var card = IntPtr.Zero;
            checks.Check("SCardConnectW T=1 to the organisation card gives T=1", () =>
            {
                ExpectResult(PcscResult.Success, api.Connect(context, WorkFolder.OrganisationReader, ShareMode.Shared, Protocols.T1, out card, out var active), "SCardConnectW");
                Expect(active == Protocols.T1, "active protocol " + active);
            });
            if (card == IntPtr.Zero)
            {
                return;
            }

            try
            {
                checks.Check("T=1 in a transaction: SELECT, SELECT EF, READ BINARY returns the token info with the serial", () =>
                {
                    var seen = work.Organisation.Commands().Count;
                    ExpectResult(PcscResult.Success, api.BeginTransaction(card), "SCardBeginTransaction");
                    Expect(Hex.Format(Send(api, card, Protocols.T1, SelectPkcs15)) == "90 00", "SELECT not 90 00");
                    Expect(Hex.Format(Send(api, card, Protocols.T1, SelectTokenInfo)) == "90 00", "SELECT EF not 90 00");
                    var tokenInfo = Send(api, card, Protocols.T1, ReadTokenInfo);
                    ExpectResult(PcscResult.Success, api.EndTransaction(card, Disposition.LeaveCard), "SCardEndTransaction");
                    Expect(tokenInfo.Length > 2 && tokenInfo[tokenInfo.Length - 2] == 0x90, "READ BINARY answered " + Hex.Format(tokenInfo));
                    var serial = Encoding.ASCII.GetBytes(work.Organisation.State().Serial);
                    Expect(Contains(tokenInfo, serial), "the token info does not hold the serial");
                    var logged = work.Organisation.CommandsSince(seen);
                    Expect(logged.Count == 3 && logged[2].StartsWith(Hex.Format(ReadTokenInfo) + " -> ", StringComparison.Ordinal),
                        "the card logged: " + string.Join(" | ", logged));
                });

                checks.Check("SCardTransmit with the T=0 PCI on a T=1 connection answers ProtocolMismatch", () =>
                {
                    var receive = new byte[258];
                    var length = receive.Length;
                    ExpectResult(PcscResult.ProtocolMismatch, api.Transmit(card, Protocols.T0, SelectPkcs15, SelectPkcs15.Length, receive, ref length), "SCardTransmit(T=0 PCI)");
                });

                checks.Check("SCardControl GET_FEATURE_REQUEST (0x313520) reaches pcsc-lite through winscard; vpcd has no keypad, so discovery says none", () =>
                {
                    var code = api.ControlCode(Engine.Interop.ControlCodes.GetFeatureRequestFunction);
                    Expect(code == 0x00313520u, "SCARD_CTL_CODE(3400) on Windows is " + code.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
                    var seen = work.Organisation.Commands().Count;
                    var receive = new byte[256];
                    var length = receive.Length;
                    var raw = api.Control(card, code, Array.Empty<byte>(), 0, receive, ref length);
                    Expect(raw != PcscResult.Success, "vpcd answered GET_FEATURE_REQUEST with success and " + length + " bytes");
                    Expect(raw != PcscResult.InvalidHandle && raw != PcscResult.Win32InvalidHandle, "SCardControl refused the handle: " + Describe(raw));
                    var pad = Engine.PinPad.PinPadDiscovery.Discover((uint c, byte[] send, byte[] answer, out int answered) =>
                    {
                        answered = answer.Length;
                        return api.Control(card, c, send, send.Length, answer, ref answered);
                    }, code);
                    Expect(pad.Capability == Engine.PinPad.PinPadCapability.None, "discovery says " + pad.Capability);
                    Expect(pad.Note != null && pad.Note.Step == "GET_FEATURE_REQUEST", "discovery note " + pad.Note);
                    Expect(work.Organisation.CommandsSince(seen).Count == 0, "the card received a command");
                });

                checks.Check("SCardConnectW exclusive while another handle holds the card answers SharingViolation", () =>
                {
                    var result = api.Connect(context, WorkFolder.OrganisationReader, ShareMode.Exclusive, Protocols.Any, out var other, out _);
                    if (result == PcscResult.Success)
                    {
                        api.Disconnect(other, Disposition.LeaveCard);
                    }

                    ExpectResult(PcscResult.SharingViolation, result, "SCardConnectW(exclusive)");
                });
            }
            finally
            {
                checks.Check("SCardDisconnect (reset) of the organisation card succeeds", () =>
                    ExpectResult(PcscResult.Success, api.Disconnect(card, Disposition.ResetCard), "SCardDisconnect"));
            }
        }

        /// <summary>
        /// SCardCancel on an idle context succeeds and leaves it usable. Wine's SCardGetStatusChangeW returns at once
        /// instead of waiting, so interrupting a blocked wait cannot be shown here.
        /// </summary>
        private static void Cancel(CheckRunner checks, IPcscApi api, IntPtr context)
        {
            checks.Check("SCardCancel succeeds and the context stays usable", () =>
            {
                ExpectResult(PcscResult.Success, api.Cancel(context), "SCardCancel");
                ExpectResult(PcscResult.Success, api.ListReaders(context, out var readers), "SCardListReadersW after SCardCancel");
                Expect(readers.Count == 2, readers.Count + " readers after SCardCancel");
            });
        }

        private static byte[] Send(IPcscApi api, IntPtr card, Protocols protocol, byte[] command)
        {
            var receive = new byte[258];
            var length = receive.Length;
            ExpectResult(PcscResult.Success, api.Transmit(card, protocol, command, command.Length, receive, ref length), "SCardTransmit " + Hex.Format(command));
            return receive.Take(length).ToArray();
        }

        private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
    }
}
