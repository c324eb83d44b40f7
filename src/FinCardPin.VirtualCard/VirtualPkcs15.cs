using System;
using System.Collections.Generic;
using System.Text;

namespace FinCardPin.VirtualCard
{
    /// <summary>One PIN object the virtual card lists in its AODF (PKCS#15 v1.1 PinAttributes).</summary>
    internal sealed class VirtualPinObject
    {
        public string Label { get; set; } = string.Empty;

        public byte AuthId { get; set; }

        /// <summary>The authId of the code that unblocks this one (0: none).</summary>
        public byte UnblockedBy { get; set; }

        public byte Reference { get; set; }

        public int MinLength { get; set; }

        public int StoredLength { get; set; }

        public int MaxLength { get; set; }

        public bool Local { get; set; }

        public bool NeedsPadding { get; set; }

        public bool Unblocking { get; set; }

        /// <summary>The padding byte (written only when <see cref="NeedsPadding"/> is set).</summary>
        public byte PadChar { get; set; }
    }

    /// <summary>
    /// The PKCS#15 files the virtual card serves in its application: EF.ODF (5031), the AODF (4401) and EF.TokenInfo
    /// (5032). Built from what public sources say about FINEID cards: the PIN references, padding and lengths
    /// (identity card: 11/82/83, ASCII padded with 00 to 12 — libelectronic-id, OpenSC, DigiDoc;
    /// organisation/SOTE: 03/04/12 unpadded — ReFineID), 5031/5032 as PKCS#15 and OpenSC's FinEID code name them. The
    /// AODF's file id 4401 and the labels are this card's own choice: no public source gives the real ones.
    /// </summary>
    internal static class VirtualPkcs15
    {
        public static readonly byte[] AodfFileId = { 0x44, 0x01 };

        /// <summary>EF.ODF: authObjects [8] → the AODF's path.</summary>
        public static byte[] Odf() => Der(0xA8, Der(0x30, Der(0x04, AodfFileId)));

        /// <summary>The PIN objects that describe a card of this state, as the public sources describe the family.</summary>
        public static IReadOnlyList<VirtualPinObject> PinObjectsOf(VirtualCardState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var identity = state.Family == VirtualCardFamily.Identity;
            var organisation = state.OrganisationPinReferences;
            return new[]
            {
                Describe("PIN1", 0x01, identity ? (byte)0x11 : organisation.Pin1, state.Pin1, identity, local: false),
                Describe("PIN2", 0x02, identity ? (byte)0x82 : organisation.Pin2, state.Pin2, identity, local: true),
                Describe("PUK", 0x03, identity ? (byte)0x83 : (byte)0x12, state.ActivationCode, identity, local: true, unblocking: true),
            };
        }

        /// <summary>An AODF listing these PIN objects.</summary>
        public static byte[] Aodf(IEnumerable<VirtualPinObject> pins)
        {
            if (pins == null)
            {
                throw new ArgumentNullException(nameof(pins));
            }

            var file = new List<byte>();
            foreach (var pin in pins)
            {
                file.AddRange(PinObject(pin));
            }

            return file.ToArray();
        }

        /// <summary>
        /// EF.TokenInfo: version, serial, manufacturer, label, token flags and, on the chips whose real files are long
        /// (OpenSC's FinEID 2025 code reads from offset 4: a long-form header), a list of supported algorithms long
        /// enough that the file needs a long-form length and, at 0xC0 bytes per read, more than one READ BINARY.
        /// </summary>
        public static byte[] TokenInfo(VirtualCardState state)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }

            var body = new List<byte>();
            body.AddRange(Der(0x02, new byte[] { 0x00 }));
            body.AddRange(Der(0x04, Encoding.ASCII.GetBytes(state.Serial)));
            body.AddRange(Der(0x0C, Encoding.UTF8.GetBytes("DVV")));
            body.AddRange(Der(0x80, Encoding.UTF8.GetBytes(state.TokenLabel ?? "FINEID")));
            body.AddRange(Der(0x03, new byte[] { 0x06, 0x40 })); // tokenflags: loginRequired
            var algorithms = AlgorithmCount(state.Profile);
            if (algorithms > 0)
            {
                var list = new List<byte>();
                for (var i = 1; i <= algorithms; i++)
                {
                    // AlgorithmInfo { reference, algorithm, parameters NULL, supportedOperations, objId rsaEncryption, algRef }
                    var info = new List<byte>();
                    info.AddRange(Der(0x02, new[] { (byte)i }));
                    info.AddRange(Der(0x02, new byte[] { 0x01 }));
                    info.AddRange(new byte[] { 0x05, 0x00 });
                    info.AddRange(Der(0x03, new byte[] { 0x06, 0x40 }));
                    info.AddRange(Der(0x06, new byte[] { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 }));
                    info.AddRange(Der(0x02, new[] { (byte)(0x10 + i) }));
                    list.AddRange(Der(0x30, info.ToArray()));
                }

                body.AddRange(Der(0xA2, list.ToArray()));
            }

