using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PinPad;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The guarded PIN operations. Each reads the counter it is about to risk first (that spends nothing), refuses
    /// a blocked code, and refuses the last try unless <c>force</c> is set; only then does it send the code.
    /// Input rules are the caller's to check before opening the session (see <see cref="PinRules"/>).
    /// </summary>
    public static class PinOperations
    {
        /// <summary>Checks a code. A wrong code is a result, not an error: that is the question asked.</summary>
        public static PinCheckResult Test(FineidSession session, PinCode code, PinBuffer pin, bool force)
        {
            RequireSerialReadFromCard(session);

            // Organisation/SOTE references and encoding rest on one public source: the card's own data must agree first.
            // Identity cards' are confirmed by several implementations, so their check reads no PKCS#15 data.
            if (session.Identity.Kind == CardKind.OrganisationOrSoteCard)
            {
                session.CardRules().CheckLength(session.ReaderName, code, pin, CodeRole.Given);
            }

            return TestWith(session, code, force, () => session.Card.VerifyCode(code, pin));
        }

        /// <summary>
        /// <see cref="Test"/> with the code typed on the reader's keypad: the same status read and last-try guard first,
        /// then one keypad request (the plan's announcement just before it).
        /// </summary>
        public static PinCheckResult TestOnPinPad(FineidSession session, PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard(session);

            // The card's own data must agree with the references first, as on the keyboard path (no code to measure).
            if (session.Identity.Kind == CardKind.OrganisationOrSoteCard)
            {
                session.CardRules().LengthOf(session.ReaderName, code, CodeRole.Given);
            }

            return TestWith(session, code, force, () => session.Card.VerifyOnPinPad(code, plan));
        }

        private static PinCheckResult TestWith(FineidSession session, PinCode code, bool force, Func<PinCommandResult> verify)
        {
            var before = session.Card.ReadStatus(code);
            if (before.TriesLeft == 0)
            {
                return new PinCheckResult(false, before.State, 0);
            }

            GuardLastTry(session, before, force);
            var result = verify();
            switch (result.Outcome)
            {
                case PinOutcome.Success:
                    return new PinCheckResult(true, before.State == PinState.NotActivated ? PinState.NotActivated : PinState.Ready, before.MaxTries);
                case PinOutcome.WrongCode:
                    return new PinCheckResult(false, StateAfterWrongEntry(before.State, result.TriesLeft), result.TriesLeft);
                case PinOutcome.Blocked:
                    return new PinCheckResult(false, PinState.Blocked, 0);
                case PinOutcome.BlockedOrNotActivated:
                    return new PinCheckResult(false, PinState.BlockedOrNotActivated, 0);
                case PinOutcome.CheckedCodeRejected:
                    throw CardErrors.CheckedCodeRejected(session.ReaderName, code);
                default:
                    throw Unexpected(session, code, result);
            }
        }

        /// <summary>Changes a code (or activates a 2026-scheme card, whose current code is the activation code).</summary>
        public static void Change(FineidSession session, PinCode code, PinBuffer current, PinBuffer next, bool force)
        {
            RequireSerialReadFromCard(session);

            var rules = session.CardRules();
            rules.CheckLength(session.ReaderName, code, current, CodeRole.Current);
            rules.CheckLength(session.ReaderName, code, next, CodeRole.New);
            ChangeWith(session, code, force, () => session.Card.ChangeCode(code, current, next));
        }

        /// <summary><see cref="Change"/> on the reader's keypad (identity cards: the planner refuses organisation cards).</summary>
        public static void ChangeOnPinPad(FineidSession session, PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard(session);
            session.CardRules().LengthOf(session.ReaderName, code, CodeRole.Current);
            ChangeWith(session, code, force, () => session.Card.ChangeOnPinPad(code, plan));
        }

        private static void ChangeWith(FineidSession session, PinCode code, bool force, Func<PinCommandResult> change)
        {
            var before = session.Card.ReadStatus(code);
            if (before.TriesLeft == 0)
            {
                switch (before.State)
                {
                    case PinState.NotActivated:
                        throw CardErrors.NotActivated(session.ReaderName, code);
                    case PinState.BlockedOrNotActivated:
                        throw CardErrors.BlockedOrNotActivated(session.ReaderName, code);
                    default:
                        throw CardErrors.Blocked(session.ReaderName, code);
                }
            }

            GuardLastTry(session, before, force);
            var result = change();
            ThrowUnlessSuccess(session, code, code, result);
        }

        /// <summary>Unblocks a blocked or forgotten code with the activation code and sets a new one.</summary>
        public static void Unblock(FineidSession session, PinCode code, PinBuffer activationCode, PinBuffer next, bool force)
        {
            RequireSerialReadFromCard(session);

            var rules = session.CardRules();
            rules.CheckLength(session.ReaderName, PinCode.ActivationCode, activationCode, CodeRole.Given);
            rules.CheckLength(session.ReaderName, code, next, CodeRole.New);
            UnblockWith(session, code, force, () => session.Card.UnblockCode(code, activationCode, next));
        }

        /// <summary><see cref="Unblock"/> on the reader's keypad.</summary>
        public static void UnblockOnPinPad(FineidSession session, PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard(session);
            var rules = session.CardRules();
            rules.LengthOf(session.ReaderName, PinCode.ActivationCode, CodeRole.Given);
            rules.LengthOf(session.ReaderName, code, CodeRole.New);
            UnblockWith(session, code, force, () => session.Card.UnblockOnPinPad(code, plan));
        }

        private static void UnblockWith(FineidSession session, PinCode code, bool force, Func<PinCommandResult> unblock)
        {
            RefusePresetCode(session, code);
            var activationCodeStatus = session.Card.ReadStatus(PinCode.ActivationCode);
            if (activationCodeStatus.TriesLeft == 0)
            {
                throw CardErrors.Blocked(session.ReaderName, PinCode.ActivationCode);
            }

            GuardLastTry(session, activationCodeStatus, force);
            var result = unblock();
            ThrowUnlessSuccess(session, code, PinCode.ActivationCode, result);
        }

        /// <summary>
        /// On identity cards issued from 13.1.2026 the code letter's 7-digit code is the preset value of PIN1 and PIN2,
        /// activated by changing it (CHANGE REFERENCE DATA with it as the current code); it cannot unblock, and
        /// unblocking needs a separately ordered code (dvv.fi; ReFineID-Apple ActivationScheme.swift after FINEID S4-1
        /// 4.6.1-4.6.2; refineid-unix dvv-terminology.md). A holder following an older letter would send it as the
        /// unblocking code and lose one of that code's tries. So a code the card reports as never changed (DF2F = 00)
        /// with tries left is refused here, before any code goes out. Cards issued earlier ship their codes blocked
        /// (0 tries), which still goes on to the unblock. Not every 7-digit code is refused: the separately ordered
        /// code's length differs between sources (7-8, 8-12).
        /// </summary>
        private static void RefusePresetCode(FineidSession session, PinCode code)
        {
            if (!session.Card.Profile.HasPinInfoContainer)
            {
                return; // only the identity card's GET DATA tells "never changed"
            }

            var target = session.Card.ReadStatus(code);
            if (target.State == PinState.NotActivated && target.TriesLeft > 0)
            {
                throw CardErrors.PresetNotActivated(session.ReaderName, code);
            }
        }

        // After a wrong entry the card's answer decides: 0 tries is blocked; no believable count is unknown, never Ready.
        private static PinState StateAfterWrongEntry(PinState before, int? triesLeft)
        {
            if (triesLeft == 0)
            {
                return before == PinState.BlockedOrNotActivated ? before : PinState.Blocked;
            }

            return triesLeft.HasValue ? before : PinState.Unknown;
        }

        // A counter the card does not report could be at its last try too: that is refused the same way.
        private static void GuardLastTry(FineidSession session, PinStatusInfo status, bool force)
        {
            if (force)
            {
                return;
            }

            if (status.IsOnLastTry)
            {
                throw CardErrors.LastTry(session.ReaderName, status.Code);
            }

            if (status.TriesLeft == null)
            {
                throw CardErrors.TriesUnknown(session.ReaderName, status.Code);
            }
        }

        private static void ThrowUnlessSuccess(FineidSession session, PinCode target, PinCode checkedCode, PinCommandResult result)
        {
            switch (result.Outcome)
            {
                case PinOutcome.Success:
                    return;
                case PinOutcome.WrongCode:
                    throw CardErrors.Wrong(session.ReaderName, checkedCode, result.TriesLeft);
                case PinOutcome.Blocked:
                    throw CardErrors.Blocked(session.ReaderName, checkedCode);
                case PinOutcome.BlockedOrNotActivated:
                    throw checkedCode == PinCode.ActivationCode
                        ? CardErrors.Blocked(session.ReaderName, checkedCode)
                        : CardErrors.BlockedOrNotActivated(session.ReaderName, checkedCode);
                case PinOutcome.NewCodeRejected:
                    throw CardErrors.NewCodeRejected(session.ReaderName, target, session.Identity.Kind);
                case PinOutcome.NewCodeRejectedOrSame:
                    throw CardErrors.NewCodeRejectedOrSame(session.ReaderName, target, session.Identity.Kind);
                case PinOutcome.CheckedCodeRejected:
                    throw CardErrors.CheckedCodeRejected(session.ReaderName, checkedCode);
                case PinOutcome.NewCodeSameAsCurrent:
                    throw CardErrors.SameAsCurrent(target);
                default:
                    throw Unexpected(session, target, result);
            }
        }

        private static FinCardPinException Unexpected(FineidSession session, PinCode code, PinCommandResult result) =>
            result.Outcome == PinOutcome.NotAllowed
                ? CardErrors.NotAllowed(session.ReaderName, code)
                : CardErrors.Unanswerable(session.ReaderName, code, result.Outcome);

        // The card's own serial decides which card a code goes to: a session that took it from anywhere else (a status
        // read's sighting) never carries one.
        private static void RequireSerialReadFromCard(FineidSession session)
        {
            if (session == null)
            {
                throw new ArgumentNullException(nameof(session));
            }

            if (!session.SerialReadFromCard)
            {
                throw new InvalidOperationException(nameof(FineidSession.SerialReadFromCard));
            }
        }
    }
}
