namespace FinCardPin
{
    /// <summary>A reader's state as the smart card service reports it.</summary>
    public enum ReaderState
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
