namespace FinCardPin.Engine.Fineid
{
    /// <summary>The DVV's next step for a code in its state (worded by the cmdlet assembly).</summary>
    internal enum PinAdvice
    {
        /// <summary>Nothing needs doing.</summary>
        None,

        /// <summary>Unblock the code with the activation code (Unlock-CardPin).</summary>
        Unblock,

        /// <summary>A card from 13.1.2026: the activation code is the current code (Set-CardPin).</summary>
        ActivateBySet,

        /// <summary>A card from before 13.1.2026: activate with the activation code (Unlock-CardPin).</summary>
        ActivateByUnlock,

        /// <summary>The activation code is used up: a new card or a new code letter from the issuer.</summary>
        ReplaceCardOrLetter,

        /// <summary>Blocked or not activated yet (the card cannot tell which): Unlock-CardPin with the activation code.</summary>
        UnblockOrActivate,
    }
}
