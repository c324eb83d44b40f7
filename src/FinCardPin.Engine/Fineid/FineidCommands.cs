using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The read-only commands FinCardPin sends, built in one place so that the card operations and the diagnostics
    /// report send exactly the same bytes. None of them carries a code.
    /// </summary>
    internal static class FineidCommands
    {
        /// <summary>The largest READ BINARY on IDEMIA Cosmo chips: DigiDoc4 and libelectronic-id both keep reads at 0xC0.</summary>
        public const int IdemiaMaxRead = 0xC0;

        public static readonly byte[] TokenInfoFileId = { 0x50, 0x32 };
        public static readonly byte[] OdfFileId = { 0x50, 0x31 };

        /// <summary>SELECT of the PKCS#15 application by AID, no answer data (as libelectronic-id, OpenSC and DigiDoc send it).</summary>
        public static CommandApdu SelectApplication() => new CommandApdu(0x00, 0xA4, 0x04, 0x0C, FineidProfile.Aid);

        /// <summary>SELECT of an elementary file under the selected application, by its file id.</summary>
        public static CommandApdu SelectFile(byte[] fileId) => new CommandApdu(0x00, 0xA4, 0x02, 0x0C, fileId);

        /// <summary>
        /// SELECT of a file by its file id alone (P1 00), for cards that answer P1 02 with 6A86 or 6A82: ISO/IEC 7816-4
        /// lets a card support either.
        /// </summary>
        public static CommandApdu SelectFileById(byte[] fileId) => new CommandApdu(0x00, 0xA4, 0x00, 0x0C, fileId);

        public static CommandApdu ReadBinary(int offset, int length) =>
            new CommandApdu(0x00, 0xB0, (byte)(offset >> 8), (byte)offset, null, length);

        /// <summary>
        /// Identity cards: GET DATA of the PIN info container (DF21 tries, DF2F changed). T=0 takes no Le on a case 4
        /// command: the card answers 61xx and the data comes with GET RESPONSE.
        /// </summary>
        public static CommandApdu PinInfo(byte reference, Protocols protocol) =>
            new CommandApdu(0x00, 0xCB, 0x00, 0xFF, new byte[] { 0xA0, 0x03, 0x83, 0x01, reference }, LeFor(protocol));

        /// <summary>
        /// IDEMIA chips: GET DATA of the PIN's security data object, answering its maximum (9A) and remaining (9B) tries
        /// (the command shape of DigiDoc4-Client, libelectronic-id and OpenSC's esteid2018 driver). The object is named
        /// by the reference without its local/global bit.
        /// </summary>
        public static CommandApdu IdemiaCounter(byte reference, Protocols protocol) =>
            new CommandApdu(0x00, 0xCB, 0x3F, 0xFF,
                new byte[] { 0x4D, 0x08, 0x70, 0x06, 0xBF, 0x81, IdemiaObjectReference(reference), 0x02, 0xA0, 0x80 }, LeFor(protocol));

        /// <summary>An empty VERIFY: the card tells the tries left (63Cx) or that the code is verified (9000); spends no try.</summary>
        public static CommandApdu Probe(byte reference) => new CommandApdu(0x00, 0x20, 0x00, reference);

        public static byte IdemiaObjectReference(byte reference) => (byte)(reference & 0x7F);

        private static int? LeFor(Protocols protocol) => protocol == Protocols.T0 ? null : CommandApdu.MaxLe;
    }
}
