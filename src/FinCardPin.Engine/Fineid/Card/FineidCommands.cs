using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PinPad;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Every command FinCardPin sends to a card, built in one place so that the card operations and the diagnostics
    /// report send exactly the same bytes: the read-only ones, the PIN commands (whose data the caller fills with
    /// codes, marked sensitive) and the templates a keypad reader fills.
    /// </summary>
    internal static class FineidCommands
    {
        /// <summary>VERIFY (ISO/IEC 7816-4 INS 20).</summary>
        public const byte Verify = 0x20;

        /// <summary>CHANGE REFERENCE DATA (INS 24): current and new code in one command.</summary>
        public const byte ChangeReferenceData = 0x24;

        /// <summary>RESET RETRY COUNTER (INS 2C): P2 names the code being unblocked.</summary>
        public const byte ResetRetryCounter = 0x2C;

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
        public static CommandApdu Probe(byte reference) => new CommandApdu(0x00, Verify, 0x00, reference);

        /// <summary>
        /// A PIN command whose <paramref name="data"/> holds codes: marked sensitive, so the connection never resends
        /// it and no trace shows its data.
        /// </summary>
        public static CommandApdu WithCode(byte instruction, byte p1, byte reference, byte[] data) =>
            new CommandApdu(0x00, instruction, p1, reference, data, isSensitive: true);

        /// <summary>
        /// The APDU template a keypad reader fills with the digits typed (PIN_VERIFY/MODIFY_STRUCTURE abData): header,
        /// then for a fixed frame Lc and the pad bytes (twice for a modify with the current code). It holds no code.
        /// </summary>
        public static byte[] PinPadTemplate(byte instruction, byte p1, byte reference, PinPadFrame frame, int frames, bool variableLcZero)
        {
            if (frame.BlockSize == 0)
            {
                return variableLcZero
                    ? new byte[] { 0x00, instruction, p1, reference, 0x00 }
                    : new byte[] { 0x00, instruction, p1, reference };
            }

            var data = frame.BlockSize * frames;
            var apdu = new byte[5 + data];
            apdu[1] = instruction;
            apdu[2] = p1;
            apdu[3] = reference;
            apdu[4] = (byte)data;
            for (var i = 5; i < apdu.Length; i++)
            {
                apdu[i] = frame.Pad;
            }

            return apdu;
        }

        public static byte IdemiaObjectReference(byte reference) => (byte)(reference & 0x7F);

        private static int? LeFor(Protocols protocol) => protocol == Protocols.T0 ? null : CommandApdu.MaxLe;
    }
}
