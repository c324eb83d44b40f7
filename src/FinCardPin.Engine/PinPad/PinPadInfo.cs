using System;
using System.Collections.Generic;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// A reader's keypad as its driver describes it (PC/SC Part 10 v2.02.09, section 2.3: GET_FEATURE_REQUEST;
    /// 2.6.8 FEATURE_IFD_PIN_PROPERTIES; 2.6.14 FEATURE_GET_TLV_PROPERTIES). Holds no code.
    /// </summary>
    internal sealed class PinPadInfo
    {
        public static readonly PinPadInfo None = new PinPadInfo(null, null, new Dictionary<byte, uint>(), null, null, null, null, null, null);

        /// <summary>No keypad, because the reader could not be asked (<paramref name="step"/> failed with <paramref name="result"/>).</summary>
        public static PinPadInfo Unanswered(string step, string result) =>
            new PinPadInfo(null, null, new Dictionary<byte, uint>(), null, null, null, null, null, new PcscNote(step, result));

        internal PinPadInfo(uint? verifyControlCode, uint? modifyControlCode, IReadOnlyDictionary<byte, uint> features,
            int? minDigits, int? maxDigits, int? vendorId, int? productId, string? ignoredBecause, PcscNote? note)
        {
            VerifyControlCode = verifyControlCode;
            ModifyControlCode = modifyControlCode;
            Features = features;
            MinDigits = minDigits;
            MaxDigits = maxDigits;
            VendorId = vendorId;
            ProductId = productId;
            IgnoredBecause = ignoredBecause;
            Note = note;
        }

        /// <summary>None, Verify, or VerifyAndChange (both DIRECT features listed and not a known false claim).</summary>
        public PinPadCapability Capability =>
            VerifyControlCode == null ? PinPadCapability.None
            : ModifyControlCode == null ? PinPadCapability.Verify : PinPadCapability.VerifyAndChange;

        /// <summary>FEATURE_VERIFY_PIN_DIRECT's control code, as the reader gave it.</summary>
        public uint? VerifyControlCode { get; }

        /// <summary>FEATURE_MODIFY_PIN_DIRECT's control code, as the reader gave it.</summary>
        public uint? ModifyControlCode { get; }

        /// <summary>Every feature tag the reader listed, with its control code (for the diagnostics report).</summary>
        public IReadOnlyDictionary<byte, uint> Features { get; }

        /// <summary>bMinPINSize from FEATURE_GET_TLV_PROPERTIES, when the reader tells it.</summary>
        public int? MinDigits { get; }

        /// <summary>bMaxPINSize from FEATURE_GET_TLV_PROPERTIES, when the reader tells it.</summary>
        public int? MaxDigits { get; }

        /// <summary>wIdVendor from FEATURE_GET_TLV_PROPERTIES.</summary>
        public int? VendorId { get; }

        /// <summary>wIdProduct from FEATURE_GET_TLV_PROPERTIES.</summary>
        public int? ProductId { get; }

        /// <summary>Why a keypad the reader claims is not used (a known false claim), else null.</summary>
        public string? IgnoredBecause { get; }

        /// <summary>What went wrong while asking, when something did (the keypad then counts as none).</summary>
        public PcscNote? Note { get; }

        /// <summary>"08E6:3478", or null when the reader does not tell.</summary>
        public string? UsbId => VendorId.HasValue && ProductId.HasValue
            ? VendorId.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ":" + ProductId.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)
            : null;

        /// <summary>One line per feature for the diagnostics report, e.g. "VERIFY_PIN_DIRECT (06) 42330006".</summary>
        public IReadOnlyList<string> Describe()
        {
            var lines = new List<string>();
            foreach (var pair in Features)
            {
                lines.Add(PinPadFeatures.NameOf(pair.Key) + " (" + pair.Key.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ") "
                    + pair.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            }

            return lines;
        }
    }

    /// <summary>A PC/SC result met while asking the reader about its keypad (a fact for the report, never an error).</summary>
    internal sealed class PcscNote
    {
        public PcscNote(string step, string result)
        {
            Step = step ?? throw new ArgumentNullException(nameof(step));
            Result = result ?? throw new ArgumentNullException(nameof(result));
        }

        public string Step { get; }

        public string Result { get; }

        public override string ToString() => Step + ": " + Result;
    }
}
