using System.Runtime.Serialization;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// One code (PIN1, PIN2 or activation code) of a virtual card. This is a test card: the value is stored in clear.
    /// </summary>
    [DataContract(Name = "Code", Namespace = "")]
    internal sealed class VirtualPinState
    {
        /// <summary>The code's digits ("" for a PIN that has never been set, e.g. on a pre-2026 unactivated card).</summary>
        [DataMember(Order = 0)]
        public string Value { get; set; } = string.Empty;

        [DataMember(Order = 1)]
        public int TriesLeft { get; set; }

        [DataMember(Order = 2)]
        public int MaxTries { get; set; } = VirtualCardState.DefaultMaxTries;

        /// <summary>DF2F of the identity card's PIN container: false = never changed (not activated / must change).</summary>
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
}
