using System;
using System.Globalization;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// One code (PIN1, PIN2 or PUK) of a virtual card. This is a test card: the value is stored in clear.
    /// </summary>
    [DataContract(Name = "Code", Namespace = "")]
    public sealed class VirtualPinState
    {
        /// <summary>The code's digits ("" for a PIN that has never been set, e.g. on a pre-2026 unactivated card).</summary>
        [DataMember(Order = 0)]
        public string Value { get; set; } = string.Empty;

        [DataMember(Order = 1)]
        public int TriesLeft { get; set; }

        [DataMember(Order = 2)]
        public int MaxTries { get; set; } = VirtualCardState.DefaultMaxTries;

        /// <summary>DF2F of the citizen card's PIN container: false = never changed (not activated / must change).</summary>
        [DataMember(Order = 3)]
        public bool Changed { get; set; }

        /// <summary>The shortest new value the card accepts in CHANGE / RESET RETRY COUNTER.</summary>
        [DataMember(Order = 4)]
        public int MinLength { get; set; }

        /// <summary>The longest new value the card accepts in CHANGE / RESET RETRY COUNTER.</summary>
        [DataMember(Order = 5)]
        public int MaxLength { get; set; }

        public bool IsBlocked => TriesLeft <= 0;

        public VirtualPinState Clone() => (VirtualPinState)MemberwiseClone();

        internal static VirtualPinState Create(string value, int triesLeft, bool changed, int minLength, int maxLength) =>
            new VirtualPinState
            {
                Value = value,
                TriesLeft = triesLeft,
                MaxTries = VirtualCardState.DefaultMaxTries,
                Changed = changed,
                MinLength = minLength,
                MaxLength = maxLength,
            };
    }

    /// <summary>Faults a test can ask the card to show.</summary>
    [DataContract(Name = "Faults", Namespace = "")]
    public sealed class VirtualCardFaults
    {
        /// <summary>
        /// Hex INS (e.g. "24"): when a command with this INS arrives, the card vanishes BEFORE processing it, so no
        /// state is half changed. Null or empty = never. The fault stays in the state file: a re-inserted card
        /// vanishes again on the same INS until the test clears it.
        /// </summary>
        [DataMember(Order = 0, EmitDefaultValue = false)]
        public string? RemoveOnInstruction { get; set; }

        /// <summary>Every answer is <c>61 01</c> and every GET RESPONSE one byte + <c>61 01</c>, for ever.</summary>
        [DataMember(Order = 1)]
        public bool AnswerMoreDataForever { get; set; }

        /// <summary>
        /// Hex INS (e.g. "20"): a command with this INS is answered with <see cref="AnswerStatusWord"/> WITHOUT being
        /// executed (no try spent, nothing changed) — a card that asks for a resend (6Cxx), or answers nonsense.
        /// </summary>
        [DataMember(Order = 2, EmitDefaultValue = false)]
        public string? AnswerInstruction { get; set; }

        /// <summary>Hex SW1 SW2 (e.g. "6C0C") of <see cref="AnswerInstruction"/>.</summary>
        [DataMember(Order = 3, EmitDefaultValue = false)]
        public string? AnswerStatusWord { get; set; }

        /// <summary>Only commands with data (those that carry a code) get the fault answer; an empty VERIFY does not.</summary>
        [DataMember(Order = 4, EmitDefaultValue = false)]
        public bool AnswerOnlyCommandsWithData { get; set; }

        /// <summary>How many commands (per power-on) get the fault answer before the card behaves again; 0 = all of them.</summary>
        [DataMember(Order = 5, EmitDefaultValue = false)]
        public int AnswerTimes { get; set; }

        /// <summary>
        /// Hex INS: a command with this INS that carries data is EXECUTED (a try spent, a code changed) and then the card
        /// vanishes without answering — the answer is lost on the way.
        /// </summary>
        [DataMember(Order = 6, EmitDefaultValue = false)]
        public string? LoseAnswerOnInstruction { get; set; }

        /// <summary>
        /// A tries count the card reports instead of the real one, in GET DATA (DF21) and in the empty VERIFY's 63Cx
        /// (there at most 15): e.g. 9, a count no FINEID code can have.
        /// </summary>
        [DataMember(Order = 7, EmitDefaultValue = false)]
        public int? ReportedTriesLeft { get; set; }

        /// <summary>
        /// Hex INS: the card never answers a command with this INS (and does not execute it); the reader waits until the
        /// card is removed. A card that stopped answering in the middle of an operation.
        /// </summary>
        [DataMember(Order = 8, EmitDefaultValue = false)]
        public string? SilentOnInstruction { get; set; }

        public VirtualCardFaults Clone() => (VirtualCardFaults)MemberwiseClone();

        internal byte? SilentOnInstructionByte => HexByte(SilentOnInstruction, nameof(SilentOnInstruction));

        /// <summary>The INS of <see cref="RemoveOnInstruction"/>, or null when unset.</summary>
        internal byte? RemoveOnInstructionByte => HexByte(RemoveOnInstruction, nameof(RemoveOnInstruction));

        internal byte? AnswerInstructionByte => HexByte(AnswerInstruction, nameof(AnswerInstruction));

        internal byte? LoseAnswerOnInstructionByte => HexByte(LoseAnswerOnInstruction, nameof(LoseAnswerOnInstruction));

        /// <summary>The fault answer's SW1 SW2 as a number.</summary>
        internal ushort AnswerStatusWordValue
        {
            get
            {
                string text = (AnswerStatusWord ?? string.Empty).Replace(" ", string.Empty);
                if (!ushort.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ushort sw) || text.Length != 4)
                {
                    throw new InvalidDataException("AnswerStatusWord is not a hex status word like 6C0C: '" + AnswerStatusWord + "'.");
                }

                return sw;
            }
        }

        private static byte? HexByte(string? value, string name)
        {
            string? text = value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (text!.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                text = text.Substring(2);
            }

            if (!byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte ins))
            {
                throw new InvalidDataException(name + " is not a hex byte: '" + value + "'.");
            }

            return ins;
        }
    }

    /// <summary>
    /// The persistent state of a virtual card, kept in a JSON file. "Verified" flags are session state of
    /// <see cref="VirtualCard"/> and never part of this.
    /// </summary>
    [DataContract(Name = "VirtualCard", Namespace = "")]
    public sealed class VirtualCardState
    {
        public const int DefaultMaxTries = 5;

        private const long MaxFileLength = 1024 * 1024;

        private VirtualCardProfile _profile = VirtualCardProfile.CitizenThalesV5;
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

        [DataMember(Order = 7)]
        public VirtualPinState Puk { get; set; } = new VirtualPinState();

        /// <summary>
        /// A variant card: the AODF (hex) it serves instead of the one that describes its profile, e.g. one whose PIN
        /// objects name other references or padding than FinCardPin's built-in profile (see <see cref="VirtualPkcs15.Aodf"/>).
        /// </summary>
        [DataMember(Order = 8, EmitDefaultValue = false)]
        public string? AodfHex { get; set; }

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
                Profile = kind == "IdentityCard" ? VirtualCardProfile.CitizenThalesV5 : VirtualCardProfile.OrganisationIdemiaIdMe,
                T0 = report.Protocol == "T0",
                Serial = "0",
            };
        }

        // Enums as names in the file, so people can read and edit it.
        [DataMember(Name = "Profile", Order = 0)]
        private string ProfileName
        {
            get => _profile.ToString();
            set => _profile = ParseEnum<VirtualCardProfile>(value, "Profile");
        }

        [DataMember(Name = "Variant", Order = 1)]
        private string VariantName
        {
            get => _variant.ToString();
            set => _variant = ParseEnum<VirtualCardVariant>(value, "Variant");
        }

        /// <summary>
        /// An activated card: both PINs set and changed by the holder, 5 tries each. Length limits: citizen
        /// PIN1 4–12, PIN2 6–12 (what the card stores); organisation PIN1 4–8, PIN2 6–8 (SOTE: 4–8).
        /// </summary>
        public static VirtualCardState Activated(VirtualCardProfile profile, string pin1, string pin2, string puk,
            string serial, VirtualCardVariant variant = VirtualCardVariant.Organisation)
        {
            RequireDigits(pin1, nameof(pin1));
            RequireDigits(pin2, nameof(pin2));
            RequireDigits(puk, nameof(puk));
            var state = Blank(profile, serial, variant);
            state.Pin1.Value = pin1;
            state.Pin1.TriesLeft = DefaultMaxTries;
            state.Pin1.Changed = true;
            state.Pin2.Value = pin2;
            state.Pin2.TriesLeft = DefaultMaxTries;
            state.Pin2.Changed = true;
            state.Puk.Value = puk;
            state.Puk.TriesLeft = DefaultMaxTries;
            return state;
        }

        /// <summary>
        /// A card issued before 13.1.2026, not yet activated: both PINs blocked (tries 0, never changed); the
        /// 8-digit activation code is the PUK. Activation = RESET RETRY COUNTER once per PIN.
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
            state.Puk.Value = activationCode8Digits;
            state.Puk.TriesLeft = DefaultMaxTries;
            return state;
        }

        /// <summary>
        /// A citizen card issued on or after 13.1.2026 (Thales 2025 revision), not yet activated: PIN1, PIN2 and
        /// the PUK all hold the 7-digit activation code, 5 tries each, never changed. Activation = CHANGE with the
        /// activation code as the current PIN.
        /// </summary>
        public static VirtualCardState Unactivated2026(string activationCode7Digits, string serial)
        {
            RequireDigits(activationCode7Digits, nameof(activationCode7Digits));
            if (activationCode7Digits.Length != 7)
            {
                throw new ArgumentException("The activation code of a 2026 card has 7 digits.", nameof(activationCode7Digits));
            }

            var state = Blank(VirtualCardProfile.CitizenThales2025, serial, VirtualCardVariant.Organisation);
            foreach (var code in new[] { state.Pin1, state.Pin2, state.Puk })
            {
                code.Value = activationCode7Digits;
                code.TriesLeft = DefaultMaxTries;
                code.Changed = false;
            }

            return state;
        }

        public static VirtualCardState Load(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            // A state file is small and regular. Checking the length first also refuses what is not a regular file
            // without opening it: a FIFO reports 0 bytes, and reading one would wait for a writer for ever.
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new FileNotFoundException("No virtual card state file: " + path, path);
            }

            if (file.Length == 0 || file.Length > MaxFileLength)
            {
                throw new InvalidDataException("Not a virtual card state file (" + (file.Length == 0 ? "empty, or not a regular file" : "too large") + "): " + path);
            }

            byte[] bytes = File.ReadAllBytes(path);
            string text = new UTF8Encoding(false).GetString(bytes);
            if (FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport.LooksLikeReport(text))
            {
                return FromDiagnosticReport(FinCardPin.Engine.Fineid.Diagnostics.CardDiagnosticReport.FromJson(text));
            }

            try
            {
                using (var stream = new MemoryStream(bytes))
                {
                    var state = (VirtualCardState?)Serializer().ReadObject(stream)
                        ?? throw new InvalidDataException("Empty virtual card state file: " + path);
                    state.Normalise();
                    return state;
                }
            }
            catch (Exception ex) when (ex is SerializationException || ex is System.Xml.XmlException || ex is ArgumentException || ex is FormatException || ex is OverflowException)
            {
                throw new InvalidDataException("Not a virtual card state file: " + path + ": " + ex.Message, ex);
            }
        }

        /// <summary>Writes the state atomically: a temp file in the same folder, then a rename over the target.</summary>
        public void Save(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }

            if (Replay != null)
            {
                return; // a played-back report never changes
            }

            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            string temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                File.WriteAllBytes(temp, ToJsonBytes());
                if (File.Exists(full))
                {
                    File.Replace(temp, full, null);
                }
                else
                {
                    File.Move(temp, full);
                }
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }

        /// <summary>The JSON text of this state (indented).</summary>
        public string ToJson() => new UTF8Encoding(false).GetString(ToJsonBytes());

        public static VirtualCardState FromJson(string json)
        {
            using (var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(json ?? throw new ArgumentNullException(nameof(json)))))
            {
                var state = (VirtualCardState?)Serializer().ReadObject(stream)
                    ?? throw new InvalidDataException("Empty virtual card state.");
                state.Normalise();
                return state;
            }
        }

        public VirtualCardState Clone()
        {
            var copy = (VirtualCardState)MemberwiseClone();
            copy.Faults = Faults.Clone();
            copy.Pin1 = Pin1.Clone();
            copy.Pin2 = Pin2.Clone();
            copy.Puk = Puk.Clone();
            return copy;
        }

        private byte[] ToJsonBytes()
        {
            using (var stream = new MemoryStream())
            {
                using (XmlDictionaryWriter writer = JsonReaderWriterFactory.CreateJsonWriter(stream, new UTF8Encoding(false), false, true, "  "))
                {
                    Serializer().WriteObject(writer, this);
                    writer.Flush();
                }

                stream.WriteByte((byte)'\n');
                return stream.ToArray();
            }
        }

        private static DataContractJsonSerializer Serializer() => new DataContractJsonSerializer(typeof(VirtualCardState));

        private void Normalise()
        {
            // Members missing from a hand-written file come back null from the serializer.
            Faults = Faults ?? new VirtualCardFaults();
            Pin1 = Pin1 ?? new VirtualPinState();
            Pin2 = Pin2 ?? new VirtualPinState();
            Puk = Puk ?? new VirtualPinState();
            Serial = Serial ?? string.Empty;
            foreach (var code in new[] { Pin1, Pin2, Puk })
            {
                code.Value = code.Value ?? string.Empty;
            }
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
                state.Puk = VirtualPinState.Create(string.Empty, 0, false, 8, 8);
            }
            else
            {
                state.Pin1 = VirtualPinState.Create(string.Empty, 0, false, 4, 12);
                state.Pin2 = VirtualPinState.Create(string.Empty, 0, false, 6, 12);
                state.Puk = VirtualPinState.Create(string.Empty, 0, false, 7, 12);
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

        private static T ParseEnum<T>(string? text, string what) where T : struct
        {
            if (text != null && Enum.TryParse(text, true, out T value) && Enum.IsDefined(typeof(T), value))
            {
                return value;
            }

            throw new SerializationException("Unknown " + what + " '" + text + "'.");
        }
    }
}
