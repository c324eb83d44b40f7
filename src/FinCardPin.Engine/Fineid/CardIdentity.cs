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

        public bool IsFineid => Kind == CardKind.IdentityCard || Kind == CardKind.OrganisationOrSoteCard;
    }
}
