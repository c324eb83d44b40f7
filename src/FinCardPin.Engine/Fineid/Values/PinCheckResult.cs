namespace FinCardPin.Engine.Fineid
{
    /// <summary>The answer to "is this the right code?".</summary>
    internal sealed class PinCheckResult
    {
        public PinCheckResult(bool verified, PinState state, int? triesLeft)
        {
            Verified = verified;
            State = state;
            TriesLeft = triesLeft;
        }

        public bool Verified { get; }

        public PinState State { get; }

        public int? TriesLeft { get; }
    }
}
