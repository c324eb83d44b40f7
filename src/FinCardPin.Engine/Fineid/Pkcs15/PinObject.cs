using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FinCardPin.Engine.Fineid.Pkcs15
{
    /// <summary>PKCS#15 PinFlags (a BIT STRING; bit 0 is the first byte's most significant bit).</summary>
    [Flags]
    [SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification =
        "Named after the PKCS#15 / ISO/IEC 7816-15 ASN.1 type PinFlags it decodes, so that a reader finds it in the standard.")]
    internal enum PinFlags
    {
        None = 0,
        CaseSensitive = 1 << 0,
        Local = 1 << 1,
        ChangeDisabled = 1 << 2,
        UnblockDisabled = 1 << 3,
        Initialized = 1 << 4,
        NeedsPadding = 1 << 5,
        UnblockingPin = 1 << 6,
        SoPin = 1 << 7,
        DisableAllowed = 1 << 8,
        IntegrityProtected = 1 << 9,
        ConfidentialityProtected = 1 << 10,
        ExchangeRefData = 1 << 11,
    }

    /// <summary>
    /// One PIN authentication object of the card's AODF (PKCS#15 v1.1 / ISO/IEC 7816-15 PinAttributes): what the card
    /// itself says about a code. Holds no secret: the code's value is never in the AODF.
    /// </summary>
    internal sealed class PinObject
    {
        public PinObject(string? label, byte[] authId, PinFlags flags, int pinType, int minLength, int storedLength, int? maxLength,
            int? reference, byte? padChar)
        {
            Label = label;
            AuthId = authId ?? Array.Empty<byte>();
            Flags = flags;
            PinType = pinType;
            MinLength = minLength;
            StoredLength = storedLength;
            MaxLength = maxLength;
            Reference = reference;
            PadChar = padChar;
        }

        public string? Label { get; }

        public IReadOnlyList<byte> AuthId { get; }

        public PinFlags Flags { get; }

        /// <summary>PinType: 0 bcd, 1 ascii-numeric, 2 utf8, 3 half-nibble-bcd, 4 iso9564-1.</summary>
        public int PinType { get; }

        public int MinLength { get; }

        public int StoredLength { get; }

        public int? MaxLength { get; }

        /// <summary>The P2 reference VERIFY/CHANGE use; PKCS#15's default when absent is 0.</summary>
        public int? Reference { get; }

        public byte? PadChar { get; }

        public bool IsUnblockingPin => (Flags & PinFlags.UnblockingPin) != 0;

        public bool NeedsPadding => (Flags & PinFlags.NeedsPadding) != 0;

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "'{0}' reference {1}, length {2}-{3} (stored {4}), {5}",
                Label, Reference.HasValue ? Reference.Value.ToString("X2", CultureInfo.InvariantCulture) : "none", MinLength,
                MaxLength.HasValue ? MaxLength.Value.ToString(CultureInfo.InvariantCulture) : "?", StoredLength,
                NeedsPadding ? "padded with " + (PadChar ?? 0).ToString("X2", CultureInfo.InvariantCulture) : "unpadded");
    }
}
