using System;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The FINEID commands on one connected card: one method per card operation, each one APDU (two for the
    /// organisation card's unblock). Buffers that carried a code are zeroed as soon as the card has answered.
    /// </summary>
    public sealed class FineidCard
    {
        private const byte Verify = 0x20;
        private const byte ChangeReferenceData = 0x24;
        private const byte ResetRetryCounter = 0x2C;
        private static readonly byte[] TokenInfoFileId = { 0x50, 0x32 };
        private static readonly StatusWord EndOfFileReached = new StatusWord(0x62, 0x82);
        private static readonly StatusWord FunctionNotSupported = new StatusWord(0x6A, 0x81);

        private readonly CardConnection _connection;
        private readonly FineidProfile _profile;

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

        /// <summary>SELECT of the PKCS#15 application: required before any PIN command (Thales v5).</summary>
        public void SelectApplication()
        {
            var response = _connection.Transmit(new CommandApdu(0x00, 0xA4, 0x04, 0x0C, FineidProfile.Aid));
            if (response.StatusWord == StatusWord.FileNotFound || response.StatusWord == FunctionNotSupported)
            {
                throw CardErrors.NotFineid(ReaderName);
            }

            ExpectSuccess(response, "selecting the FINEID application");
        }

        /// <summary>The serial number from EF.TokenInfo, or null when the card does not give it.</summary>
        public string? ReadSerial()
        {
            var select = _connection.Transmit(new CommandApdu(0x00, 0xA4, 0x02, 0x0C, TokenInfoFileId));
            if (!select.StatusWord.IsSuccess)
            {
                return null;
            }

            var read = _connection.Transmit(new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, CommandApdu.MaxLe));
            return read.StatusWord.IsSuccess || read.StatusWord == EndOfFileReached ? TokenInfo.ReadSerial(read.Data) : null;
        }

        /// <summary>The tries and state of one code. Spends no try: GET DATA, or a VERIFY without data.</summary>
        public PinStatusInfo ReadStatus(PinCode code)
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
                    // A citizen card's PUK counter is readable only with GET DATA, not with an empty VERIFY.
                    return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
                }
            }

            var probe = _connection.Transmit(new CommandApdu(0x00, Verify, 0x00, _profile.ReferenceOf(code)));
            return FromProbe(code, probe.StatusWord);
        }

        /// <summary>VERIFY: checks a code; a wrong one spends a try.</summary>
        public PinCommandResult VerifyCode(PinCode code, PinBuffer value) =>
            SendCode(Verify, 0x00, code, Encode(value), "checking the ");

        /// <summary>
        /// CHANGE REFERENCE DATA with the current and the new code in one command. Where codes are sent at their own
        /// length (organisation/SOTE cards) the card can only split current+new at the length of the code it stores:
        /// a current code of another length would shift digits into the new one and leave the card with a code nobody
        /// chose. There the current code is checked with VERIFY first (the same one try at risk as CHANGE itself) and
        /// CHANGE is sent only after it was right, so the split always falls where the holder meant it.
        /// </summary>
        public PinCommandResult ChangeCode(PinCode code, PinBuffer current, PinBuffer next)
        {
            if (!_profile.PadsToTwelve)
            {
                var check = VerifyCode(code, current);
                if (check.Outcome != PinOutcome.Success)
                {
                    return check;
                }
            }

            return SendCode(ChangeReferenceData, 0x00, code, Encode(current, next), "changing the ");
        }

        /// <summary>
        /// RESET RETRY COUNTER: the activation code unblocks <paramref name="code"/> and sets it to
        /// <paramref name="next"/>. P2 names the PIN being unblocked, not the PUK. Organisation cards take it in
        /// two commands: VERIFY of the PUK, then the new PIN alone (P1 = 02).
        /// </summary>
        public PinCommandResult UnblockCode(PinCode code, PinBuffer activationCode, PinBuffer next)
        {
            if (!_profile.UnblocksInTwoSteps)
            {
                return SendCode(ResetRetryCounter, 0x00, code, Encode(activationCode, next), "unblocking the ");
            }

            var pukCheck = VerifyCode(PinCode.ActivationCode, activationCode);
            return pukCheck.Outcome == PinOutcome.Success
                ? SendCode(ResetRetryCounter, 0x02, code, Encode(next), "unblocking the ")
                : pukCheck;
        }

        /// <summary>Sends a command whose data holds codes, and zeroes that data as soon as the card has answered.</summary>
        private PinCommandResult SendCode(byte instruction, byte p1, PinCode code, PinnedBytes data, string operation)
        {
            using (data)
            {
                var response = _connection.Transmit(new CommandApdu(0x00, instruction, p1, _profile.ReferenceOf(code), data.Array, isSensitive: true));
                return Interpret(response.StatusWord, operation + PinRules.DisplayName(code));
            }
        }

        private PinStatusInfo? ReadPinInfoContainer(PinCode code)
        {
            var query = new byte[] { 0xA0, 0x03, 0x83, 0x01, _profile.ReferenceOf(code) };

            // T=0 takes no Le on a case 4 command: the card answers 61xx and the data comes with GET RESPONSE.
            int? le = _connection.ActiveProtocol == Protocols.T0 ? null : CommandApdu.MaxLe;
            var response = _connection.Transmit(new CommandApdu(0x00, 0xCB, 0x00, 0xFF, query, le));
            if (!response.StatusWord.IsSuccess)
            {
                return null;
            }

            var triesField = BerTlv.Find(response.Data, 0xDF21);
            if (triesField == null || triesField.Length == 0)
            {
                return null;
            }

            int tries = triesField[0];
            if (!PinRules.IsPossibleTriesCount(tries))
            {
                return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
            }

            var changedField = BerTlv.Find(response.Data, 0xDF2F);
            var neverChanged = code != PinCode.ActivationCode && changedField != null && changedField.Length > 0 && changedField[0] == 0x00;
            PinState state;
            if (neverChanged)
            {
                state = PinState.NotActivated;
            }
            else
            {
                state = tries == 0 ? PinState.Blocked : PinState.Ready;
            }

            return new PinStatusInfo(code, state, tries, PinRules.MaxTries);
        }

        private static PinStatusInfo FromProbe(PinCode code, StatusWord sw)
        {
            if (sw.IsTriesLeft)
            {
                return PinRules.IsPossibleTriesCount(sw.TriesLeft)
                    ? new PinStatusInfo(code, sw.TriesLeft == 0 ? PinState.Blocked : PinState.Ready, sw.TriesLeft, PinRules.MaxTries)
                    : new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
            }

            if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.ReferenceDataInvalidated)
            {
                return new PinStatusInfo(code, PinState.Blocked, 0, PinRules.MaxTries);
            }

            if (sw.IsSuccess)
            {
                // Already verified in this card session: a right entry resets the counter to the maximum.
                return new PinStatusInfo(code, PinState.Ready, PinRules.MaxTries, PinRules.MaxTries);
            }

            return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
        }

        private PinCommandResult Interpret(StatusWord sw, string operation)
        {
            if (sw.IsSuccess)
            {
                return new PinCommandResult(PinOutcome.Success, null);
            }

            if (sw.IsTriesLeft)
            {
                // A count the card cannot have is no count: the code was wrong, how many tries remain is unknown.
                return new PinCommandResult(PinOutcome.WrongCode, PinRules.IsPossibleTriesCount(sw.TriesLeft) ? sw.TriesLeft : (int?)null);
            }

            if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.ReferenceDataInvalidated)
            {
                return new PinCommandResult(PinOutcome.Blocked, 0);
            }

            if (sw == StatusWord.WrongLength || sw == StatusWord.WrongData)
            {
                return new PinCommandResult(PinOutcome.NewCodeRejected, null);
            }

            if (sw == StatusWord.ConditionsNotSatisfied)
            {
                return new PinCommandResult(PinOutcome.NewCodeSameAsCurrent, null);
            }

            if (sw == StatusWord.SecurityStatusNotSatisfied)
            {
                return new PinCommandResult(PinOutcome.NotAllowed, null);
            }

            throw CardErrors.UnexpectedAnswer(ReaderName, sw, operation);
        }

        private void ExpectSuccess(ResponseApdu response, string operation)
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
