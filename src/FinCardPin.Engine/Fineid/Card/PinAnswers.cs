using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The card's and the keypad reader's answers to PIN commands, decoded: what a status word or a counter object says
    /// about a code. Kept apart from the I/O in <see cref="FineidCard"/> so that each rule reads in one place.
    /// </summary>
    internal static class PinAnswers
    {
        private static readonly StatusWord WrongWithoutCounter = new StatusWord(0x63, 0x00);

        /// <summary>
        /// The answer to GET DATA of an identity card's PIN info container: DF21 the tries left, DF2F 00 "never
        /// changed" (not activated). Null when the answer holds no tries.
        /// </summary>
        public static PinStatusInfo? FromPinInfo(PinCode code, byte[] data)
        {
            var triesField = TlvReader.Find(data, 0xDF21);
            if (triesField == null || triesField.Length == 0)
            {
                return null;
            }

            int tries = triesField[0];
            if (!PinRules.IsPossibleTriesCount(tries, PinRules.MaxTries))
            {
                return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
            }

            var changedField = TlvReader.Find(data, 0xDF2F);
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

        /// <summary>The state an IDEMIA chip's counters tell (maximum 9A, remaining 9B); a count it cannot have is unknown.</summary>
        public static PinStatusInfo FromIdemiaCounters(PinCode code, int maximum, int remaining)
        {
            if (!PinRules.IsPossibleMaximum(maximum))
            {
                return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
            }

            return PinRules.IsPossibleTriesCount(remaining, maximum)
                ? new PinStatusInfo(code, remaining == 0 ? PinState.Blocked : PinState.Ready, remaining, maximum)
                : new PinStatusInfo(code, PinState.Unknown, null, maximum);
        }

        /// <summary>The state an empty VERIFY's answer tells (it spends no try).</summary>
        public static PinStatusInfo FromProbe(PinCode code, StatusWord sw, CardKind kind)
        {
            if (sw.IsTriesLeft)
            {
                return PinRules.IsPossibleTriesCount(sw.TriesLeft, PinRules.MaxTries)
                    ? new PinStatusInfo(code, sw.TriesLeft == 0 ? PinState.Blocked : PinState.Ready, sw.TriesLeft, PinRules.MaxTries)
                    : new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
            }

            if (IsBlockedOrNotActivated(sw, kind, code))
            {
                return new PinStatusInfo(code, PinState.BlockedOrNotActivated, 0, PinRules.MaxTries);
            }

            if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.ReferenceDataInvalidated)
            {
                return new PinStatusInfo(code, PinState.Blocked, 0, PinRules.MaxTries);
            }

            if (sw.IsSuccess)
            {
                // Already verified (on organisation cards a verified code survives a re-SELECT): a right entry resets the
                // counter to its maximum. Cards that tell their counters with GET DATA never get here.
                return new PinStatusInfo(code, PinState.Ready, PinRules.MaxTries, PinRules.MaxTries);
            }

            // 6300 (wrong, no counter) and anything else: the card did not say.
            return new PinStatusInfo(code, PinState.Unknown, null, PinRules.MaxTries);
        }

        /// <summary>
        /// 6984 (reference data invalidated) on an organisation/SOTE card: most code reads it as blocked, but a
        /// never-activated slot answers it too (ReFineID-Apple), so the state must be true for both. An activation code
        /// has no "not activated" state; identity cards tell "never changed" by GET DATA (DF2F).
        /// </summary>
        private static bool IsBlockedOrNotActivated(StatusWord sw, CardKind kind, PinCode code) =>
            sw == StatusWord.ReferenceDataInvalidated && kind == CardKind.OrganisationOrSoteCard && code != PinCode.ActivationCode;

        /// <summary>
        /// What the card's answer to a PIN command means. Throws the unexpected-answer failure for a status word no
        /// card of the profile gives to a PIN command.
        /// </summary>
        public static PinCommandResult Interpret(StatusWord sw, byte instruction, CardOperation operation, PinCode code, CardKind kind, int maxTries, string readerName)
        {
            if (sw.IsSuccess)
            {
                return new PinCommandResult(PinOutcome.Success, null);
            }

            if (sw.IsTriesLeft)
            {
                // A count the card cannot have is no count: the code was wrong, how many tries remain is unknown.
                return new PinCommandResult(PinOutcome.WrongCode, PinRules.IsPossibleTriesCount(sw.TriesLeft, maxTries) ? sw.TriesLeft : (int?)null);
            }

            if (sw == WrongWithoutCounter)
            {
                return new PinCommandResult(PinOutcome.WrongCode, null);
            }

            if (IsBlockedOrNotActivated(sw, kind, code))
            {
                return new PinCommandResult(PinOutcome.BlockedOrNotActivated, 0);
            }

            if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.ReferenceDataInvalidated)
            {
                return new PinCommandResult(PinOutcome.Blocked, 0);
            }

            if (sw == StatusWord.WrongLength || sw == StatusWord.WrongData)
            {
                if (instruction == FineidCommands.Verify)
                {
                    // A VERIFY carries only the code being checked: it is that code's length or form the card refused.
                    return new PinCommandResult(PinOutcome.CheckedCodeRejected, null);
                }

                // DigiDoc4 reads 6A80 after CHANGE/unblock as "the new code equals the current one" too.
                return new PinCommandResult(sw == StatusWord.WrongData ? PinOutcome.NewCodeRejectedOrSame : PinOutcome.NewCodeRejected, null);
            }

            if (sw == StatusWord.ConditionsNotSatisfied && instruction != FineidCommands.Verify)
            {
                // "Same code as now" only where a new code was given (DigiDoc4, libelectronic-id comments). A VERIFY
                // carries no new code: 6985 there is an answer the module does not understand (below).
                return new PinCommandResult(PinOutcome.NewCodeSameAsCurrent, null);
            }

            if (sw == StatusWord.SecurityStatusNotSatisfied)
            {
                return new PinCommandResult(PinOutcome.NotAllowed, null);
            }

            throw CardErrors.UnexpectedAnswer(readerName, sw, operation, code);
        }

        /// <summary>
        /// The reader's own answers (PC/SC Part 10 section 2.5.2; libccid): the card never received a code, so no try
        /// was spent. 6B80 is the reader refusing the block. <paramref name="modify"/>: the plan of a request that asked
        /// several codes (a change or an unblock), whose one length range held for every entry; a wrong length then
        /// names that range, not one code whose own rule may be wider.
        /// </summary>
        public static void ThrowOnReaderAnswer(StatusWord sw, PinCode code, string readerName, PinPad.PinPadPlan? modify = null)
        {
            if (sw.Sw1 == 0x64 && sw.Sw2 <= 0x04)
            {
                string[] ids = { ErrorIds.PinPadTimeout, ErrorIds.PinPadCancelled, ErrorIds.PinPadConfirmationMismatch, ErrorIds.PinPadLengthWrong, ErrorIds.PinPadDisabled };
                FailureKind[] kinds = { FailureKind.OperationTimeout, FailureKind.OperationStopped, FailureKind.InvalidArgument, FailureKind.InvalidArgument, FailureKind.PermissionDenied };
                if (ids[sw.Sw2] == ErrorIds.PinPadLengthWrong && modify != null)
                {
                    throw new FinCardPinException(ErrorIds.PinPadLengthWrong, FailureKind.InvalidArgument, ErrorIds.PinPadLengthWrong + ".EveryEntry") { ReaderName = readerName }
                        .With("min", modify.MinDigits).With("max", modify.MaxDigits).With("sw", sw.ToString());
                }

                throw new FinCardPinException(ids[sw.Sw2], kinds[sw.Sw2]) { ReaderName = readerName }.With("code", code).With("sw", sw.ToString());
            }

            if (sw.Sw1 == 0x6B && sw.Sw2 == 0x80)
            {
                throw new FinCardPinException(ErrorIds.PinPadRequestRejected, FailureKind.DeviceError) { ReaderName = readerName }.With("code", code).With("sw", sw.ToString());
            }
        }
    }
}
