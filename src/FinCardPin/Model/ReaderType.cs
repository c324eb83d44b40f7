namespace FinCardPin
{
    /// <summary>What kind of reader this is.</summary>
    /// <remarks>
    /// Based on long so that Windows PowerShell 5.1's ConvertTo-Json (which has no -EnumsAsStrings) writes the name,
    /// not a number, into Intune and Log Analytics reports: it writes 64-bit enums as strings. Scripts still compare
    /// the typed value ($_.ReaderType -eq 'CardReader').
    /// </remarks>
    public enum ReaderType : long
    {
        /// <summary>A reader listed by the smart card service (a USB or built-in card reader).</summary>
        CardReader,

        /// <summary>
        /// A Windows per-user virtual reader (Windows Hello for Business, a virtual smart card, the SIM's UICC
        /// reader): no FINEID card can be in it.
        /// </summary>
        WindowsVirtual,

        /// <summary>A FinCardPin virtual reader (FINCARDPIN_VIRTUAL_CARDS is set): for demos and script tests.</summary>
        FinCardPinVirtual,
    }
}
