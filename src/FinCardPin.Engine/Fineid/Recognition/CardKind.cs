namespace FinCardPin.Engine.Fineid
{
    /// <summary>What a card is, as far as the ATR tells.</summary>
    /// <remarks>
    /// Based on long so that Windows PowerShell 5.1's ConvertTo-Json (which has no -EnumsAsStrings) writes the name,
    /// not a number, into Intune and Log Analytics reports: it writes 64-bit enums as strings. Scripts still compare
    /// the typed value ($_.CardKind -eq 'IdentityCard').
    /// </remarks>
    public enum CardKind : long
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
