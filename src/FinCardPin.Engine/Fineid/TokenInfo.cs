using System.Text;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>Reads the card serial number from EF.TokenInfo (PKCS#15: SEQUENCE { version, serialNumber, … }).</summary>
    public static class TokenInfo
    {
        private const int SequenceTag = 0x30;
        private const int OctetStringTag = 0x04;

        /// <summary>The serial as text: printable ASCII as it is, anything else as hex; null if absent.</summary>
        public static string? ReadSerial(byte[] tokenInfo)
        {
            var sequence = BerTlv.Find(tokenInfo, SequenceTag);
            var serial = sequence == null ? null : BerTlv.Find(sequence, OctetStringTag);
            if (serial == null || serial.Length == 0)
            {
                return null;
            }

            foreach (var b in serial)
            {
                if (b < 0x20 || b > 0x7E)
                {
                    return Hex.Format(serial).Replace(" ", string.Empty);
                }
            }

            return Encoding.ASCII.GetString(serial);
        }
    }
}
