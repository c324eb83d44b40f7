namespace FinCardPin
{
    /// <summary>The kind of card New-VirtualCard makes.</summary>
    public enum VirtualCardKind
    {
        /// <summary>A DVV identity card (Thales MultiApp v5.0; a 2026 card when not activated with a 7-digit code).</summary>
        IdentityCard,

        /// <summary>A DVV organisation card (IDEMIA ID.me): PIN2 of 6-8 digits.</summary>
        OrganisationCard,

        /// <summary>A social/health-care (SOTE) card: the organisation card's chip, PIN2 of 4-8 digits.</summary>
        SoteCard,
    }
}
