using System;
using System.Collections.Generic;
using System.Text;

namespace FinCardPin.VirtualCard
{
    /// <summary>The file system: SELECT (by AID, file id or path) and READ BINARY over the MF, EF.DIR and the PKCS#15 application's files.</summary>
    internal sealed partial class VirtualFineidCard
    {
        /// <summary>
        /// SELECT by AID (what FinCardPin sends), by file id under the application, and — for other PKCS#15 software
        /// such as OpenSC, which finds the application through EF.DIR and addresses files by path — the MF (3F00),
        /// EF.DIR (2F00) and the application DF (5015, as on FINEID cards in OpenSC's tables) by path from the MF.
        /// P2 00/04 asks for the file's control parameters (size), 0C for none.
        /// </summary>
        private Answer Select(Apdu apdu)
        {
            if (apdu.P2 != 0x0C && apdu.P2 != 0x00 && apdu.P2 != 0x04)
            {
                return new Answer(SwWrongP1P2);
            }

            if (apdu.P1 == 0x04)
            {
                // Selecting an application ends what was verified in the previous one.
                ClearVerified();
                _selectedFile = null;
                if (!SameBytes(apdu.Data, Pkcs15Aid))
                {
                    return new Answer(SwNotFound);
                }

                _appSelected = true;
                return Selected(apdu, null, ApplicationDf);
            }

            ushort? refusedUnderDf = _state.Faults.SelectUnderDfStatusWordValue;
            if (apdu.P1 == 0x02 && refusedUnderDf.HasValue)
            {
                // A card that selects EFs only by P1 00 (ISO 7816-4 lets a card refuse P1 02 as 6A86, or not find it).
                return new Answer(refusedUnderDf.Value);
            }

            if (apdu.P1 == 0x02 || (apdu.P1 == 0x00 && apdu.Data.Length == 2 && !(apdu.Data[0] == 0x3F && apdu.Data[1] == 0x00)))
            {
                if (apdu.Data.Length != 2)
                {
                    return new Answer(SwWrongLength);
                }

                byte[]? file = _appSelected ? FileOf(apdu.Data[0], apdu.Data[1]) : null;
                if (file == null)
                {
                    return new Answer(SwNotFound);
                }

                _selectedFile = file;
                return Selected(apdu, file, (apdu.Data[0] << 8) | apdu.Data[1]);
            }

            if (apdu.P1 == 0x00 && (apdu.Data.Length == 0 || apdu.Data.Length == 2))
            {
                _appSelected = false;
                _selectedFile = null;
                return Selected(apdu, null, MasterFile);
            }

            if (apdu.P1 == 0x08 || apdu.P1 == 0x09)
            {
                return SelectPath(apdu);
            }

            return new Answer(SwWrongP1P2);
        }

        private const int MasterFile = 0x3F00;
        private const int ApplicationDf = 0x5015;
        private const int DirFile = 0x2F00;

        private Answer SelectPath(Apdu apdu)
        {
            if (apdu.Data.Length == 0 || apdu.Data.Length % 2 != 0)
            {
                return new Answer(SwWrongLength);
            }

            var ids = new List<int>();
            for (int i = 0; i < apdu.Data.Length; i += 2)
            {
                ids.Add((apdu.Data[i] << 8) | apdu.Data[i + 1]);
            }

            // P1 08 is from the MF (which may be named), 09 from the current DF.
            if (ids[0] == MasterFile)
            {
                ids.RemoveAt(0);
            }

            bool inApplication = apdu.P1 == 0x09 && _appSelected;
            byte[]? file = null;
            int last = inApplication ? ApplicationDf : MasterFile;
            foreach (int id in ids)
            {
                if (file != null)
                {
                    return new Answer(SwNotFound);
                }

                if (!inApplication && id == ApplicationDf)
                {
                    inApplication = true;
                }
                else if (!inApplication && id == DirFile)
                {
                    file = DirectoryFile();
                }
                else if (inApplication && (file = FileOf((byte)(id >> 8), (byte)id)) != null)
                {
                }
                else
                {
                    return new Answer(SwNotFound);
                }

                last = id;
            }

            if (inApplication && !_appSelected)
            {
                ClearVerified();
            }

            _appSelected = inApplication;
            _selectedFile = file;
            return Selected(apdu, file, last);
        }

