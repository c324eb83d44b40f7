namespace FinCardPin.Engine.Fineid
{
    /// <summary>The state of one code on a card.</summary>
    /// <remarks>
    /// Based on long so that Windows PowerShell 5.1's ConvertTo-Json (which has no -EnumsAsStrings) writes the name,
    /// not a number, into Intune and Log Analytics reports: it writes 64-bit enums as strings. Scripts still compare
    /// the typed value ($_.State -eq 'Blocked').
    /// </remarks>
    public enum PinState : long
    {
        /// <summary>The card did not say (an unknown answer).</summary>
        Unknown,

        /// <summary>In use, with tries left.</summary>
        Ready,

        /// <summary>Five wrong tries in a row: the code must be unblocked with the activation code.</summary>
        Blocked,

        /// <summary>The card was never activated: the code must be set with the activation code first.</summary>
        NotActivated,

        /// <summary>
        /// An organisation/SOTE card answered 6984 (reference data invalidated): blocked, or never activated (a
        /// never-activated slot answers the same: ReFineID-Apple). Either way the activation code sets it (Unlock-CardPin).
        /// </summary>
        BlockedOrNotActivated,
    }
}
