using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The next step as a few words that fit a table column (the command to run), beside the full advice that the
    /// list view and NextStep carry.
    /// </summary>
    internal static class NextCommands
    {
        /// <summary>The short form of <paramref name="advice"/> for <paramref name="code"/>; null when nothing needs doing.</summary>
        public static string? For(PinCode code, PinAdvice advice)
        {
            switch (advice)
            {
                case PinAdvice.Unblock:
                case PinAdvice.ActivateByUnlock:
                case PinAdvice.UnblockOrActivate:
                    return "Unlock-CardPin -Code " + code;
                case PinAdvice.ActivateBySet:
                    return "Set-CardPin -Code " + code;
                case PinAdvice.ReplaceCardOrLetter:
                    return Texts.Get("NextCommand.ReplaceCardOrLetter");
                default:
                    return null;
            }
        }

        /// <summary>The full advice in words; null when nothing needs doing.</summary>
        public static string? Advice(PinAdvice advice) => advice == PinAdvice.None ? null : Texts.Get("Advice." + advice);
    }
}
