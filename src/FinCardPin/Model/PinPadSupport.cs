namespace FinCardPin
{
    /// <summary>What a reader's keypad can do for FinCardPin (long-based for Windows PowerShell 5.1's ConvertTo-Json, as <see cref="ReaderType"/>).</summary>
    public enum PinPadSupport : long
    {
        /// <summary>No keypad (or one the module ignores: a known false claim, a reader that did not answer).</summary>
        None,

        /// <summary>Codes can be checked on the keypad (FEATURE_VERIFY_PIN_DIRECT).</summary>
        Verify,

        /// <summary>Codes can be checked, changed and unblocked on the keypad (also FEATURE_MODIFY_PIN_DIRECT).</summary>
        VerifyAndChange,
    }
}
