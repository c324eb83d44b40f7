namespace FinCardPin.UnitTests.VirtualCards
{
    // Inside the namespace: "VirtualCard" must find the type before the namespace FinCardPin.VirtualCard.
    using System;
    using System.Globalization;
    using System.IO;
    using System.Linq;
    using System.Text;
    using FinCardPin.VirtualCard;

    /// <summary>APDU text helpers for the virtual card tests (their temp folder is <see cref="TempFolder"/>).</summary>
    internal static class Kit
    {
        public const string SelectApp = "00A4040C0CA000000063504B43532D3135";
        public const string SelectTokenInfo = "00A4020C025032";

        /// <summary>Sends hex text, answers compact upper-case hex ("9000"), or "REMOVED" when the card vanished.</summary>
        public static string Tx(this VirtualFineidCard card, string hex)
        {
            byte[]? answer = card.Transmit(Bytes(hex));
            return answer == null ? "REMOVED" : Convert.ToHexString(answer);
        }

        public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty).Replace(":", string.Empty));

        /// <summary>ASCII digits as hex, unpadded.</summary>
        public static string Ascii(string digits) => Convert.ToHexString(Encoding.ASCII.GetBytes(digits));

        /// <summary>ASCII digits right-padded with 00 to 12 bytes, as hex.</summary>
        public static string Padded(string digits) => Ascii(digits) + string.Concat(Enumerable.Repeat("00", 12 - digits.Length));

        public static string Verify(byte reference, string padded12Hex) => "002000" + reference.ToString("X2", CultureInfo.InvariantCulture) + "0C" + padded12Hex;

        public static string IdentityVerify(byte reference, string pin) => Verify(reference, Padded(pin));

        public static string IdentityChange(byte reference, string current, string next) =>
            "002400" + reference.ToString("X2", CultureInfo.InvariantCulture) + "18" + Padded(current) + Padded(next);

        public static string IdentityUnblock(byte reference, string activationCode, string next) =>
            "002C00" + reference.ToString("X2", CultureInfo.InvariantCulture) + "18" + Padded(activationCode) + Padded(next);

        public static string OrgVerify(byte reference, string pin) =>
            "002000" + reference.ToString("X2", CultureInfo.InvariantCulture) + pin.Length.ToString("X2", CultureInfo.InvariantCulture) + Ascii(pin);

        public static string OrgChange(byte reference, string current, string next) =>
            "002400" + reference.ToString("X2", CultureInfo.InvariantCulture) + (current.Length + next.Length).ToString("X2", CultureInfo.InvariantCulture) + Ascii(current + next);

        public static string OrgUnblock(byte reference, string next) =>
            "002C02" + reference.ToString("X2", CultureInfo.InvariantCulture) + next.Length.ToString("X2", CultureInfo.InvariantCulture) + Ascii(next);

        public static string GetData(byte reference) => "00CB00FF05A0038301" + reference.ToString("X2", CultureInfo.InvariantCulture) + "00";

        public static VirtualCardState Identity() =>
            VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "1234", "123456", "12345678", "1234567890");

        public static VirtualCardState Organisation(VirtualCardVariant variant = VirtualCardVariant.Organisation) =>
            VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, "1234", "123456", "12345678", "9876543210", variant);

        /// <summary>A card with the application already selected.</summary>
        public static VirtualFineidCard Selected(VirtualCardState state, string? path = null, string? log = null)
        {
            var card = new VirtualFineidCard(state, path, log);
            card.PowerOn();
            if (card.Tx(SelectApp) != "9000")
            {
                throw new InvalidOperationException("SELECT failed");
            }

            return card;
        }

        /// <summary>The DF21 (tries) and DF2F (changed) bytes of a GET DATA answer, found by walking the TLVs.</summary>
        public static (int Tries, int Changed) PinInfo(string getDataAnswerHex)
        {
            byte[] a = Bytes(getDataAnswerHex);
            if (a[0] != 0xA0 || a[a.Length - 2] != 0x90)
            {
                throw new InvalidOperationException("Not a PIN info answer: " + getDataAnswerHex);
            }

            int tries = -1;
            int changed = -1;
            int i = 2;
            int end = 2 + a[1];
            while (i < end)
            {
                int tag = a[i];
                i++;
                if ((tag & 0x1F) == 0x1F)
                {
                    tag = (tag << 8) | a[i];
                    i++;
                }

                int len = a[i];
                i++;
                if (tag == 0xDF21)
                {
                    tries = a[i];
                }
                else if (tag == 0xDF2F)
                {
                    changed = a[i];
                }

                i += len;
            }

            return (tries, changed);
        }
    }
}
