using System;
using System.Collections.Generic;

namespace FinCardPin.VirtualCard
{
    /// <summary>GET DATA: a PIN's counter and state, in the identity card's shape and in the IDEMIA chips' security object.</summary>
    internal sealed partial class VirtualFineidCard
    {
        private Answer GetData(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            if (_state.Family != VirtualCardFamily.Identity)
            {
                return IdemiaSecurityObject(apdu);
            }

            if (apdu.P1 != 0x00 || apdu.P2 != 0xFF)
            {
                return new Answer(SwWrongP1P2);
            }

            if (apdu.Data.Length == 0)
            {
                return new Answer(SwWrongLength);
            }

            byte[] d = apdu.Data;
            if (d.Length != 5 || d[0] != 0xA0 || d[1] != 0x03 || d[2] != 0x83 || d[3] != 0x01)
            {
                return new Answer(SwWrongData);
            }

            byte reference = d[4];
            VirtualPinState? code = IdentityCode(reference, allowActivationCode: true);
            if (code == null)
            {
                return new Answer(SwReferenceNotFound);
            }

            // The same shape as the libelectronic-id mock answer: A0 23 83 01 <ref> 8C .. 9C .. DF21 DF27 DF28 DF2F.
            var inner = new List<byte> { 0x83, 0x01, reference };
            inner.AddRange(new byte[] { 0x8C, 0x04, 0xF0, 0x00, 0x00, 0x00 });
            inner.AddRange(new byte[] { 0x9C, 0x04, 0xF0, 0x00, 0x00, 0x00 });
            inner.AddRange(new byte[] { 0xDF, 0x21, 0x04, (byte)Math.Max(0, Math.Min(0xFF, ReportedTries(code))), 0xFF, 0xA5, 0x03 });
            inner.AddRange(new byte[] { 0xDF, 0x27, 0x02, 0xFF, 0xFF });
            inner.AddRange(new byte[] { 0xDF, 0x28, 0x01, 0x0C });
            inner.AddRange(new byte[] { 0xDF, 0x2F, 0x01, (byte)(code.Changed ? 0x01 : 0x00) });
            return new Answer(VirtualPkcs15.Der(0xA0, inner.ToArray()), SwOk);
        }

        /// <summary>
        /// GET DATA of a PIN's security object on the IDEMIA chips (ID.me, Cosmo X): 70 { BF 81 ref { A0 { 9A max, 9B
        /// remaining } } }, named by the PIN reference without its local bit (DigiDoc4, libelectronic-id, OpenSC
        /// esteid2018). The Oberthur Cosmo v7 refuses it (one did in OpenSC issue #2047): tries come from the empty VERIFY.
        /// </summary>
        private Answer IdemiaSecurityObject(Apdu apdu)
        {
            if (_state.Profile == VirtualCardProfile.OrganisationOberthurCosmoV7)
            {
                return new Answer(SwReferenceNotFound);
            }

            if (apdu.P1 != 0x3F || apdu.P2 != 0xFF)
            {
                return new Answer(SwWrongP1P2);
            }

            byte[] d = apdu.Data;
            if (d.Length != 10 || d[0] != 0x4D || d[1] != 0x08 || d[2] != 0x70 || d[3] != 0x06 || d[4] != 0xBF || d[5] != 0x81
                || d[7] != 0x02 || d[8] != 0xA0 || d[9] != 0x80)
            {
                return new Answer(SwWrongData);
            }

            if (_state.Faults.IdemiaGlobalGetDataRefused && (d[6] & 0x80) == 0)
            {
                return new Answer(SwReferenceNotFound);
            }

            VirtualPinState? code = OrganisationCode(d[6], allowActivationCode: true);
            if (code == null)
            {
                return new Answer(SwReferenceNotFound);
            }

            var counters = new List<byte>();
            counters.AddRange(new byte[] { 0x9A, 0x01, (byte)Math.Max(0, Math.Min(0xFF, code.MaxTries)) });
            counters.AddRange(new byte[] { 0x9B, 0x01, (byte)Math.Max(0, Math.Min(0xFF, ReportedTries(code))) });
            byte[] securityObject = VirtualPkcs15.Der(0xA0, counters.ToArray());
            var tagged = new List<byte> { 0xBF, 0x81, d[6] };
            tagged.AddRange(Length(securityObject.Length));
            tagged.AddRange(securityObject);
            return new Answer(VirtualPkcs15.Der(0x70, tagged.ToArray()), SwOk);
        }

        private static byte[] Length(int length) => length < 0x80 ? new[] { (byte)length } : new byte[] { 0x81, (byte)length };
    }
}
