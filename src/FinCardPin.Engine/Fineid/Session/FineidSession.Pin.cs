using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PinPad;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// The guarded PIN operations, the only way a code reaches the card (the card itself is the session's own). Each
    /// reads the counter it is about to risk first (that spends nothing), refuses a blocked code, and refuses the last
    /// try unless <c>force</c> is set; only then does it send the code. Each takes the codes as <see cref="CheckedPin"/>,
    /// which only <see cref="CheckedPin.Check"/> makes: the input rules are checked before a session can send anything.
    /// </summary>
    internal sealed partial class FineidSession
    {
        /// <summary>Checks a code. A wrong code is a result, not an error: that is the question asked.</summary>
        public PinCheckResult TestPin(PinCode code, CheckedPin pin, bool force)
        {
            RequireSerialReadFromCard();
            RequireChecked(pin, code, CodeRole.Given, nameof(pin));

            // Organisation/SOTE references and encoding rest on one public source: the card's own data must agree first.
            // Identity cards' are confirmed by several implementations, so their check reads no PKCS#15 data.
            if (Identity.Kind == CardKind.OrganisationOrSoteCard)
            {
                CardRules().CheckLength(ReaderName, code, pin.Value, CodeRole.Given);
            }

            return TestWith(code, force, () => Card.VerifyCode(code, pin));
        }

        /// <summary>
        /// <see cref="TestPin"/> with the code typed on the reader's keypad: the same status read and last-try guard first,
        /// then one keypad request (the plan's announcement just before it).
        /// </summary>
        public PinCheckResult TestPinOnPinPad(PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard();

            // The card's own data must agree with the references first, as on the keyboard path (no code to measure).
            if (Identity.Kind == CardKind.OrganisationOrSoteCard)
            {
                _ = CardRules().Require(ReaderName, code);
            }

            return TestWith(code, force, () => Card.VerifyOnPinPad(code, plan));
        }

        private PinCheckResult TestWith(PinCode code, bool force, Func<PinCommandResult> verify)
        {
            var before = Card.ReadStatus(code);
            if (before.TriesLeft == 0)
            {
                return new PinCheckResult(false, before.State, 0);
            }

            GuardLastTry(before, force);
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
                    throw CardErrors.CheckedCodeRejected(ReaderName, code);
                default:
                    throw Unexpected(code, result);
            }
        }

        /// <summary>Changes a code (or activates a 2026-scheme card, whose current code is the activation code).</summary>
        public void ChangePin(PinCode code, CheckedPin current, CheckedPin next, bool force)
        {
            RequireSerialReadFromCard();
            RequireChecked(current, code, CodeRole.Current, nameof(current));
            RequireChecked(next, code, CodeRole.New, nameof(next));

            var rules = CardRules();
            rules.CheckLength(ReaderName, code, current.Value, CodeRole.Current);
            rules.CheckLength(ReaderName, code, next.Value, CodeRole.New);
            ChangeWith(code, force, () => Card.ChangeCode(code, current, next));
        }

        /// <summary><see cref="ChangePin"/> on the reader's keypad (identity cards: the planner refuses organisation cards).</summary>
        public void ChangePinOnPinPad(PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard();
            _ = CardRules().Require(ReaderName, code);
            ChangeWith(code, force, () => Card.ChangeOnPinPad(code, plan));
        }

        private void ChangeWith(PinCode code, bool force, Func<PinCommandResult> change)
        {
            var before = Card.ReadStatus(code);
            if (before.TriesLeft == 0)
            {
                switch (before.State)
                {
                    case PinState.NotActivated:
                        throw CardErrors.NotActivated(ReaderName, code);
                    case PinState.BlockedOrNotActivated:
                        throw CardErrors.BlockedOrNotActivated(ReaderName, code);
                    default:
                        throw CardErrors.Blocked(ReaderName, code);
                }
            }

            GuardLastTry(before, force);
            var result = change();
            ThrowUnlessSuccess(code, code, result);
        }

        /// <summary>Unblocks a blocked or forgotten code with the activation code and sets a new one.</summary>
        public void UnblockPin(PinCode code, CheckedPin activationCode, CheckedPin next, bool force)
        {
            RequireSerialReadFromCard();
            RequireChecked(activationCode, PinCode.ActivationCode, CodeRole.Given, nameof(activationCode));
            RequireChecked(next, code, CodeRole.New, nameof(next));

            var rules = CardRules();
            rules.CheckLength(ReaderName, PinCode.ActivationCode, activationCode.Value, CodeRole.Given);
            rules.CheckLength(ReaderName, code, next.Value, CodeRole.New);
            UnblockWith(code, force, () => Card.UnblockCode(code, activationCode, next));
        }

        /// <summary><see cref="UnblockPin"/> on the reader's keypad.</summary>
        public void UnblockPinOnPinPad(PinCode code, PinPadPlan plan, bool force)
        {
            RequireSerialReadFromCard();
            // The card's own data must agree with the references first, as on the keyboard path (no code to measure).
            var rules = CardRules();
            _ = rules.Require(ReaderName, PinCode.ActivationCode);
            _ = rules.Require(ReaderName, code);
            UnblockWith(code, force, () => Card.UnblockOnPinPad(code, plan));
        }

        private void UnblockWith(PinCode code, bool force, Func<PinCommandResult> unblock)
        {
            RefusePresetCode(code);
            var activationCodeStatus = Card.ReadStatus(PinCode.ActivationCode);
            if (activationCodeStatus.TriesLeft == 0)
            {
                throw CardErrors.Blocked(ReaderName, PinCode.ActivationCode);
            }

            GuardLastTry(activationCodeStatus, force);
            var result = unblock();
            ThrowUnlessSuccess(code, PinCode.ActivationCode, result);
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
        private void RefusePresetCode(PinCode code)
        {
            if (!Card.Profile.HasPinInfoContainer)
            {
                return; // only the identity card's GET DATA tells "never changed"
            }

            var target = Card.ReadStatus(code);
            if (target.State == PinState.NotActivated && target.TriesLeft > 0)
            {
                throw CardErrors.PresetNotActivated(ReaderName, code);
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
        private void GuardLastTry(PinStatusInfo status, bool force)
        {
            if (force)
            {
                return;
            }

            if (status.IsOnLastTry)
            {
                throw CardErrors.LastTry(ReaderName, status.Code);
            }

            if (status.TriesLeft == null)
            {
                throw CardErrors.TriesUnknown(ReaderName, status.Code);
            }
        }

        private void ThrowUnlessSuccess(PinCode target, PinCode checkedCode, PinCommandResult result)
        {
            switch (result.Outcome)
            {
                case PinOutcome.Success:
                    return;
                case PinOutcome.WrongCode:
                    throw CardErrors.Wrong(ReaderName, checkedCode, result.TriesLeft);
                case PinOutcome.Blocked:
                    throw CardErrors.Blocked(ReaderName, checkedCode);
                case PinOutcome.BlockedOrNotActivated:
                    throw checkedCode == PinCode.ActivationCode
                        ? CardErrors.Blocked(ReaderName, checkedCode)
                        : CardErrors.BlockedOrNotActivated(ReaderName, checkedCode);
                case PinOutcome.NewCodeRejected:
                    throw CardErrors.NewCodeRejected(ReaderName, target, Identity.Kind);
                case PinOutcome.NewCodeRejectedOrSame:
                    throw CardErrors.NewCodeRejectedOrSame(ReaderName, target, Identity.Kind);
                case PinOutcome.CheckedCodeRejected:
                    throw CardErrors.CheckedCodeRejected(ReaderName, checkedCode);
                case PinOutcome.NewCodeSameAsCurrent:
                    throw CardErrors.SameAsCurrent(target);
                default:
                    throw Unexpected(target, result);
            }
        }

        private FinCardPinException Unexpected(PinCode code, PinCommandResult result) =>
            result.Outcome == PinOutcome.NotAllowed
                ? CardErrors.NotAllowed(ReaderName, code)
                : CardErrors.Unanswerable(ReaderName, code, result.Outcome);

        // The card's own serial decides which card a code goes to: a session that took it from anywhere else (a status
        // read's sighting) never carries one.
        private void RequireSerialReadFromCard()
        {
            if (!SerialReadFromCard)
            {
                throw new InvalidOperationException(nameof(SerialReadFromCard));
            }
        }

        // A code checked under another card kind's, code's or entry's rules was not checked for this use.
        private void RequireChecked(CheckedPin pin, PinCode code, CodeRole role, string parameter)
        {
            if (pin == null)
            {
                throw new ArgumentNullException(parameter);
            }

            pin.RequireFor(Identity.Kind, code, role, parameter);
        }
    }
}
