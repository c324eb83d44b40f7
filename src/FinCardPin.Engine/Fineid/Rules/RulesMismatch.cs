namespace FinCardPin.Engine.Fineid
{
    /// <summary>How the card's own PKCS#15 data contradicts the built-in profile for a code (a fact of CardPinRulesMismatch).</summary>
    internal enum RulesMismatch
    {
        /// <summary>The card's objects for that role use other references (facts: expected, found).</summary>
        Reference,

        /// <summary>The profile's reference is an unblocking code on the card (fact: reference).</summary>
        Unblocking,

        /// <summary>The profile's reference is not an unblocking code on the card (fact: reference).</summary>
        NotUnblocking,

        /// <summary>The profile pads to 12 bytes with 00, the card names another pad or length (facts: pad, stored).</summary>
        PaddedButCardPads,

        /// <summary>The profile pads to 12 bytes with 00, the card says unpadded.</summary>
        PaddedButCardUnpadded,

        /// <summary>The profile sends the code unpadded, the card says padded (facts: pad, stored).</summary>
        UnpaddedButCardPads,
    }
}
