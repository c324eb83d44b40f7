using System;
using System.Globalization;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.UnitTests.Engine;

namespace FinCardPin.UnitTests.Fakes
{
    /// <summary>
    /// The scripted fake set up as an identity card or an organisation card: the reader, the ATR, the SELECT
    /// of the PKCS#15 application and EF.TokenInfo. Each test adds the answers its PIN commands need.
    /// </summary>
    internal static class FakeCards
    {
        public const string Reader = "Fake Reader 0";
        public const string IdentityAtr = "3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00";
        public const string OrganisationAtr = "3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48";
        public const string SelectAid = "00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35";
        public const string SelectTokenInfo = "00 A4 02 0C 02 50 32";
        public const string ReadTokenInfo = "00 B0 00 00 00";

        /// <summary>The SELECT of EF.TokenInfo by its file id alone (P1 00), sent when P1 02 is refused.</summary>
        public const string SelectTokenInfoById = "00 A4 00 0C 02 50 32";
        public const string Serial = "9990001234";
        public const string ReadTokenInfoIdemia = "00 B0 00 00 C0";
        public const string SelectOdf = "00 A4 02 0C 02 50 31";

        /// <summary>The SELECT of EF.ODF by its file id alone (P1 00), which the engine sends when P1 02 is refused.</summary>
        public const string SelectOdfById = "00 A4 00 0C 02 50 31";
        public const string IdemiaGetDataPrefix = "00 CB 3F FF";

        public static ScriptedPcscApi Identity(Protocols protocol = Protocols.T0, string serial = Serial) =>
            Card(IdentityAtr, protocol, serial);

        public static ScriptedPcscApi Organisation(Protocols protocol = Protocols.T1, string serial = Serial) =>
            Card(OrganisationAtr, protocol, serial);

        public static ScriptedPcscApi Card(string atr, Protocols protocol, string serial)
        {
            var api = new ScriptedPcscApi { ConnectProtocol = protocol, ReconnectProtocol = protocol };
            api.WithReader(Reader, Hex.Parse(atr));
            api.On(SelectAid, "90 00");
            api.On(SelectTokenInfo, "90 00");
            api.On(ReadTokenInfo, Hex.Format(TokenInfoTests.Build(Encoding.ASCII.GetBytes(serial))) + " 90 00");
            api.On(ReadTokenInfoIdemia, Hex.Format(TokenInfoTests.Build(Encoding.ASCII.GetBytes(serial))) + " 90 00");

            // By default the fake is a card without PKCS#15 PIN objects and, as an organisation card, one that refuses
            // IDEMIA's counter GET DATA (as a Cosmo v7 did): the built-in profile and the empty-VERIFY probe apply.
            // Tests of the card's own data script these commands themselves.
            api.On(SelectOdf, "6A 82");
            api.On(SelectOdfById, "6A 82");
            api.OnPrefix(IdemiaGetDataPrefix, "6A 88");
            return api;
        }

        /// <summary>GET DATA of the PIN info container: Le 00 under T=1, no Le under T=0.</summary>
        public static string GetData(byte reference, Protocols protocol) =>
            "00 CB 00 FF 05 A0 03 83 01 " + reference.ToString("X2", CultureInfo.InvariantCulture) + (protocol == Protocols.T1 ? " 00" : string.Empty);

        /// <summary>The container as libelectronic-id's mock has it, with this DF21 (tries) and DF2F (changed) and 90 00.</summary>
        public static string PinInfo(byte reference, int tries, bool changed) =>
            "A0 23 83 01 " + reference.ToString("X2", CultureInfo.InvariantCulture)
            + " 8C 04 F0 00 00 00 9C 04 F0 00 00 00 DF 21 04 " + tries.ToString("X2", CultureInfo.InvariantCulture)
            + " FF A5 03 DF 27 02 FF FF DF 28 01 0C DF 2F 01 " + (changed ? "01" : "00") + " 90 00";

        /// <summary>Scripts the identity card's GET DATA for one code; several answers are used in order.</summary>
        public static ScriptedPcscApi OnPinInfo(this ScriptedPcscApi api, byte reference, params (int Tries, bool Changed)[] states)
        {
            return api.On(GetData(reference, api.ConnectProtocol), states.Select(s => PinInfo(reference, s.Tries, s.Changed)).ToArray());
        }

        /// <summary>ASCII digits, right-padded with 00 to 12 bytes, as hex.</summary>
        public static string Padded(string digits) =>
            Hex.Format(Encoding.ASCII.GetBytes(digits).Concat(Enumerable.Repeat((byte)0, 12 - digits.Length)).ToArray());

        public static string Ascii(string digits) => Hex.Format(Encoding.ASCII.GetBytes(digits));

        public static string Lc(int length) => length.ToString("X2", CultureInfo.InvariantCulture);

        /// <summary>Opens a session; the caller disposes both. The fake's record then starts after the opening.</summary>
        public static Opened Open(ScriptedPcscApi api, string? expectedSerial = null, Action<string>? trace = null)
        {
            var context = new PcscContext(api);
            try
            {
                var session = FineidSession.Open(context, Reader, expectedSerial, trace);
                return new Opened(api, context, session);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        internal sealed class Opened : IDisposable
        {
            private readonly int _openingCommands;

            public Opened(ScriptedPcscApi api, PcscContext context, FineidSession session)
            {
                Api = api;
                Context = context;
                Session = session;
                _openingCommands = api.Sent.Count;
            }

            public ScriptedPcscApi Api { get; }

            public PcscContext Context { get; }

            public FineidSession Session { get; }

            public FineidCard Card => Session.Card;

            /// <summary>The commands sent after the session was opened.</summary>
            public string[] SentSinceOpen => Api.Sent.Skip(_openingCommands).ToArray();

            /// <summary>The commands after the opening, without the reads of PKCS#15 data and IDEMIA counters this fake refuses.</summary>
            public string[] PinTrafficSinceOpen => SentSinceOpen
                .Where(hex => hex != SelectOdf && hex != SelectOdfById && !hex.StartsWith(IdemiaGetDataPrefix, StringComparison.Ordinal))
                .ToArray();

            /// <summary>Commands after the opening that carry a code: VERIFY, CHANGE or RESET RETRY COUNTER with data.</summary>
            public string[] PinCommandsSinceOpen => SentSinceOpen
                .Where(hex =>
                {
                    var bytes = Hex.Parse(hex);
                    return bytes.Length > 5 && (bytes[1] == 0x20 || bytes[1] == 0x24 || bytes[1] == 0x2C);
                })
                .ToArray();

            /// <summary>Any RESET RETRY COUNTER or CHANGE (with or without data) after the opening.</summary>
            public string[] ChangeOrUnblockSinceOpen => SentSinceOpen
                .Where(hex => Hex.Parse(hex)[1] == 0x24 || Hex.Parse(hex)[1] == 0x2C)
                .ToArray();

            public void Dispose()
            {
                Session.Dispose();
                Context.Dispose();
            }
        }
    }
}
