using System;
using System.Runtime.Serialization;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// The persistent state of a virtual card, kept in a JSON file. "Verified" flags are session state of
    /// <see cref="VirtualFineidCard"/> and never part of this. The file format (load, atomic save, JSON) is in VirtualCardState.Json.cs.
    /// </summary>
    [DataContract(Name = "VirtualCard", Namespace = "")]
    internal sealed partial class VirtualCardState
    {
        public const int DefaultMaxTries = 5;

        private const long MaxFileLength = 1024 * 1024;

        private VirtualCardProfile _profile = VirtualCardProfile.IdentityThalesV5;
        private VirtualCardVariant _variant = VirtualCardVariant.Organisation;

        public VirtualCardProfile Profile
        {
            get => _profile;
            set => _profile = value;
        }

        public VirtualCardVariant Variant
        {
            get => _variant;
            set => _variant = value;
        }

        public VirtualCardFamily Family => VirtualCardProfiles.FamilyOf(Profile);

        /// <summary>The card's serial number (ASCII digits), written into EF.TokenInfo.</summary>
        [DataMember(Order = 2)]
        public string Serial { get; set; } = "0000000000";

        /// <summary>Behave like a T=0 card: 61xx / GET RESPONSE and 6Cxx for a wrong Le.</summary>
        [DataMember(Order = 3)]
        public bool T0 { get; set; }

        [DataMember(Order = 4)]
        public VirtualCardFaults Faults { get; set; } = new VirtualCardFaults();

        [DataMember(Order = 5)]
        public VirtualPinState Pin1 { get; set; } = new VirtualPinState();

        [DataMember(Order = 6)]
        public VirtualPinState Pin2 { get; set; } = new VirtualPinState();

        [DataMember(Name = "ActivationCode", Order = 7)]
        public VirtualPinState ActivationCode { get; set; } = new VirtualPinState();

        /// <summary>
        /// Card files written until 0.1.0 name the activation code "Puk" (vocabulary: old name, kept): read it, never write it (null is not
        /// emitted). A file with both names keeps "ActivationCode" (see Normalise).
        /// </summary>
        [DataMember(Name = "Puk", Order = 9, EmitDefaultValue = false)] // vocabulary: old name, kept
        private VirtualPinState? OldActivationCode { get; set; }

        /// <summary>
        /// A variant card: the AODF (hex) it serves instead of the one that describes its profile, e.g. one whose PIN
        /// objects name other references or padding than FinCardPin's built-in profile (see <see cref="VirtualPkcs15.Aodf"/>).
        /// </summary>
        [DataMember(Order = 8, EmitDefaultValue = false)]
        public string? AodfHex { get; set; }

        /// <summary>
        /// The token label of EF.TokenInfo; null: "FINEID". A card may be personalised with its holder's name there,
        /// so a test can give one to check that nothing personal leaves the machine.
        /// </summary>
        [DataMember(Order = 10, EmitDefaultValue = false)]
        public string? TokenLabel { get; set; }

        /// <summary>
        /// An organisation-card variant addressed by other PIN references than ReFineID's 03/04 (e.g. "11 95", as the
        /// FINEID specification's sample AODF shows): PIN1's and PIN2's references, in hex; its AODF names them and
        /// 03/04 then answer 6A88. Null: 03 and 04. Issue 20 item 3.
        /// </summary>
        [DataMember(Order = 11, EmitDefaultValue = false)]
        public string? PinReferencesHex { get; set; }

        /// <summary>PIN1's and PIN2's references on an organisation card (<see cref="PinReferencesHex"/>, or 03 and 04).</summary>
        public (byte Pin1, byte Pin2) OrganisationPinReferences
        {
            get
            {
                var parsed = string.IsNullOrEmpty(PinReferencesHex) ? null : FinCardPin.Engine.Apdu.Hex.Parse(PinReferencesHex!);
                return parsed != null && parsed.Length == 2 ? (parsed[0], parsed[1]) : ((byte)0x03, (byte)0x04);
            }
        }

        /// <summary>
        /// A card played back from a FinCardPin diagnostics report (Export-CardDiagnostic): its ATR, files and recorded
        /// answers. Null for a modelled card. Never saved: the report file stays as it was.
        /// </summary>
        public FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport? Replay { get; private set; }

        public byte[] Atr => Replay != null ? FinCardPin.Engine.Apdu.Hex.Parse(Replay.Atr) : VirtualCardProfiles.AtrOf(Profile);

        /// <summary>A card that answers as the card in the report did (see <see cref="Replay"/>).</summary>
        public static VirtualCardState FromDiagnosticReport(FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport report)
        {
            if (report == null)
            {
                throw new ArgumentNullException(nameof(report));
            }

            var kind = report.CardKind;
            return new VirtualCardState
            {
                Replay = report,
                Profile = kind == "IdentityCard" ? VirtualCardProfile.IdentityThalesV5 : VirtualCardProfile.OrganisationIdemiaIdMe,
                T0 = report.Protocol == "T0",
                Serial = "0",
            };
        }

        // Enums as names in the file, so people can read and edit it.
        [DataMember(Name = "Profile", Order = 0)]
        private string ProfileName
        {
            get => _profile.ToString();
            set
            {
                _profile = VirtualCardProfileNames.TryParse(value, out VirtualCardProfile profile)
                    ? profile
                    : throw new SerializationException("Unknown Profile '" + value + "'.");
                _profileRead = true;
            }
        }

        // Set when a file's Profile is read: the serializer makes its objects without a constructor, so a JSON text that
        // has no Profile (another shape altogether) leaves it false.
        private bool _profileRead;

        [DataMember(Name = "Variant", Order = 1)]
        private string VariantName
        {
            get => _variant.ToString();
            set => _variant = ParseEnum<VirtualCardVariant>(value, "Variant");
        }

        /// <summary>
        /// An activated card: both PINs set and changed by the holder, 5 tries each. Length limits: identity
        /// PIN1 4–12, PIN2 6–12 (what the card stores); organisation PIN1 4–8, PIN2 6–8 (SOTE: 4–8).
        /// </summary>
        public static VirtualCardState Activated(VirtualCardProfile profile, string pin1, string pin2, string activationCode,
            string serial, VirtualCardVariant variant = VirtualCardVariant.Organisation)
        {
            RequireDigits(pin1, nameof(pin1));
            RequireDigits(pin2, nameof(pin2));
            RequireDigits(activationCode, nameof(activationCode));
            var state = Blank(profile, serial, variant);
            state.Pin1.Value = pin1;
            state.Pin1.TriesLeft = DefaultMaxTries;
            state.Pin1.Changed = true;
            state.Pin2.Value = pin2;
            state.Pin2.TriesLeft = DefaultMaxTries;
            state.Pin2.Changed = true;
            state.ActivationCode.Value = activationCode;
            state.ActivationCode.TriesLeft = DefaultMaxTries;
            return state;
        }

        /// <summary>
        /// A card issued before 13.1.2026, not yet activated: both PINs blocked (tries 0, never changed); the
        /// 8-digit activation code unblocks them. Activation = RESET RETRY COUNTER once per PIN.
        /// </summary>
        public static VirtualCardState Pre2026Unactivated(VirtualCardProfile profile, string activationCode8Digits,
            string serial, VirtualCardVariant variant = VirtualCardVariant.Organisation)
        {
            RequireDigits(activationCode8Digits, nameof(activationCode8Digits));
            if (activationCode8Digits.Length != 8)
            {
                throw new ArgumentException("The activation code of a pre-2026 card has 8 digits.", nameof(activationCode8Digits));
            }

            var state = Blank(profile, serial, variant);
            state.Pin1.TriesLeft = 0;
            state.Pin2.TriesLeft = 0;
            state.ActivationCode.Value = activationCode8Digits;
            state.ActivationCode.TriesLeft = DefaultMaxTries;
            return state;
        }

        /// <summary>
        /// An identity card issued on or after 13.1.2026 (Thales 2025 revision), not yet activated: PIN1 and PIN2 hold
        /// the code letter's 7-digit code, 5 tries each, never changed; activation = CHANGE with it as the current PIN.
        /// The letter's code cannot unblock: the unblocking reference holds a separately ordered code (dvv.fi;
        /// ReFineID-Apple ActivationScheme.swift after FINEID S4-1 4.6.1-4.6.2), so the letter's code sent to RESET RETRY
        /// COUNTER is a wrong code there and costs a try, as it would on a real card.
        /// </summary>
        /// <param name="unblockingCode">The separately ordered unblocking code; null gives one the letter's holder does not know.</param>
        public static VirtualCardState Unactivated2026(string activationCode7Digits, string serial, string? unblockingCode = null)
        {
            RequireDigits(activationCode7Digits, nameof(activationCode7Digits));
            if (activationCode7Digits.Length != 7)
            {
                throw new ArgumentException("The activation code of a 2026 card has 7 digits.", nameof(activationCode7Digits));
            }

            unblockingCode ??= NotTheLetters(activationCode7Digits);
            RequireDigits(unblockingCode, nameof(unblockingCode));
            if (unblockingCode == activationCode7Digits)
            {
                throw new ArgumentException("The unblocking code of a 2026 card is not the code letter's code.", nameof(unblockingCode));
            }

            var state = Blank(VirtualCardProfile.IdentityThales2025, serial, VirtualCardVariant.Organisation);
            foreach (var code in new[] { state.Pin1, state.Pin2 })
            {
                code.Value = activationCode7Digits;
                code.TriesLeft = DefaultMaxTries;
                code.Changed = false;
            }

            state.ActivationCode.Value = unblockingCode;
            state.ActivationCode.TriesLeft = DefaultMaxTries;
            state.ActivationCode.Changed = false;
            return state;
        }

        // An 8-digit code derived from the letter's (each digit + 5, then a 0): stable across runs, never the letter's.
        private static string NotTheLetters(string letters)
        {
            var digits = new char[letters.Length + 1];
            for (int i = 0; i < letters.Length; i++)
            {
                digits[i] = (char)('0' + ((letters[i] - '0' + 5) % 10));
            }

            digits[letters.Length] = '0';
            return new string(digits);
        }

        public VirtualCardState Clone()
        {
            var copy = (VirtualCardState)MemberwiseClone();
            copy.Faults = Faults.Clone();
            copy.Pin1 = Pin1.Clone();
            copy.Pin2 = Pin2.Clone();
            copy.ActivationCode = ActivationCode.Clone();
            return copy;
        }

        private static VirtualCardState Blank(VirtualCardProfile profile, string serial, VirtualCardVariant variant)
        {
            if (serial == null)
            {
                throw new ArgumentNullException(nameof(serial));
            }

            if (serial.Length == 0 || serial.Length > 64 || !IsDigits(serial))
            {
                throw new ArgumentException("The serial number is 1 to 64 ASCII digits.", nameof(serial));
            }

            var state = new VirtualCardState { Profile = profile, Variant = variant, Serial = serial };
            if (VirtualCardProfiles.FamilyOf(profile) == VirtualCardFamily.Organisation)
            {
                state.Pin1 = VirtualPinState.Create(string.Empty, 0, false, 4, 8);
                state.Pin2 = VirtualPinState.Create(string.Empty, 0, false, variant == VirtualCardVariant.Sote ? 4 : 6, 8);
                state.ActivationCode = VirtualPinState.Create(string.Empty, 0, false, 8, 8);
            }
            else
            {
                state.Pin1 = VirtualPinState.Create(string.Empty, 0, false, 4, 12);
                state.Pin2 = VirtualPinState.Create(string.Empty, 0, false, 6, 12);
                state.ActivationCode = VirtualPinState.Create(string.Empty, 0, false, 7, 12);
            }

            return state;
        }

        private static void RequireDigits(string value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }

            if (value.Length == 0 || value.Length > 12)
            {
                throw new ArgumentException("Expected 1 to 12 digits.", name);
            }

            if (!IsDigits(value))
            {
                throw new ArgumentException("Expected digits only.", name);
            }
        }

        private static bool IsDigits(string value)
        {
            foreach (char c in value)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
