namespace FinCardPin
{
    /// <summary>A reader's state as the smart card service reports it.</summary>
    /// <remarks>
    /// Based on long so that Windows PowerShell 5.1's ConvertTo-Json (which has no -EnumsAsStrings) writes the name,
    /// not a number, into Intune and Log Analytics reports: it writes 64-bit enums as strings. Scripts still compare
    /// the typed value ($_.State -eq 'Empty').
    /// </remarks>
    public enum ReaderState : long
    {
        Unknown,
        Empty,
        CardPresent,

        /// <summary>A card is present and another program is connected to it (shared).</summary>
        InUse,

        /// <summary>Another program holds the card exclusively: FinCardPin cannot talk to it now.</summary>
        Exclusive,

        /// <summary>A card is present but does not answer (inserted the wrong way, or faulty).</summary>
        Mute,

        /// <summary>The reader is listed but cannot be used (being removed, or its driver failed).</summary>
        Unavailable,
    }
}
