namespace FinCardPin.Engine.Fineid
{
    /// <summary>What the ATR says about a card: its kind and, where known, its chip generation.</summary>
    internal sealed class CardIdentity
    {
        public CardIdentity(CardKind kind, string? chip, bool isContactless = false)
        {
            Kind = kind;
            Chip = chip;
            IsContactless = isContactless;
        }

        public CardKind Kind { get; }

        /// <summary>The chip generation, e.g. "Thales MultiApp v5.0"; null when the ATR does not say.</summary>
        public string? Chip { get; }

        /// <summary>Seen through a contactless reader: PIN commands need PACE there, which FinCardPin does not do.</summary>
        public bool IsContactless { get; }

        public bool IsFineid => IsFineidKind(Kind);

        /// <summary>A FINEID card seen through a contact reader: one PIN commands can go to.</summary>
        public bool IsUsable => IsFineid && !IsContactless;

        /// <summary>The kinds that are FINEID cards (one rule for the ATR's identity and the reader objects shown).</summary>
        public static bool IsFineidKind(CardKind kind) => kind == CardKind.IdentityCard || kind == CardKind.OrganisationOrSoteCard;
    }
}
