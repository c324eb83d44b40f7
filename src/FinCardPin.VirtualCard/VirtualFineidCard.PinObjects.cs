using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>The PIN objects: which reference names which code, what the session has verified, and how tries are spent and saved.</summary>
    internal sealed partial class VirtualFineidCard
    {
        private enum CodeId
        {
            Pin1,
            Pin2,
            ActivationCode,
        }

        private bool TryIdentify(byte reference, out CodeId id)
        {
            if (_state.Family == VirtualCardFamily.Organisation && !string.IsNullOrEmpty(_state.PinReferencesHex))
            {
                var references = _state.OrganisationPinReferences;
                id = reference == references.Pin1 ? CodeId.Pin1 : reference == references.Pin2 ? CodeId.Pin2 : CodeId.ActivationCode;
                return reference == references.Pin1 || reference == references.Pin2 || reference == 0x12;
            }

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
                    id = CodeId.ActivationCode;
                    return true;
                default:
                    id = CodeId.Pin1;
                    return false;
            }
        }

        private VirtualPinState? IdentityCode(byte reference, bool allowActivationCode)
        {
            switch (reference)
            {
                case 0x11:
                    return _state.Pin1;
                case 0x82:
                    return _state.Pin2;
                case 0x83:
                    return allowActivationCode ? _state.ActivationCode : null;
                default:
                    return null;
            }
        }

        private VirtualPinState? OrganisationCode(byte reference, bool allowActivationCode)
        {
            if (!string.IsNullOrEmpty(_state.PinReferencesHex))
            {
                var references = _state.OrganisationPinReferences;
                if (reference == references.Pin1)
                {
                    return _state.Pin1;
                }

                if (reference == references.Pin2)
                {
                    return _state.Pin2;
                }

                return reference == 0x12 && allowActivationCode ? _state.ActivationCode : null;
            }

            switch (reference)
            {
                case 0x03:
                    return _state.Pin1;
                case 0x04:
                    return _state.Pin2;
                case 0x12:
                    return allowActivationCode ? _state.ActivationCode : null;
                default:
                    return null;
            }
        }

        private bool IsVerified(CodeId id) =>
            id == CodeId.Pin1 ? _pin1Verified : id == CodeId.Pin2 ? _pin2Verified : _activationCodeVerified;

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
                    _activationCodeVerified = value;
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
    }
}
