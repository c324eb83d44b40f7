using System;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// How one card family is addressed: PIN references, how codes are encoded, where the tries counter is read, and
    /// how a code is unblocked. The identity card's from libelectronic-id, OpenSC, DigiDoc4 and ReFineID; the
    /// organisation/SOTE column comes from one public source (ReFineID) and has not been checked on a real card
    /// (README, "Which behaviour comes from where").
    /// </summary>
    internal sealed class FineidProfile
    {
        public static readonly byte[] Aid = Hex.Parse("A0 00 00 00 63 50 4B 43 53 2D 31 35");

        public static readonly FineidProfile Identity = new FineidProfile(
            pin1: 0x11, pin2: 0x82, activationCode: 0x83, padToTwelve: true, hasPinInfoContainer: true, unblocksInTwoSteps: false);

        public static readonly FineidProfile OrganisationOrSote = new FineidProfile(
            pin1: 0x03, pin2: 0x04, activationCode: 0x12, padToTwelve: false, hasPinInfoContainer: false, unblocksInTwoSteps: true);

        private readonly byte _pin1;
        private readonly byte _pin2;
        private readonly byte _activationCode;

        private FineidProfile(byte pin1, byte pin2, byte activationCode, bool padToTwelve, bool hasPinInfoContainer, bool unblocksInTwoSteps)
        {
            _pin1 = pin1;
            _pin2 = pin2;
            _activationCode = activationCode;
            PadsToTwelve = padToTwelve;
            HasPinInfoContainer = hasPinInfoContainer;
            UnblocksInTwoSteps = unblocksInTwoSteps;
        }

        /// <summary>Identity cards take ASCII digits right-padded with 00 to 12 bytes; organisation cards unpadded.</summary>
        public bool PadsToTwelve { get; }

        /// <summary>Identity cards tell the tries (and "never changed") through GET DATA; organisation cards only by probe.</summary>
        public bool HasPinInfoContainer { get; }

        /// <summary>Organisation cards: VERIFY the activation code, then RESET RETRY COUNTER with the new PIN only.</summary>
        public bool UnblocksInTwoSteps { get; }

        public static FineidProfile For(CardKind kind)
        {
            switch (kind)
            {
                case CardKind.IdentityCard:
                    return Identity;
                case CardKind.OrganisationOrSoteCard:
                    return OrganisationOrSote;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), "no FINEID profile");
            }
        }

        public byte ReferenceOf(PinCode code)
        {
            switch (code)
            {
                case PinCode.Pin1:
                    return _pin1;
                case PinCode.Pin2:
                    return _pin2;
                case PinCode.ActivationCode:
                    return _activationCode;
                default:
                    throw new ArgumentOutOfRangeException(nameof(code));
            }
        }

        /// <summary>The encoded length of one code in command data.</summary>
        public int EncodedLength(int digits) => PadsToTwelve ? 12 : digits;
    }
}
