namespace FinCardPin.Engine.Fineid
{
    /// <summary>What the card says about one code, read without spending a try.</summary>
    internal sealed class PinStatusInfo
    {
        public PinStatusInfo(PinCode code, PinState state, int? triesLeft, int maxTries)
        {
            Code = code;
            State = state;
            TriesLeft = triesLeft;
            MaxTries = maxTries;
        }

        public PinCode Code { get; }

        public PinState State { get; }

        /// <summary>Null when the card did not tell.</summary>
        public int? TriesLeft { get; }

        public int MaxTries { get; }

        public bool IsOnLastTry => TriesLeft == 1 && State != PinState.Blocked;
    }
}
