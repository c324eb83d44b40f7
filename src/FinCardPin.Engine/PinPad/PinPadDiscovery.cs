using System;
using System.Collections.Generic;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// Asks a reader what its keypad can do. A request that fails, or an answer that does not parse, means "no
    /// keypad", never an error: many readers and drivers answer GET_FEATURE_REQUEST with "not supported" (vpcd,
    /// Windows' inbox CCID driver; web-eid libpcsc-cpp PR #10 made the same choice). Sends no code.
    /// </summary>
    internal static class PinPadDiscovery
    {
        /// <summary>
        /// Readers that list a keypad they do not have. HID Omnikey 3121 (076B:3031) and 6121 (076B:6632): libccid's
        /// ccid_usb.c / ifdhandler.c and OpenSC's reader-pcsc.c (part10_detect_pin_pad) drop their PIN-pad features.
        /// </summary>
        private static readonly (int Vendor, int Product)[] FalseClaims = { (0x076B, 0x3031), (0x076B, 0x6632) };

        private const int AnswerRoom = 256;

        /// <param name="control">One SCardControl: (control code, what to send, room for the answer, answer) → result, answer length.</param>
        /// <param name="getFeatureRequest">SCARD_CTL_CODE(3400) on this platform.</param>
        /// <param name="forReport">Also asks IFD_PIN_PROPERTIES, which only the diagnostics report shows: a listing or a
        /// PIN command need not spend a call on it.</param>
        public static PinPadInfo Discover(ControlCall control, uint getFeatureRequest, bool forReport = false)
        {
            if (control == null)
            {
                throw new ArgumentNullException(nameof(control));
            }

            var answer = new byte[AnswerRoom];
            var result = control(getFeatureRequest, Array.Empty<byte>(), answer, out var length);
            if (result != PcscResult.Success)
            {
                return PinPadInfo.Unanswered("GET_FEATURE_REQUEST", result.ToString());
            }

            var features = PinPadFeatures.ParseFeatures(answer, length);
            int? min = null, max = null, vendor = null, product = null;
            PcscNote? note = null;
            if (features.TryGetValue(PinPadFeatures.GetTlvProperties, out var tlvCode))
            {
                result = control(tlvCode, Array.Empty<byte>(), answer, out length);
                if (result == PcscResult.Success)
                {
                    var properties = PinPadFeatures.ParseProperties(answer, length);
                    min = Read(properties, PinPadFeatures.PropertyMinPinSize);
                    max = Read(properties, PinPadFeatures.PropertyMaxPinSize);
                    vendor = Read(properties, PinPadFeatures.PropertyVendorId);
                    product = Read(properties, PinPadFeatures.PropertyProductId);
                }
                else
                {
                    note = new PcscNote("GET_TLV_PROPERTIES", result.ToString());
                }
            }

            if (forReport && features.TryGetValue(PinPadFeatures.IfdPinProperties, out var propertiesCode))
            {
                // bEntryValidationCondition and the display, for the report; its two forms are both accepted.
                result = control(propertiesCode, Array.Empty<byte>(), answer, out length);
                if (result != PcscResult.Success || PinPadFeatures.LcdLayout(answer, length) == null)
                {
                    note ??= new PcscNote("IFD_PIN_PROPERTIES", result == PcscResult.Success ? "length " + length : result.ToString());
                }
            }

            foreach (var claim in FalseClaims)
            {
                if (vendor == claim.Vendor && product == claim.Product)
                {
                    return new PinPadInfo(null, null, features, min, max, vendor, product, "known false claim", note);
                }
            }

            features.TryGetValue(PinPadFeatures.VerifyPinDirect, out var verify);
            features.TryGetValue(PinPadFeatures.ModifyPinDirect, out var modify);
            var hasVerify = features.ContainsKey(PinPadFeatures.VerifyPinDirect);
            var hasModify = hasVerify && features.ContainsKey(PinPadFeatures.ModifyPinDirect);
            return new PinPadInfo(hasVerify ? verify : (uint?)null, hasModify ? modify : (uint?)null, features, min, max, vendor, product, null, note);
        }

        private static int? Read(Dictionary<byte, int> properties, byte tag) => properties.TryGetValue(tag, out var value) ? value : (int?)null;
    }

    /// <summary>One SCardControl call on an open handle.</summary>
    internal delegate PcscResult ControlCall(uint controlCode, byte[] send, byte[] receive, out int receiveLength);
}
