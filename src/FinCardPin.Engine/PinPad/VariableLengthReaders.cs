namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// Readers known to take a code of the length typed (bmPINBlockString 00), the only way an organisation/SOTE card
    /// (codes sent unpadded) can be given a PIN on a keypad. From GnuPG's scd/ccid-driver.c (ccid_transceive_secure:
    /// variable length enabled only for Cherry, Reiner SCT cyberJack, SCM SPR532, Vasco, KAAN/KOBIL and Gemalto's Ezio
    /// Shield CT710) and libccid's readers.txt for the ids. Identified by the USB ids the reader itself reports in
    /// FEATURE_GET_TLV_PROPERTIES, never by its name. The APDU form differs between them (GnuPG, OpenSC
    /// reader-pcsc.c): SPR532 takes the header alone, Cherry wants Lc 00.
    /// </summary>
    internal static class VariableLengthReaders
    {
        private static readonly (int Vendor, int? Product, bool LcZero)[] Known =
        {
            (0x046A, null, true),    // Cherry
            (0x0C4B, null, false),   // Reiner SCT cyberJack
            (0x04E6, 0xE003, false), // SCM SPR532
            (0x1A44, null, false),   // Vasco
            (0x0D46, null, false),   // KAAN / KOBIL
            (0x08E6, 0x34C2, false), // Gemalto Ezio Shield (CT710)
        };

        /// <summary>True when the reader is on the list; <paramref name="lcZero"/> says whether its template ends with Lc 00.</summary>
        public static bool IsKnown(PinPadInfo pad, out bool lcZero)
        {
            lcZero = false;
            if (pad == null || !pad.VendorId.HasValue)
            {
                return false;
            }

            foreach (var known in Known)
            {
                if (known.Vendor == pad.VendorId.Value && (!known.Product.HasValue || known.Product == pad.ProductId))
                {
                    lcZero = known.LcZero;
                    return true;
                }
            }

            return false;
        }
    }
}
