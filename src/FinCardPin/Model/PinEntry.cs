namespace FinCardPin
{
    /// <summary>Where the PIN cmdlets take codes from (-PinEntry).</summary>
    public enum PinEntry
    {
        /// <summary>The reader's keypad when it has one for this card and operation, no code was given as a parameter and a person can answer; else the keyboard.</summary>
        Auto,

        /// <summary>Always the reader's keypad: a clear error when the reader has none or cannot do this operation for this card.</summary>
        PinPad,

        /// <summary>Never the keypad: codes are typed at the host's prompt or given as parameters.</summary>
        Keyboard,
    }
}
