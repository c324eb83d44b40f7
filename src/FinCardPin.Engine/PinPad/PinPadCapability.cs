namespace FinCardPin.Engine.PinPad
{
    /// <summary>What a reader's keypad can do, as far as the module uses it.</summary>
    internal enum PinPadCapability
    {
        /// <summary>No keypad, a keypad the module ignores (a known false claim), or a reader that did not answer.</summary>
        None,

        /// <summary>FEATURE_VERIFY_PIN_DIRECT only: codes can be checked on the keypad.</summary>
        Verify,

        /// <summary>FEATURE_VERIFY_PIN_DIRECT and FEATURE_MODIFY_PIN_DIRECT: checked, changed and unblocked.</summary>
        VerifyAndChange,
    }
}
