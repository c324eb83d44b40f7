using FinCardPin.Engine.Fineid;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The next step as a few words that fit a table column (the command to run), beside the engine's full advice
    /// that the list view and NextStep carry.
    /// </summary>
    internal static class NextCommands
    {
        public const string ReplaceCardOrLetter = "New card or code letter";

        /// <summary>The short form of <paramref name="advice"/> for <paramref name="code"/>; null when nothing needs doing.</summary>
        public static string? For(PinCode code, string? advice)
        {
            if (string.IsNullOrEmpty(advice))
            {
                return null;
            }

            switch (advice)
            {
                case CardErrors.UnblockAdvice:
                case CardErrors.ActivateByUnlockAdvice:
                    return "Unlock-CardPin -Code " + code;
                case CardErrors.ActivateBySetAdvice:
                    return "Set-CardPin -Code " + code;
                case CardErrors.ActivationCodeUsedUpAdvice:
                    return ReplaceCardOrLetter;
                default:
                    return "See NextStep";
            }
        }
    }
}