            return Der(0x30, body.ToArray());
        }

        // Thales 2025 gets a file over 255 bytes (30 82 xx xx); the IDEMIA Cosmo X one over 0xC0 bytes (30 81 xx).
        private static int AlgorithmCount(VirtualCardProfile profile)
        {
            switch (profile)
            {
                case VirtualCardProfile.IdentityThales2025:
                    return 12;
                case VirtualCardProfile.OrganisationIdemiaCosmoX:
                    return 7;
                default:
                    return 0;
            }
        }

        private static VirtualPinObject Describe(string label, byte authId, byte reference, VirtualPinState code, bool identity, bool local,
            bool unblocking = false) =>
            new VirtualPinObject
            {
                Label = label,
                AuthId = authId,
                UnblockedBy = unblocking ? (byte)0 : (byte)0x03,
                Reference = reference,
                MinLength = code.MinLength,
                MaxLength = code.MaxLength,
                StoredLength = identity ? 12 : code.MaxLength,
                Local = local,
                NeedsPadding = identity,
                Unblocking = unblocking,
                PadChar = 0x00,
            };

        private static byte[] PinObject(VirtualPinObject pin)
        {
            var common = new List<byte>();
            common.AddRange(Der(0x0C, Encoding.UTF8.GetBytes(pin.Label)));
            common.AddRange(Der(0x03, new byte[] { 0x06, 0x40 })); // CommonObjectFlags: modifiable
            if (pin.UnblockedBy != 0)
            {
                common.AddRange(Der(0x04, new[] { pin.UnblockedBy }));
            }

            // PinFlags, bit 0 first: local (1), initialized (4), needs-padding (5), unblockingPin (6).
            var flags = (byte)((pin.Local ? 0x40 : 0) | 0x08 | (pin.NeedsPadding ? 0x04 : 0) | (pin.Unblocking ? 0x02 : 0));
            var unused = 0;
            while (unused < 7 && (flags & (1 << unused)) == 0)
            {
                unused++;
            }

            var attributes = new List<byte>();
            attributes.AddRange(Der(0x03, new[] { (byte)unused, flags }));
            attributes.AddRange(Der(0x0A, new byte[] { 0x01 })); // ascii-numeric
            attributes.AddRange(Der(0x02, new[] { (byte)pin.MinLength }));
            attributes.AddRange(Der(0x02, new[] { (byte)pin.StoredLength }));
            attributes.AddRange(Der(0x02, new[] { (byte)pin.MaxLength }));
            attributes.AddRange(Der(0x80, new[] { pin.Reference }));
            if (pin.NeedsPadding)
            {
                attributes.AddRange(Der(0x04, new[] { pin.PadChar }));
            }

            var body = new List<byte>();
            body.AddRange(Der(0x30, common.ToArray()));
            body.AddRange(Der(0x30, Der(0x04, new[] { pin.AuthId })));
            body.AddRange(Der(0xA1, Der(0x30, attributes.ToArray())));
            return Der(0x30, body.ToArray());
        }

        internal static byte[] Der(byte tag, byte[] value)
        {
            var result = new List<byte>(value.Length + 4) { tag };
            if (value.Length < 0x80)
            {
                result.Add((byte)value.Length);
            }
            else if (value.Length <= 0xFF)
            {
                result.Add(0x81);
                result.Add((byte)value.Length);
            }
            else
            {
                result.Add(0x82);
                result.Add((byte)(value.Length >> 8));
                result.Add((byte)value.Length);
            }

            result.AddRange(value);
            return result.ToArray();
        }
    }
}
