namespace FinCardPin.Engine.Fineid
{
    /// <summary>What a card is, as far as the ATR tells.</summary>
    public enum CardKind
    {
        /// <summary>The reader holds no card.</summary>
        None,

        /// <summary>A DVV identity card (citizen certificate; Gemalto/Thales MultiApp).</summary>
        IdentityCard,

        /// <summary>
        /// A DVV organisation card or social/health-care (SOTE) card: the same chip and ATR, so the two cannot be
        /// told apart without reading their certificates.
        /// </summary>
        OrganisationOrSoteCard,

        /// <summary>A card that is not a FINEID card.</summary>
        OtherCard,
    }
}
