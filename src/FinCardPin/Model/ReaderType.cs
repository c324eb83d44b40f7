namespace FinCardPin
{
    /// <summary>What kind of reader this is.</summary>
    public enum ReaderType
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
