using System;
using System.Collections.Generic;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid.Pkcs15;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.PinPad;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The FINEID commands on one connected card: one method per card operation. Buffers that carried a code are
    /// zeroed as soon as the card has answered. Counters are the card's own: a GET DATA that tells the maximum as well
    /// as the tries left (IDEMIA chips) is preferred, and the maximum it tells replaces the built-in 5.
    /// </summary>
    internal sealed class FineidCard
    {
        // A file longer than this is not a FINEID PKCS#15 file; the bound keeps a card that never says "end" from looping.
        private const int MaxFileLength = 0x4000;

        private static readonly StatusWord EndOfFileReached = new StatusWord(0x62, 0x82);
        private static readonly StatusWord FunctionNotSupported = new StatusWord(0x6A, 0x81);
        private static readonly StatusWord WrongOffset = new StatusWord(0x6B, 0x00);
        private static readonly StatusWord WrongP1P2 = new StatusWord(0x6A, 0x86);

        // The shortest READ BINARY offered to a card that asks for shorter ones (6700): each refusal halves the length.
        private const int MinReadLength = 0x10;

        private readonly CardConnection _connection;
        private readonly FineidProfile _profile;
        private readonly Dictionary<PinCode, int> _cardMaxTries = new Dictionary<PinCode, int>();
        private readonly Dictionary<PinCode, byte> _references = new Dictionary<PinCode, byte>();
        private bool _idemiaCountersRefused;

        public FineidCard(CardConnection connection, CardKind kind)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            _profile = FineidProfile.For(kind);
            Kind = kind;

            // A reset by another program drops the selected application; select it again before the command is resent.
            // (A session replaces this with one that also checks the card is still the same.)
            _connection.AfterReset = _ => SelectApplication();
        }

        public CardKind Kind { get; }

        public string ReaderName => _connection.ReaderName;

        public Protocols ActiveProtocol => _connection.ActiveProtocol;

        /// <summary>The longest READ BINARY this card is sent: 0xC0 on the IDEMIA/Oberthur organisation chips, 256 otherwise.</summary>
        public int MaxReadLength => Kind == CardKind.OrganisationOrSoteCard ? FineidCommands.IdemiaMaxRead : CommandApdu.MaxLe;

        /// <summary>Sees every command without a code and its answer (the diagnostics report records them).</summary>
        public Action<CommandApdu, ResponseApdu>? Recorder { get; set; }

        internal FineidProfile Profile => _profile;

        /// <summary>SELECT of the PKCS#15 application: required before any PIN command (Thales v5).</summary>
        public void SelectApplication()
        {
            var response = Query(FineidCommands.SelectApplication());
            if (response.StatusWord == StatusWord.FileNotFound || response.StatusWord == FunctionNotSupported)
            {
                throw CardErrors.NotFineid(ReaderName);
            }

            ExpectSuccess(response, CardOperation.SelectApplication);
        }

        /// <summary>
        /// The serial number from EF.TokenInfo, or null when the card does not give one as FINEID cards hold it (then
        /// <see cref="SerialNote"/> says why). Reads only as far as the serial.
        /// </summary>
        public string? ReadSerial()
        {
            var content = ReadFile(FineidCommands.TokenInfoFileId, TokenInfo.HasSerialField, TokenInfo.EncodedLength);
            SerialNote = content != null && TokenInfo.HasForeignSerial(content)
                ? new CardNote("SerialNotFineid", "max", TokenInfo.MaxSerialLength)
                : null;
            return content == null ? null : TokenInfo.ReadSerial(content);
        }

        /// <summary>
        /// Set by <see cref="ReadSerial"/> when the card's serial field holds something else than a FINEID serial: it
        /// is read as unknown, and its bytes are never turned into text.
        /// </summary>
        public CardNote? SerialNote { get; private set; }

        /// <summary>
        /// Sends one command that carries no code and returns the answer as it is (61xx and 6Cxx already completed).
        /// </summary>
        public ResponseApdu Query(CommandApdu command)
        {
            if (command.IsSensitive)
            {
                throw new ArgumentException("sensitive command: PIN operations only", nameof(command));
            }

            var response = _connection.Transmit(command);
            Recorder?.Invoke(command, response);
            return response;
        }

        /// <summary>
        /// SELECT of an elementary file and READ BINARY in pieces of at most <see cref="MaxReadLength"/> until the file
        /// ends, <paramref name="enough"/> says the prefix read suffices, or the length <paramref name="encodedLength"/>
        /// reads from the prefix (or the size the SELECT answer gave) is reached. Null when the file cannot be selected
        /// or read. None of these commands carries a code, so a card that wants them otherwise is simply asked again.
        /// </summary>
        public byte[]? ReadFile(byte[] fileId, Func<byte[], bool>? enough = null, Func<byte[], int?>? encodedLength = null)
        {
            var selected = Query(FineidCommands.SelectFile(fileId));
            if (selected.StatusWord == WrongP1P2 || selected.StatusWord == StatusWord.FileNotFound)
            {
                // Some cards select an EF only by P1 00 (ISO/IEC 7816-4 lets a card support either form).
                selected = Query(FineidCommands.SelectFileById(fileId));
            }

            if (!selected.StatusWord.IsSuccess)
            {
                return null;
            }

            var size = FileControl.Size(selected.Data);
            var piece = MaxReadLength;
            var content = new List<byte>();
            while (content.Count < MaxFileLength && (!size.HasValue || content.Count < size.Value))
            {
                var ask = size.HasValue ? Math.Min(piece, size.Value - content.Count) : piece;
                var response = Query(FineidCommands.ReadBinary(content.Count, ask));
                var sw = response.StatusWord;
                if (sw == StatusWord.WrongLength && content.Count == 0 && ask > MinReadLength)
                {
                    // The card takes shorter reads than this (6700): halve until it answers (6Cxx the connection
                    // already answered with the length the card named).
                    piece = Math.Max(MinReadLength, ask / 2);
                    continue;
                }

                if (sw == WrongOffset)
                {
                    break; // read exactly to the end on the previous piece
                }

                if (!sw.IsSuccess && sw != EndOfFileReached)
                {
                    return content.Count == 0 ? null : content.ToArray();
                }

                content.AddRange(response.Data);
                var soFar = content.ToArray();
                var total = encodedLength?.Invoke(soFar) ?? size;
                if (total.HasValue && soFar.Length >= total.Value)
                {
                    var exact = new byte[total.Value];
                    Buffer.BlockCopy(soFar, 0, exact, 0, exact.Length);
                    return exact;
                }

                if (sw == EndOfFileReached || response.Data.Length == 0 || (enough != null && enough(soFar)))
                {
                    return soFar;
                }

                if (response.Data.Length < ask)
                {
                    if (!total.HasValue)
                    {
                        return soFar; // a short piece ends a file of unknown size
                    }

                    // The file goes on, so the card gave the length it reads at a time (it answered 6Cxx): keep to it.
                    piece = response.Data.Length;
                }
            }

            return content.ToArray();
        }

        /// <summary>
        /// The card's PIN objects: EF.ODF (5031) names the AODF, whose PIN objects give references, lengths and padding.
        /// Null, with the note that says why, when the card has no such data or the parser does not understand it.
        /// </summary>
        public IReadOnlyList<PinObject>? ReadPinObjects(out CardNote? whyNot)
        {
            var odf = ReadFile(FineidCommands.OdfFileId);
            if (odf == null)
            {
                whyNot = NoCardRules(NoCardRulesReason.OdfUnreadable);
                return null;
            }

            try
            {
                var aodfId = Pkcs15Parser.AodfFileId(odf);
                if (aodfId == null)
                {
                    whyNot = NoCardRules(NoCardRulesReason.NoAodf);
                    return null;
                }

                var aodf = ReadFile(aodfId);
                if (aodf == null)
                {
                    whyNot = NoCardRules(NoCardRulesReason.AodfUnreadable, "file", Hex.Format(aodfId).Replace(" ", string.Empty));
                    return null;
                }

                var objects = Pkcs15Parser.PinObjects(aodf);
                whyNot = objects.Count == 0 ? NoCardRules(NoCardRulesReason.NoPinObjects) : null;
                return objects.Count == 0 ? null : objects;
            }
            catch (FormatException e)
            {
                whyNot = NoCardRules(NoCardRulesReason.NotUnderstood, "detail", e.Message);
                return null;
            }
        }

        private static CardNote NoCardRules(NoCardRulesReason reason, params object?[] facts) => new CardNote("NoCardRules." + reason, facts);

        /// <summary>The tries and state of one code. Spends no try: GET DATA, or a VERIFY without data.</summary>
        public PinStatusInfo ReadStatus(PinCode code)
        {
            var status = ReadStatusFromCard(code);
            _cardMaxTries[code] = status.MaxTries;
            return status;
        }

        private PinStatusInfo ReadStatusFromCard(PinCode code)
        {
            if (_profile.HasPinInfoContainer)
            {
                var fromContainer = ReadPinInfoContainer(code);
                if (fromContainer != null)
                {
                    return fromContainer;
                }

                if (code == PinCode.ActivationCode)
                {
                    // An identity card's activation code counter is readable only with GET DATA, not with an empty VERIFY.
                    return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
                }
            }
            else if (!_idemiaCountersRefused)
            {
                var fromSecurityObject = ReadIdemiaCounter(code);
                if (fromSecurityObject != null)
                {
                    return fromSecurityObject;
                }
            }

            var probe = Query(FineidCommands.Probe(ReferenceOf(code)));
            return PinAnswers.FromProbe(code, probe.StatusWord, Kind);
        }

        /// <summary>VERIFY: checks a code; a wrong one spends a try.</summary>
        public PinCommandResult VerifyCode(PinCode code, CheckedPin value) =>
            SendCode(FineidCommands.Verify, 0x00, code, Encode(value.Value), CardOperation.VerifyCode);

        /// <summary>
        /// CHANGE REFERENCE DATA with the current and the new code in one command. Where codes are sent at their own
        /// length (organisation/SOTE cards) the card can only split current+new at the length of the code it stores:
        /// a current code of another length would shift digits into the new one and leave the card with a code nobody
        /// chose. There the current code is checked with VERIFY first (the same one try at risk as CHANGE itself) and
        /// CHANGE is sent only after it was right, so the split always falls where the holder meant it.
        /// </summary>
        public PinCommandResult ChangeCode(PinCode code, CheckedPin current, CheckedPin next)
        {
            if (!_profile.PadsToTwelve)
            {
                var check = VerifyCode(code, current);
                if (check.Outcome != PinOutcome.Success)
                {
                    return check;
                }
            }

            return SendCode(FineidCommands.ChangeReferenceData, 0x00, code, Encode(current.Value, next.Value), CardOperation.ChangeCode);
        }

        /// <summary>
        /// RESET RETRY COUNTER: the activation code unblocks <paramref name="code"/> and sets it to
        /// <paramref name="next"/>. P2 names the PIN being unblocked, not the activation code. Organisation cards take it in
        /// two commands: VERIFY of the activation code, then the new PIN alone (P1 = 02).
        /// </summary>
        public PinCommandResult UnblockCode(PinCode code, CheckedPin activationCode, CheckedPin next)
        {
            if (!_profile.UnblocksInTwoSteps)
            {
                return SendCode(FineidCommands.ResetRetryCounter, 0x00, code, Encode(activationCode.Value, next.Value), CardOperation.UnblockCode);
            }

            var activationCodeCheck = VerifyCode(PinCode.ActivationCode, activationCode);
            return activationCodeCheck.Outcome == PinOutcome.Success
                ? SendCode(FineidCommands.ResetRetryCounter, 0x02, code, Encode(next.Value), CardOperation.UnblockCode)
                : activationCodeCheck;
        }

        /// <summary>VERIFY with the code typed on the reader's keypad (FEATURE_VERIFY_PIN_DIRECT).</summary>
        public PinCommandResult VerifyOnPinPad(PinCode code, PinPadPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            var apdu = FineidCommands.PinPadTemplate(FineidCommands.Verify, 0x00, ReferenceOf(code), plan.Frame, 1, plan.LcZero);
            var block = PinPadBlocks.Verify(plan.Frame, plan.MinDigits, plan.MaxDigits, plan.LanguageId, apdu);
            plan.Announce?.Invoke(code == PinCode.ActivationCode ? PinPadStep.ActivationCode : PinPadStep.Verify, code, PinPadPlan.KeypadTime(1));
            var sw = _connection.SendToPinPad(plan.Pad.VerifyControlCode!.Value, block, modify: false, PinPadPlan.KeypadTime(1));
            PinAnswers.ThrowOnReaderAnswer(sw, code, ReaderName);
            return Interpret(sw, FineidCommands.Verify, CardOperation.VerifyCode, code);
        }

        /// <summary>
        /// CHANGE REFERENCE DATA on the keypad (identity cards only: the planner refuses the others): the reader asks the
        /// current code, the new one and its confirmation, and fills the 12-byte frames at offsets 0 and 12.
        /// </summary>
        public PinCommandResult ChangeOnPinPad(PinCode code, PinPadPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (!_profile.PadsToTwelve)
            {
                throw new InvalidOperationException(nameof(FineidProfile.PadsToTwelve));
            }

            return Modify(FineidCommands.ChangeReferenceData, 0x00, code, code, plan, askCurrent: true, PinPadStep.Change, CardOperation.ChangeCode);
        }

        /// <summary>
        /// RESET RETRY COUNTER on the keypad. Identity card: one MODIFY, the first prompt being the activation code.
        /// Organisation card: VERIFY of the activation code as a fixed 8-digit frame, then (only after it was right) the
        /// new code alone with P1 = 02, confirmed on the reader (DigiDoc4 unblocks IDEMIA cards the same way).
        /// </summary>
        public PinCommandResult UnblockOnPinPad(PinCode code, PinPadPlan plan)
        {
            if (plan == null)
            {
                throw new ArgumentNullException(nameof(plan));
            }

            if (!_profile.UnblocksInTwoSteps)
            {
                return Modify(FineidCommands.ResetRetryCounter, 0x00, code, PinCode.ActivationCode, plan, askCurrent: true, PinPadStep.Unblock, CardOperation.UnblockCode);
            }

            var activation = plan.ActivationCodePlan ?? throw new InvalidOperationException(nameof(PinPadPlan.ActivationCodePlan));
            activation.LanguageId = plan.LanguageId;
            activation.Announce = plan.Announce;
            var check = VerifyOnPinPad(PinCode.ActivationCode, activation);
            return check.Outcome == PinOutcome.Success
                ? Modify(FineidCommands.ResetRetryCounter, 0x02, code, code, plan, askCurrent: false, PinPadStep.NewCodeTwice, CardOperation.UnblockCode)
                : check;
        }

        private PinCommandResult Modify(byte instruction, byte p1, PinCode code, PinCode checkedCode, PinPadPlan plan, bool askCurrent, PinPadStep step, CardOperation operation)
        {
            if (plan.Pad.ModifyControlCode == null)
            {
                throw new FinCardPinException(ErrorIds.PinPadCannotChange, FailureKind.InvalidOperation) { ReaderName = ReaderName };
            }

            var prompts = askCurrent ? 3 : 2;
            var apdu = FineidCommands.PinPadTemplate(instruction, p1, ReferenceOf(code), plan.Frame, askCurrent ? 2 : 1, plan.LcZero);
            var block = PinPadBlocks.Modify(plan.Frame, askCurrent, plan.MinDigits, plan.MaxDigits, plan.LanguageId, apdu);
            plan.Announce?.Invoke(step, code, PinPadPlan.KeypadTime(prompts));
            var sw = _connection.SendToPinPad(plan.Pad.ModifyControlCode.Value, block, modify: true, PinPadPlan.KeypadTime(prompts));
            PinAnswers.ThrowOnReaderAnswer(sw, checkedCode, ReaderName, plan);
            // A wrong code in a combined command is the checked one's (the activation code in an identity unblock).
            return Interpret(sw, instruction, operation, checkedCode);
        }

        /// <summary>The reference a code is addressed by: the built-in profile's, unless the card showed another (<see cref="UseReference"/>).</summary>
        internal byte ReferenceOf(PinCode code) => _references.TryGetValue(code, out var reference) ? reference : _profile.ReferenceOf(code);

        /// <summary>Addresses <paramref name="code"/> by <paramref name="reference"/> from now on (the card's own PKCS#15 data, confirmed by a probe).</summary>
        internal void UseReference(PinCode code, byte reference) => _references[code] = reference;

        /// <summary>An empty VERIFY to a reference: spends no try; 63Cx or 9000 says the card has a code there.</summary>
        internal StatusWord ProbeReference(byte reference) => Query(FineidCommands.Probe(reference)).StatusWord;

        /// <summary>The maximum tries of a code as the card last told it, or the built-in 5.</summary>
        public int MaxTriesOf(PinCode code) => _cardMaxTries.TryGetValue(code, out var max) ? max : PinRules.MaxTries;

        /// <summary>Sends a command whose data holds codes, and zeroes that data as soon as the card has answered.</summary>
        private PinCommandResult SendCode(byte instruction, byte p1, PinCode code, PinnedBytes data, CardOperation operation)
        {
            using (data)
            {
                var response = _connection.Transmit(FineidCommands.WithCode(instruction, p1, ReferenceOf(code), data.Array));
                return Interpret(response.StatusWord, instruction, operation, code);
            }
        }

        private PinCommandResult Interpret(StatusWord sw, byte instruction, CardOperation operation, PinCode code) =>
            PinAnswers.Interpret(sw, instruction, operation, code, Kind, MaxTriesOf(code), ReaderName);

        private PinStatusInfo? ReadPinInfoContainer(PinCode code)
        {
            var response = Query(FineidCommands.PinInfo(ReferenceOf(code), _connection.ActiveProtocol));
            if (!response.StatusWord.IsSuccess)
            {
                return null;
            }

            return PinAnswers.FromPinInfo(code, response.Data);
        }

        /// <summary>
        /// IDEMIA's answer: 70 { BF 81 ref { A0 { 9A max, 9B remaining, ... } } }. Parsed by tag, never by offset. A card
        /// that refuses the command (one Oberthur Cosmo v7 did: OpenSC issue #2047) is not asked again this session.
        /// </summary>
        private PinStatusInfo? ReadIdemiaCounter(PinCode code)
        {
            var reference = ReferenceOf(code);
            var response = Query(FineidCommands.IdemiaCounter(reference, _connection.ActiveProtocol));
            var counters = response.StatusWord.IsSuccess ? IdemiaCounters.Parse(response.Data, FineidCommands.IdemiaObjectReference(reference)) : null;
            if (counters == null)
            {
                _idemiaCountersRefused = true;
                return null;
            }

            var (maximum, remaining) = counters.Value;
            return PinAnswers.FromIdemiaCounters(code, maximum, remaining);
        }

        private void ExpectSuccess(ResponseApdu response, CardOperation operation)
        {
            if (!response.StatusWord.IsSuccess)
            {
                throw CardErrors.UnexpectedAnswer(ReaderName, response.StatusWord, operation);
            }
        }

        private PinnedBytes Encode(PinBuffer value)
        {
            var data = new PinnedBytes(_profile.EncodedLength(value.Length));
            try
            {
                value.CopyTo(data.Array, 0);
                return data;
            }
            catch
            {
                data.Dispose();
                throw;
            }
        }

        private PinnedBytes Encode(PinBuffer first, PinBuffer second)
        {
            var firstLength = _profile.EncodedLength(first.Length);
            var data = new PinnedBytes(firstLength + _profile.EncodedLength(second.Length));
            try
            {
                first.CopyTo(data.Array, 0);
                second.CopyTo(data.Array, firstLength);
                return data;
            }
            catch
            {
                data.Dispose();
                throw;
            }
        }
    }
}
