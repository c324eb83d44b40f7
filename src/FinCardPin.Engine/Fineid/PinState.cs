namespace FinCardPin.Engine.Fineid
{
    /// <summary>The state of one code on a card.</summary>
    public enum PinState
    {
        /// <summary>The card did not say (an unknown answer).</summary>
        Unknown,

        /// <summary>In use, with tries left.</summary>
        Ready,

        /// <summary>Five wrong tries in a row: the code must be unblocked with the activation code.</summary>
        Blocked,

        /// <summary>The card was never activated: the code must be set with the activation code first.</summary>
        NotActivated,
    }
}
