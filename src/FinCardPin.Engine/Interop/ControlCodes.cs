namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// SCARD_CTL_CODE as each PC/SC stack defines it. Windows (winsmcrd.h): CTL_CODE(FILE_DEVICE_SMARTCARD = 0x31,
    /// function, METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x310000 | function &lt;&lt; 2. pcsc-lite (reader.h) and macOS:
    /// 0x42000000 + function. libccid accepts both forms; Wine passes the code through to pcsc-lite unchanged.
    /// </summary>
    internal static class ControlCodes
    {
        /// <summary>CM_IOCTL_GET_FEATURE_REQUEST's function number (PC/SC Part 10, section 2.2).</summary>
        public const int GetFeatureRequestFunction = 3400;

        /// <summary>SCARD_CTL_CODE(<paramref name="function"/>) on Windows.</summary>
        public static uint Windows(int function) => 0x00310000u | ((uint)function << 2);

        /// <summary>SCARD_CTL_CODE(<paramref name="function"/>) on pcsc-lite and macOS.</summary>
        public static uint PcscLite(int function) => 0x42000000u + (uint)function;
    }
}
