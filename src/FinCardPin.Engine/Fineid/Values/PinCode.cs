namespace FinCardPin.Engine.Fineid
{
    /// <summary>The codes on a FINEID card.</summary>
    /// <remarks>
    /// Based on long so that Windows PowerShell 5.1's ConvertTo-Json (which has no -EnumsAsStrings) writes the name,
    /// not a number, into Intune and Log Analytics reports: it writes 64-bit enums as strings. Scripts still compare
    /// the typed value ($_.Code -eq 'Pin1').
    /// </remarks>
    public enum PinCode : long
    {
        /// <summary>PIN1: the basic (authentication) code — grundkod/baskod, perustunnusluku.</summary>
        Pin1 = 1,

        /// <summary>PIN2: the signature code — signaturkod, allekirjoitustunnusluku.</summary>
        Pin2 = 2,

        /// <summary>The activation code (PUK) from the code letter — aktiveringskod, aktivointitunnusluku.</summary>
        ActivationCode = 3,
    }
}
