using System.Globalization;
using FinCardPin.Engine.PinPad;

namespace FinCardPin
{
    /// <summary>A reader's keypad as the reader itself describes it (PC/SC Part 10); holds no code.</summary>
    public sealed class ReaderPinPad
    {
        internal ReaderPinPad(PinPadInfo info)
        {
            Info = info;
            Support = (PinPadSupport)(long)info.Capability;
            MinDigits = info.MinDigits;
            MaxDigits = info.MaxDigits;
            UsbId = info.UsbId;
        }

        /// <summary>None, Verify or VerifyAndChange.</summary>
        public PinPadSupport Support { get; }

        /// <summary>The fewest digits the keypad takes, when the reader tells it.</summary>
        public int? MinDigits { get; }

        /// <summary>The most digits the keypad takes, when the reader tells it.</summary>
        public int? MaxDigits { get; }

        /// <summary>The reader's USB vendor and product id ("08E6:3478"), when it tells them.</summary>
        public string? UsbId { get; }

        internal PinPadInfo Info { get; }

        public override string ToString() =>
            MinDigits.HasValue && MaxDigits.HasValue && Support != PinPadSupport.None
                ? Support + " (" + MinDigits.Value.ToString(CultureInfo.InvariantCulture) + "-" + MaxDigits.Value.ToString(CultureInfo.InvariantCulture) + ")"
                : Support.ToString();
    }
}
