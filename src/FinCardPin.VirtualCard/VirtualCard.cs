using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// A virtual FINEID card: takes one command APDU (raw bytes) and returns the raw answer (data + SW1 SW2), or
    /// null when the card vanished. It parses the APDUs itself, independently of the engine. Persistent state
    /// (codes, counters) lives in <see cref="State"/> and, when the card has a state file, is saved after every
    /// change; "verified" flags, the selected application and file, and pending GET RESPONSE data are session state
    /// that power off, reset and SELECT clear. Not thread-safe: the caller serialises access.
    /// </summary>
    public sealed partial class VirtualCard
    {
        /// <summary>The PKCS-15 application of both FINEID families: A0 00 00 00 63 "PKCS-15".</summary>
        public static readonly IReadOnlyList<byte> Pkcs15Aid = Array.AsReadOnly(new byte[]
        {
            0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35,
        });

        private const ushort SwOk = 0x9000;
        private const ushort SwEndOfFile = 0x6282;
        private const ushort SwWrongLength = 0x6700;
        private const ushort SwSecurityNotSatisfied = 0x6982;
        private const ushort SwBlocked = 0x6983;
        private const ushort SwConditionsNotSatisfied = 0x6985;
        private const ushort SwNoCurrentEf = 0x6986;
        private const ushort SwWrongData = 0x6A80;
        private const ushort SwNotFound = 0x6A82;
        private const ushort SwWrongP1P2 = 0x6A86;
        private const ushort SwReferenceNotFound = 0x6A88;
        private const ushort SwWrongOffset = 0x6B00;
        private const ushort SwInsNotSupported = 0x6D00;
        private const ushort SwClaNotSupported = 0x6E00;

        private const int CitizenPaddedLength = 12;
        private const int OrganisationMaxLength = 8;
        private const int IdemiaMaxRead = 0xC0;

        private readonly string? _statePath;
        private readonly ApduLog? _log;
        private VirtualCardState _state;

        // Session state: never saved.
        private bool _appSelected;
        private byte[]? _selectedFile;
        private bool _pin1Verified;
        private bool _pin2Verified;
        private bool _pukVerified;
        private byte[]? _pendingData;
        private ushort _pendingSw;
        private int _faultAnswersGiven;

        /// <param name="state">The card's state; the card changes this object.</param>
        /// <param name="statePath">Where to save after each change (null: keep in memory only).</param>
        /// <param name="logPath">The APDU log to append to (null: no log).</param>
        public VirtualCard(VirtualCardState state, string? statePath = null, string? logPath = null)
        {
            _state = state ?? throw new ArgumentNullException(nameof(state));
            _statePath = statePath;
            _log = string.IsNullOrEmpty(logPath) ? null : new ApduLog(logPath!);
        }

        /// <summary>A card whose state comes from, and is saved to, <paramref name="statePath"/>.</summary>
        public static VirtualCard Load(string statePath, string? logPath = null) =>
            new VirtualCard(VirtualCardState.Load(statePath), statePath, logPath);

        public VirtualCardState State => _state;

        public string? StatePath => _statePath;

        public byte[] Atr => _state.Atr;

        /// <summary>True once the card vanished (a fault, or <see cref="Remove"/>): it answers nothing any more.</summary>
        public bool IsRemoved { get; private set; }

        /// <summary>
        /// Powers the card on: a fresh session, and the state re-read from its file (when it has one and the file
        /// exists) so that changes made by another process or by the test are seen.
        /// </summary>
        public void PowerOn()
        {
            if (_statePath != null && File.Exists(_statePath))
            {
                _state = VirtualCardState.Load(_statePath);
            }

            ClearSession();
            _log?.Comment("power on");
        }

        public void PowerOff()
        {
            ClearSession();
            _log?.Comment("power off");
        }

        /// <summary>A warm reset: the session starts again.</summary>
        public void Reset()
        {
            ClearSession();
            _log?.Comment("reset");
        }

        /// <summary>The card is pulled out of the reader.</summary>
        public void Remove()
        {
            if (IsRemoved)
            {
                return;
            }

            IsRemoved = true;
            ClearSession();
            _log?.Comment("removed");
        }

        /// <summary>Processes one command APDU. Returns the answer (data + SW1 SW2), or null if the card vanished.</summary>
        public byte[]? Transmit(byte[] command) => Transmit(command ?? throw new ArgumentNullException(nameof(command)), command.Length);

        /// <summary>
        /// Processes the first <paramref name="length"/> bytes of <paramref name="command"/>. Returns the answer
        /// (data + SW1 SW2), an empty array when the card keeps silent (a fault: the reader must then wait for ever,
        /// as a real reader does), or null if the card vanished (it then stays removed).
        /// </summary>
        public byte[]? Transmit(byte[] command, int length)
        {
            if (command == null)
            {
                throw new ArgumentNullException(nameof(command));
            }

            if (length < 0 || length > command.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            if (IsRemoved)
            {
                return null;
            }

            if (length >= 2 && _state.Faults.RemoveOnInstructionByte == command[1])
            {
                // Vanish before processing: no state is half changed.
                _log?.Command(command, length, null);
                Remove();
                return null;
            }

            bool hasData = length > 5;
            VirtualCardFaults faults = _state.Faults;
            if (length >= 2 && faults.SilentOnInstructionByte == command[1])
            {
                // Never answers and never executes: what a card that stopped working looks like to the reader.
                _log?.Command(command, length, Array.Empty<byte>());
                return Array.Empty<byte>();
            }

            if (length >= 2 && faults.AnswerInstructionByte == command[1] && (hasData || !faults.AnswerOnlyCommandsWithData)
                && (faults.AnswerTimes <= 0 || _faultAnswersGiven < faults.AnswerTimes))
            {
                // Answer without executing: nothing spent, nothing changed.
                _faultAnswersGiven++;
                byte[] faultAnswer = Sw(faults.AnswerStatusWordValue);
                _log?.Command(command, length, faultAnswer);
                return faultAnswer;
            }

            byte[] response;
            if (faults.AnswerMoreDataForever)
            {
                response = length >= 2 && command[1] == 0xC0 ? new byte[] { 0x00, 0x61, 0x01 } : new byte[] { 0x61, 0x01 };
            }
            else
            {
                // Work on a copy that is wiped afterwards: the command may carry a PIN.
                var copy = new byte[length];
                Buffer.BlockCopy(command, 0, copy, 0, length);
                try
                {
                    response = Process(copy);
                }
                finally
                {
                    Array.Clear(copy, 0, copy.Length);
                }
            }

            if (hasData && faults.LoseAnswerOnInstructionByte == command[1])
            {
                // Executed, and then the answer is lost: the card vanishes instead of answering.
                _log?.Command(command, length, null);
                Remove();
                return null;
            }

            _log?.Command(command, length, response);
            return response;
        }

        private void ClearSession()
        {
            _faultAnswersGiven = 0;
            _appSelected = false;
            _selectedFile = null;
            _recordedAnswers = null;
            _recordedFiles = null;
            ClearVerified();
            _pendingData = null;
        }

        private void ClearVerified()
        {
            _pin1Verified = false;
            _pin2Verified = false;
            _pukVerified = false;
        }

        private byte[] Process(byte[] raw)
        {
            if (raw.Length < 4)
            {
                return Sw(SwWrongLength);
            }

            if (raw[0] != 0x00)
            {
                return Sw(SwClaNotSupported);
            }

            if (!Apdu.TryParse(raw, out Apdu apdu))
            {
                _pendingData = null;
                return Sw(SwWrongLength);
            }

            if (apdu.Ins == 0xC0)
            {
                return GetResponse(apdu);
            }

            _pendingData = null;
            Answer answer = Dispatch(apdu);
            if (answer.Data.Length == 0)
            {
                return Sw(answer.Sw);
            }

            if (_state.T0 && apdu.Ins != 0xB0)
            {
                // A T=0 card cannot send data with a case 4 command: it says how much there is and waits for GET RESPONSE.
                _pendingData = answer.Data;
                _pendingSw = answer.Sw;
                return Sw((ushort)(0x6100 | (answer.Data.Length & 0xFF)));
            }

            if (apdu.HasLe && apdu.Le < answer.Data.Length && apdu.Ins != 0xB0)
            {
                return Sw((ushort)(0x6C00 | (answer.Data.Length & 0xFF)));
            }

            return Concat(answer.Data, answer.Sw);
        }

        private Answer Dispatch(Apdu apdu)
        {
            if (_state.Replay != null)
            {
                return Replayed(apdu);
            }

            if (_state.Family == VirtualCardFamily.Generic)
            {
                return apdu.Ins == 0xA4 ? new Answer(SwNotFound) : new Answer(SwInsNotSupported);
            }

            switch (apdu.Ins)
            {
                case 0xA4:
                    return Select(apdu);
                case 0xB0:
                    return ReadBinary(apdu);
                case 0xCB:
                    return GetData(apdu);
                case 0x20:
                    return Verify(apdu);
                case 0x24:
                    return ChangeReferenceData(apdu);
                case 0x2C:
                    return ResetRetryCounter(apdu);
                default:
                    return new Answer(SwInsNotSupported);
            }
        }

        private byte[] GetResponse(Apdu apdu)
        {
            if (apdu.P1 != 0 || apdu.P2 != 0)
            {
                return Sw(SwWrongP1P2);
            }

            if (apdu.Data.Length != 0 || !apdu.HasLe)
            {
                return Sw(SwWrongLength);
            }

            byte[]? pending = _pendingData;
            if (pending == null)
            {
                return Sw(SwConditionsNotSatisfied);
            }

            if (apdu.Le > pending.Length)
            {
                return Sw((ushort)(0x6C00 | (pending.Length & 0xFF)));
            }

            if (apdu.Le == pending.Length)
            {
                _pendingData = null;
                return Concat(pending, _pendingSw);
            }

            var part = new byte[apdu.Le];
            Buffer.BlockCopy(pending, 0, part, 0, part.Length);
            var rest = new byte[pending.Length - part.Length];
            Buffer.BlockCopy(pending, part.Length, rest, 0, rest.Length);
            _pendingData = rest;
            return Concat(part, (ushort)(0x6100 | (rest.Length & 0xFF)));
        }

        // ---- SELECT, READ BINARY, GET DATA -------------------------------------------------------------------

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

        private Answer GetData(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            if (_state.Family != VirtualCardFamily.Citizen)
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
            VirtualPinState? code = CitizenCode(reference, allowPuk: true);
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

            VirtualPinState? code = OrganisationCode(d[6], allowPuk: true);
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

        // ---- VERIFY ------------------------------------------------------------------------------------------

        private Answer Verify(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            if (apdu.P1 != 0x00)
            {
                return new Answer(SwWrongP1P2);
            }

            bool citizen = _state.Family == VirtualCardFamily.Citizen;
            CodeId id;
            VirtualPinState? code = citizen ? CitizenCode(apdu.P2, allowPuk: false) : OrganisationCode(apdu.P2, allowPuk: true);
            if (code == null || !TryIdentify(apdu.P2, out id))
            {
                // Citizen PUK (83): its counter is readable only with GET DATA; wrong family's references: 6A88.
                return new Answer(SwReferenceNotFound);
            }

            if (apdu.Data.Length == 0)
            {
                // The probe: spends no try.
                if (code.IsBlocked)
                {
                    return new Answer(SwBlocked);
                }

                return IsVerified(id) ? new Answer(SwOk) : new Answer(TriesLeftSw(ReportedTries(code)));
            }

            string? presented;
            if (citizen)
            {
                if (apdu.Data.Length != CitizenPaddedLength)
                {
                    return new Answer(SwWrongLength);
                }

                presented = DecodePadded(apdu.Data, 0);
            }
            else
            {
                if (apdu.Data.Length > OrganisationMaxLength)
                {
                    return new Answer(SwWrongLength);
                }

                presented = DecodeDigits(apdu.Data, 0, apdu.Data.Length);
            }

            if (presented == null)
            {
                return new Answer(SwWrongData);
            }

            if (code.IsBlocked)
            {
                return new Answer(SwBlocked);
            }

            if (!string.Equals(presented, code.Value, StringComparison.Ordinal))
            {
                SetVerified(id, false);
                return new Answer(WrongCode(code));
            }

            RightCode(code);
            SetVerified(id, true);
            return new Answer(SwOk);
        }

        // ---- CHANGE REFERENCE DATA ---------------------------------------------------------------------------

        private Answer ChangeReferenceData(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            if (apdu.P1 != 0x00)
            {
                return new Answer(SwWrongP1P2);
            }

            bool citizen = _state.Family == VirtualCardFamily.Citizen;
            VirtualPinState? code = citizen ? CitizenCode(apdu.P2, allowPuk: false) : OrganisationCode(apdu.P2, allowPuk: false);
            if (code == null || !TryIdentify(apdu.P2, out CodeId id))
            {
                return new Answer(SwReferenceNotFound);
            }

            if (apdu.Data.Length == 0)
            {
                return new Answer(SwWrongLength);
            }

            string? current;
            string? next;
            if (citizen)
            {
                if (apdu.Data.Length != 2 * CitizenPaddedLength)
                {
                    return new Answer(SwWrongLength);
                }

                current = DecodePadded(apdu.Data, 0);
                next = DecodePadded(apdu.Data, CitizenPaddedLength);
                if (current == null || next == null)
                {
                    return new Answer(SwWrongData);
                }

                if (code.IsBlocked)
                {
                    return new Answer(SwBlocked);
                }
            }
            else
            {
                if (apdu.Data.Length > 2 * OrganisationMaxLength)
                {
                    return new Answer(SwWrongLength);
                }

                if (DecodeDigits(apdu.Data, 0, apdu.Data.Length) == null)
                {
                    return new Answer(SwWrongData);
                }

                if (code.IsBlocked)
                {
                    return new Answer(SwBlocked);
                }

                // Our reading of the one source (ReFineID): the current and the new PIN are sent unpadded and
                // concatenated, and the card splits them at the length of the PIN it stores. Not confirmed on a
                // real card. Data no longer than the stored PIN cannot hold a new PIN: wrong length, no try spent.
                int split = code.Value.Length;
                if (apdu.Data.Length <= split)
                {
                    return new Answer(SwWrongLength);
                }

                current = DecodeDigits(apdu.Data, 0, split);
                next = DecodeDigits(apdu.Data, split, apdu.Data.Length - split);
                if (current == null || next == null)
                {
                    return new Answer(SwWrongData);
                }
            }

            if (!string.Equals(current, code.Value, StringComparison.Ordinal))
            {
                SetVerified(id, false);
                return new Answer(WrongCode(code));
            }

            RightCode(code);
            if (next.Length < code.MinLength || next.Length > code.MaxLength)
            {
                return new Answer(SwWrongData);
            }

            if (string.Equals(next, current, StringComparison.Ordinal))
            {
                return new Answer(SwConditionsNotSatisfied);
            }

            code.Value = next;
            code.TriesLeft = code.MaxTries;
            code.Changed = true;
            Save();
            SetVerified(id, true);
            return new Answer(SwOk);
        }

        // ---- RESET RETRY COUNTER -----------------------------------------------------------------------------

        private Answer ResetRetryCounter(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            bool citizen = _state.Family == VirtualCardFamily.Citizen;
            if (apdu.P1 != (citizen ? 0x00 : 0x02))
            {
                return new Answer(SwWrongP1P2);
            }

            // P2 is the PIN being unblocked, never the PUK.
            VirtualPinState? code = citizen ? CitizenCode(apdu.P2, allowPuk: false) : OrganisationCode(apdu.P2, allowPuk: false);
            if (code == null || !TryIdentify(apdu.P2, out CodeId id))
            {
                return new Answer(SwReferenceNotFound);
            }

            VirtualPinState puk = _state.Puk;
            string? next;
            if (citizen)
            {
                // One command: PUK and new PIN, both padded to 12.
                if (apdu.Data.Length != 2 * CitizenPaddedLength)
                {
                    return new Answer(SwWrongLength);
                }

                string? presentedPuk = DecodePadded(apdu.Data, 0);
                next = DecodePadded(apdu.Data, CitizenPaddedLength);
                if (presentedPuk == null || next == null)
                {
                    return new Answer(SwWrongData);
                }

                if (puk.IsBlocked)
                {
                    return new Answer(SwBlocked);
                }

                if (!string.Equals(presentedPuk, puk.Value, StringComparison.Ordinal))
                {
                    return new Answer(WrongCode(puk));
                }

                RightCode(puk);
            }
            else
            {
                // Two commands: VERIFY of the PUK (12) first, then this one with only the new PIN.
                if (!_pukVerified)
                {
                    return new Answer(SwSecurityNotSatisfied);
                }

                if (apdu.Data.Length == 0)
                {
                    return new Answer(SwWrongLength);
                }

                next = DecodeDigits(apdu.Data, 0, apdu.Data.Length);
                if (next == null)
                {
                    return new Answer(SwWrongData);
                }
            }

            if (next.Length < code.MinLength || next.Length > code.MaxLength)
            {
                return new Answer(SwWrongData);
            }

            code.Value = next;
            code.TriesLeft = code.MaxTries;
            code.Changed = true;
            Save();
            SetVerified(id, false);
            _pukVerified = false;
            return new Answer(SwOk);
        }

        // ---- codes and counters ------------------------------------------------------------------------------

        private enum CodeId
        {
            Pin1,
            Pin2,
            Puk,
        }

        private static bool TryIdentify(byte reference, out CodeId id)
        {
            switch (reference)
            {
                case 0x11:
                case 0x03:
                    id = CodeId.Pin1;
                    return true;
                case 0x82:
                case 0x04:
                    id = CodeId.Pin2;
                    return true;
                case 0x83:
                case 0x12:
                    id = CodeId.Puk;
                    return true;
                default:
                    id = CodeId.Pin1;
                    return false;
            }
        }

        private VirtualPinState? CitizenCode(byte reference, bool allowPuk)
        {
            switch (reference)
            {
                case 0x11:
                    return _state.Pin1;
                case 0x82:
                    return _state.Pin2;
                case 0x83:
                    return allowPuk ? _state.Puk : null;
                default:
                    return null;
            }
        }

        private VirtualPinState? OrganisationCode(byte reference, bool allowPuk)
        {
            switch (reference)
            {
                case 0x03:
                    return _state.Pin1;
                case 0x04:
                    return _state.Pin2;
                case 0x12:
                    return allowPuk ? _state.Puk : null;
                default:
                    return null;
            }
        }

        private bool IsVerified(CodeId id) =>
            id == CodeId.Pin1 ? _pin1Verified : id == CodeId.Pin2 ? _pin2Verified : _pukVerified;

        private void SetVerified(CodeId id, bool value)
        {
            switch (id)
            {
                case CodeId.Pin1:
                    _pin1Verified = value;
                    break;
                case CodeId.Pin2:
                    _pin2Verified = value;
                    break;
                default:
                    _pukVerified = value;
                    break;
            }
        }

        /// <summary>A wrong code: one try less (saved); 63Cx with the tries left, 63C0 when it just blocked.</summary>
        private ushort WrongCode(VirtualPinState code)
        {
            code.TriesLeft = Math.Max(0, code.TriesLeft - 1);
            Save();
            return TriesLeftSw(code);
        }

        /// <summary>A right code: the counter is back at its maximum (saved if it changed).</summary>
        private void RightCode(VirtualPinState code)
        {
            if (code.TriesLeft != code.MaxTries)
            {
                code.TriesLeft = code.MaxTries;
                Save();
            }
        }

        private static ushort TriesLeftSw(VirtualPinState code) => TriesLeftSw(code.TriesLeft);

        private static ushort TriesLeftSw(int tries) => (ushort)(0x63C0 | Math.Max(0, Math.Min(15, tries)));

        /// <summary>The count the card tells (GET DATA, probe): the real one, unless a fault makes it report another.</summary>
        private int ReportedTries(VirtualPinState code) => _state.Faults.ReportedTriesLeft ?? code.TriesLeft;

        private void Save()
        {
            if (_statePath != null)
            {
                _state.Save(_statePath);
            }
        }

        // ---- encoding helpers --------------------------------------------------------------------------------

        /// <summary>Citizen encoding: ASCII digits right-padded with 00 to 12 bytes. Null if malformed.</summary>
        private static string? DecodePadded(byte[] data, int offset)
        {
            int digits = 0;
            while (digits < CitizenPaddedLength && data[offset + digits] != 0x00)
            {
                digits++;
            }

            for (int i = digits; i < CitizenPaddedLength; i++)
            {
                if (data[offset + i] != 0x00)
                {
                    return null;
                }
            }

            return digits == 0 ? null : DecodeDigits(data, offset, digits);
        }

        /// <summary>ASCII digits only, at least one. Null otherwise.</summary>
        private static string? DecodeDigits(byte[] data, int offset, int count)
        {
            if (count <= 0)
            {
                return null;
            }

            var chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = data[offset + i];
                if (b < (byte)'0' || b > (byte)'9')
                {
                    return null;
                }

                chars[i] = (char)b;
            }

            return new string(chars);
        }

        private static bool SameBytes(byte[] a, IReadOnlyList<byte> b)
        {
            if (a.Length != b.Count)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] Slice(byte[] source, int offset, int count)
        {
            var result = new byte[count];
            Buffer.BlockCopy(source, offset, result, 0, count);
            return result;
        }

        private static byte[] Sw(ushort sw) => new[] { (byte)(sw >> 8), (byte)sw };

        private static byte[] Concat(byte[] data, ushort sw)
        {
            var result = new byte[data.Length + 2];
            Buffer.BlockCopy(data, 0, result, 0, data.Length);
            result[data.Length] = (byte)(sw >> 8);
            result[data.Length + 1] = (byte)sw;
            return result;
        }

        private readonly struct Answer
        {
            public Answer(ushort sw)
            {
                Data = Array.Empty<byte>();
                Sw = sw;
            }

            public Answer(byte[] data, ushort sw)
            {
                Data = data;
                Sw = sw;
            }

            public byte[] Data { get; }

            public ushort Sw { get; }
        }

        /// <summary>A short command APDU, parsed by the card itself (cases 1–4; no extended length).</summary>
        private readonly struct Apdu
        {
            private Apdu(byte[] raw, byte[] data, bool hasLe, int le)
            {
                Ins = raw[1];
                P1 = raw[2];
                P2 = raw[3];
                Data = data;
                HasLe = hasLe;
                Le = le;
            }

            public byte Ins { get; }

            public byte P1 { get; }

            public byte P2 { get; }

            public byte[] Data { get; }

            public bool HasLe { get; }

            /// <summary>The expected length, 1–256 (a coded 00 is 256); 0 when there is no Le.</summary>
            public int Le { get; }

            public static bool TryParse(byte[] raw, out Apdu apdu)
            {
                apdu = default;
                if (raw.Length < 4)
                {
                    return false;
                }

                if (raw.Length == 4)
                {
                    apdu = new Apdu(raw, Array.Empty<byte>(), false, 0);
                    return true;
                }

                int p3 = raw[4];
                if (raw.Length == 5)
                {
                    // Case 2, P3 = Le (00 = 256).
                    apdu = new Apdu(raw, Array.Empty<byte>(), true, p3 == 0 ? 256 : p3);
                    return true;
                }

                if (p3 == 0)
                {
                    // Extended length: not supported by this card.
                    return false;
                }

                if (raw.Length != 5 + p3 && raw.Length != 6 + p3)
                {
                    return false;
                }

                var data = new byte[p3];
                Buffer.BlockCopy(raw, 5, data, 0, p3);
                bool hasLe = raw.Length == 6 + p3;
                int le = hasLe ? (raw[5 + p3] == 0 ? 256 : raw[5 + p3]) : 0;
                apdu = new Apdu(raw, data, hasLe, le);
                return true;
            }
        }
    }
}
