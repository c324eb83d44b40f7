using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>The PIN commands: VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER.</summary>
    internal sealed partial class VirtualFineidCard
    {
        // ---- VERIFY ------------------------------------------------------------------------------------------

        /// <summary>
        /// A blocked code answers 6983; an organisation/SOTE PIN that was never activated (never changed, no tries: the
        /// factory state) answers 6984, reference data invalidated, as ReFineID-Apple reports for such a slot.
        /// </summary>
        private ushort BlockedSw(VirtualPinState code) =>
            _state.Family == VirtualCardFamily.Organisation && !code.Changed && !ReferenceEquals(code, _state.ActivationCode)
                ? SwReferenceDataInvalidated
                : SwBlocked;

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

            bool identity = _state.Family == VirtualCardFamily.Identity;
            CodeId id;
            VirtualPinState? code = identity ? IdentityCode(apdu.P2, allowActivationCode: false) : OrganisationCode(apdu.P2, allowActivationCode: true);
            if (code == null || !TryIdentify(apdu.P2, out id))
            {
                // The identity card's activation code (83): its counter is readable only with GET DATA; wrong family's references: 6A88.
                return new Answer(SwReferenceNotFound);
            }

            if (apdu.Data.Length == 0)
            {
                // The probe: spends no try.
                if (code.IsBlocked)
                {
                    return new Answer(BlockedSw(code));
                }

                return IsVerified(id) ? new Answer(SwOk) : new Answer(TriesLeftSw(ReportedTries(code)));
            }

            string? presented;
            if (identity)
            {
                if (apdu.Data.Length != IdentityPaddedLength)
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
                return new Answer(BlockedSw(code));
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

            bool identity = _state.Family == VirtualCardFamily.Identity;
            VirtualPinState? code = identity ? IdentityCode(apdu.P2, allowActivationCode: false) : OrganisationCode(apdu.P2, allowActivationCode: false);
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
            if (identity)
            {
                if (apdu.Data.Length != 2 * IdentityPaddedLength)
                {
                    return new Answer(SwWrongLength);
                }

                current = DecodePadded(apdu.Data, 0);
                next = DecodePadded(apdu.Data, IdentityPaddedLength);
                if (current == null || next == null)
                {
                    return new Answer(SwWrongData);
                }

                if (code.IsBlocked)
                {
                    return new Answer(BlockedSw(code));
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
                    return new Answer(BlockedSw(code));
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

            // CHANGE REFERENCE DATA leaves the code unverified (IAS-ECC v1.0.1 9.4.2; ReFineID relies on it): a VERIFY
            // of the current code before the CHANGE does not survive it either.
            SetVerified(id, false);
            return new Answer(SwOk);
        }

        // ---- RESET RETRY COUNTER -----------------------------------------------------------------------------

        private Answer ResetRetryCounter(Apdu apdu)
        {
            if (!_appSelected)
            {
                return new Answer(SwSecurityNotSatisfied);
            }

            bool identity = _state.Family == VirtualCardFamily.Identity;
            if (apdu.P1 != (identity ? 0x00 : 0x02))
            {
                return new Answer(SwWrongP1P2);
            }

            // P2 is the PIN being unblocked, never the activation code.
            VirtualPinState? code = identity ? IdentityCode(apdu.P2, allowActivationCode: false) : OrganisationCode(apdu.P2, allowActivationCode: false);
            if (code == null || !TryIdentify(apdu.P2, out CodeId id))
            {
                return new Answer(SwReferenceNotFound);
            }

            VirtualPinState activationCode = _state.ActivationCode;
            string? next;
            if (identity)
            {
                // One command: activation code and new PIN, both padded to 12.
                if (apdu.Data.Length != 2 * IdentityPaddedLength)
                {
                    return new Answer(SwWrongLength);
                }

                string? presentedActivationCode = DecodePadded(apdu.Data, 0);
                next = DecodePadded(apdu.Data, IdentityPaddedLength);
                if (presentedActivationCode == null || next == null)
                {
                    return new Answer(SwWrongData);
                }

                if (activationCode.IsBlocked)
                {
                    return new Answer(SwBlocked);
                }

                if (!string.Equals(presentedActivationCode, activationCode.Value, StringComparison.Ordinal))
                {
                    return new Answer(WrongCode(activationCode));
                }

                RightCode(activationCode);
            }
            else
            {
                // Two commands: VERIFY of the activation code (12) first, then this one with only the new PIN.
                if (!_activationCodeVerified)
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
            _activationCodeVerified = false;
            return new Answer(SwOk);
        }
    }
}