        /// <summary>EF.DIR: one application template naming the PKCS#15 application, its label and its path 3F00 5015.</summary>
        private static byte[] DirectoryFile()
        {
            var template = new List<byte>();
            template.AddRange(VirtualPkcs15.Der(0x4F, new List<byte>(Pkcs15Aid).ToArray()));
            template.AddRange(VirtualPkcs15.Der(0x50, Encoding.ASCII.GetBytes("FINEID")));
            template.AddRange(VirtualPkcs15.Der(0x51, new byte[] { 0x3F, 0x00, 0x50, 0x15 }));
            return VirtualPkcs15.Der(0x61, template.ToArray());
        }

        /// <summary>The answer to a SELECT: with P2 00/04 the file's control parameters (size for an EF), else none.</summary>
        private static Answer Selected(Apdu apdu, byte[]? file, int id)
        {
            if (apdu.P2 == 0x0C)
            {
                return new Answer(SwOk);
            }

            var fcp = new List<byte>();
            if (file != null)
            {
                fcp.AddRange(new byte[] { 0x80, 0x02, (byte)(file.Length >> 8), (byte)file.Length, 0x82, 0x01, 0x01 });
            }
            else
            {
                fcp.AddRange(new byte[] { 0x82, 0x01, 0x38 });
            }

            fcp.AddRange(new byte[] { 0x83, 0x02, (byte)(id >> 8), (byte)id });
            return new Answer(VirtualPkcs15.Der(0x62, fcp.ToArray()), SwOk);
        }

        private Answer ReadBinary(Apdu apdu)
        {
            if ((apdu.P1 & 0x80) != 0)
            {
                return new Answer(SwWrongP1P2);
            }

            if (apdu.Data.Length != 0 || !apdu.HasLe)
            {
                return new Answer(SwWrongLength);
            }

            if (_selectedFile == null)
            {
                return new Answer(SwNoCurrentEf);
            }

            if (_state.Profile == VirtualCardProfile.OrganisationIdemiaCosmoX && apdu.Le > IdemiaMaxRead)
            {
                // DigiDoc4 and libelectronic-id keep reads on this chip at 0xC0 bytes (a reader failed on longer ones):
                // this card refuses them, so software that does not chunk its reads is caught here.
                return new Answer(SwWrongLength);
            }

            int maxLength = _state.Faults.ReadBinaryMaxLength;
            if (maxLength > 0 && apdu.Le > maxLength)
            {
                return new Answer(_state.Faults.ReadBinaryTooLongStatusWord);
            }

            byte[] content = _selectedFile;
            int offset = (apdu.P1 << 8) | apdu.P2;
            if (offset >= content.Length)
            {
                return new Answer(SwWrongOffset);
            }

            int available = Math.Min(256, content.Length - offset);
            if (_state.T0)
            {
                // T=0: P3 is the exact count the card sends; asking past the end is answered with the count it has.
                if (apdu.Le > available)
                {
                    return new Answer((ushort)(0x6C00 | (available & 0xFF)));
                }

                return new Answer(Slice(content, offset, apdu.Le), SwOk);
            }

            if (apdu.Le == 256 || apdu.Le == available)
            {
                return new Answer(Slice(content, offset, available), SwOk);
            }

            return apdu.Le < available
                ? new Answer(Slice(content, offset, apdu.Le), SwOk)
                : new Answer(Slice(content, offset, available), SwEndOfFile);
        }

        /// <summary>EF.TokenInfo of this card (see <see cref="VirtualPkcs15.TokenInfo"/>).</summary>
        internal byte[] TokenInfo() => VirtualPkcs15.TokenInfo(_state);

        /// <summary>The elementary files of the PKCS#15 application, by file id; null when there is no such file.</summary>
        private byte[]? FileOf(byte high, byte low)
        {
            switch ((high << 8) | low)
            {
                case 0x5032:
                    return TokenInfo();
                case 0x5031:
                    return VirtualPkcs15.Odf();
                case 0x4401:
                    return string.IsNullOrEmpty(_state.AodfHex)
                        ? VirtualPkcs15.Aodf(VirtualPkcs15.PinObjectsOf(_state))
                        : FinCardPin.Engine.Apdu.Hex.Parse(_state.AodfHex!);
                default:
                    return null;
            }
        }
    }
}
