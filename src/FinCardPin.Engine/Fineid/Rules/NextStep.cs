namespace FinCardPin.Engine.Fineid
{
    /// <summary>The DVV's next step for a code, from its state as the card told it.</summary>
    internal static class NextStep
    {
        /// <summary>What a user should do about a code in this state; <see cref="PinAdvice.None"/> when nothing needs doing.</summary>
        public static PinAdvice For(PinStatusInfo status)
        {
            if (status == null)
            {
                throw new System.ArgumentNullException(nameof(status));
            }

            switch (status.State)
            {
                case PinState.Blocked:
                    return status.Code == PinCode.ActivationCode ? PinAdvice.ReplaceCardOrLetter : PinAdvice.Unblock;
                case PinState.BlockedOrNotActivated:
                    return PinAdvice.UnblockOrActivate;
                case PinState.NotActivated:
                    // Cards from 13.1.2026 preset the PINs to the activation code (tries left); older ones ship them blocked.
                    return status.TriesLeft == 0 ? PinAdvice.ActivateByUnlock : PinAdvice.ActivateBySet;
                default:
                    return PinAdvice.None;
            }
        }
    }
}
