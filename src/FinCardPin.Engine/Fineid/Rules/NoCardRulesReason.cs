namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Why the card gives no PIN rules of its own (the note "NoCardRules.&lt;reason&gt;", worded by the cmdlet assembly:
    /// the engine hands over no English words that would end up inside a Finnish or Swedish text).
    /// </summary>
    internal enum NoCardRulesReason
    {
        /// <summary>EF.ODF (5031) cannot be selected or read.</summary>
        OdfUnreadable,

        /// <summary>EF.ODF names no AODF.</summary>
        NoAodf,

        /// <summary>The AODF EF.ODF names (fact "file") cannot be read.</summary>
        AodfUnreadable,

        /// <summary>The AODF holds no PIN objects.</summary>
        NoPinObjects,

        /// <summary>The PKCS#15 data is malformed or of a form the parser does not read (fact "detail", for logs).</summary>
        NotUnderstood,
    }
}
