namespace FinCardPin.Engine.Fineid
{
    /// <summary>The codes on a FINEID card.</summary>
    public enum PinCode
    {
        /// <summary>PIN1: the basic (authentication) code — grundkod/baskod, perustunnusluku.</summary>
        Pin1 = 1,

        /// <summary>PIN2: the signature code — signaturkod, allekirjoitustunnusluku.</summary>
        Pin2 = 2,

        /// <summary>The activation code (PUK) from the code letter — aktiveringskod, aktivointitunnusluku.</summary>
        ActivationCode = 3,
    }
}
