namespace FinCardPin.Engine.Fineid
{
    /// <summary>How the card answered a command that checks a code.</summary>
    internal enum PinOutcome
    {
        Success,

        /// <summary>The code checked was wrong; a try was spent.</summary>
        WrongCode,

        /// <summary>The code checked is blocked; nothing was spent.</summary>
        Blocked,

        /// <summary>6984 on an organisation/SOTE card: blocked, or never activated; nothing was spent.</summary>
        BlockedOrNotActivated,

        /// <summary>The card refused the new code's length: 6700 after CHANGE/unblock.</summary>
        NewCodeRejected,

        /// <summary>6A80 after CHANGE/unblock: the new code's form, or (DigiDoc4) the new code equals the current one.</summary>
        NewCodeRejectedOrSame,

        /// <summary>6700/6A80 to a VERIFY: the card refused the length or form of the code being checked, not a new code.</summary>
        CheckedCodeRejected,

        /// <summary>The new code equals the current one: 6985.</summary>
        NewCodeSameAsCurrent,

        /// <summary>The card wants another state first (6982), e.g. contactless without PACE.</summary>
        NotAllowed,
    }

    /// <summary>An outcome with the tries left of the code that was checked, where the card said.</summary>
    internal sealed class PinCommandResult
    {
        public PinCommandResult(PinOutcome outcome, int? triesLeft)
        {
            Outcome = outcome;
            TriesLeft = triesLeft;
        }

        public PinOutcome Outcome { get; }

        public int? TriesLeft { get; }
    }
}
