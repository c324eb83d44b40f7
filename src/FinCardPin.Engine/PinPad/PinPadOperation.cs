namespace FinCardPin.Engine.PinPad
{
    /// <summary>The PIN operations a keypad can take part in.</summary>
    internal enum PinPadOperation
    {
        Verify,
        Change,
        Unblock,
    }

    /// <summary>What the holder is asked to type on the reader, announced just before the reader asks.</summary>
    internal enum PinPadStep
    {
        /// <summary>The code being checked, once.</summary>
        Verify,

        /// <summary>The current code, then the new one twice.</summary>
        Change,

        /// <summary>The activation code, then the new code twice (identity card: one request).</summary>
        Unblock,

        /// <summary>The activation code alone (the organisation card's first unblock step).</summary>
        ActivationCode,

        /// <summary>The new code twice (the organisation card's second unblock step).</summary>
        NewCodeTwice,
    }
}
