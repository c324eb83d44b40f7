using System;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.VirtualCard
{
    /// <summary>The card types the virtual card can imitate (ATRs as libelectronic-id and OpenSC's FinEID driver list them).</summary>
    internal enum VirtualCardProfile
    {
        /// <summary>Identity card, Gemalto MultiApp v3.0 (2017–2021).</summary>
        IdentityMultiAppV3,

        /// <summary>Identity card, Gemalto MultiApp v4.2 (2021–2023).</summary>
        IdentityMultiAppV42,

        /// <summary>Identity card, Thales MultiApp v5.0 (2023→).</summary>
        IdentityThalesV5,

        /// <summary>Identity card, the later Thales revision (OpenSC "FinEID 2025").</summary>
        IdentityThales2025,

        /// <summary>Organisation or SOTE card, IDEMIA ID.me (2019→).</summary>
        OrganisationIdemiaIdMe,

        /// <summary>Organisation or SOTE card, IDEMIA Cosmo X (~2025→).</summary>
        OrganisationIdemiaCosmoX,

        /// <summary>Organisation or SOTE card, Oberthur Cosmo v7 (until 2019).</summary>
        OrganisationOberthurCosmoV7,

        /// <summary>A generic ISO 7816 card without the PKCS-15 application (vsmartcard vicc's ATR).</summary>
        GenericIso,
    }

    /// <summary>
    /// Which kind of organisation-family card this is. The chip and ATR are the same; the card enforces a
    /// different PIN2 minimum (6 on organisation cards, 4 on SOTE cards). Ignored by identity and generic cards.
    /// </summary>
    internal enum VirtualCardVariant
    {
        Organisation,
        Sote,
    }

    /// <summary>The card family a profile belongs to: it decides the command set.</summary>
    internal enum VirtualCardFamily
    {
        Identity,
        Organisation,
        Generic,
    }

    /// <summary>Facts about each profile.</summary>
    internal static class VirtualCardProfiles
    {
        public static VirtualCardFamily FamilyOf(VirtualCardProfile profile)
        {
            switch (profile)
            {
                case VirtualCardProfile.IdentityMultiAppV3:
                case VirtualCardProfile.IdentityMultiAppV42:
                case VirtualCardProfile.IdentityThalesV5:
                case VirtualCardProfile.IdentityThales2025:
                    return VirtualCardFamily.Identity;
                case VirtualCardProfile.OrganisationIdemiaIdMe:
                case VirtualCardProfile.OrganisationIdemiaCosmoX:
                case VirtualCardProfile.OrganisationOberthurCosmoV7:
                    return VirtualCardFamily.Organisation;
                case VirtualCardProfile.GenericIso:
                    return VirtualCardFamily.Generic;
                default:
                    throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown virtual card profile.");
            }
        }

        /// <summary>The contact ATR of the profile (a new array each call).</summary>
        public static byte[] AtrOf(VirtualCardProfile profile)
        {
            switch (profile)
            {
                case VirtualCardProfile.IdentityMultiAppV3:
                    return Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 03 00 EF 12 00 F6 82 90 00");
                case VirtualCardProfile.IdentityMultiAppV42:
                    return Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 04 02 1B 12 00 F6 82 90 00");
                case VirtualCardProfile.IdentityThalesV5:
                    return Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00");
                case VirtualCardProfile.IdentityThales2025:
                    return Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 10 24 12 24 60 82 90 00");
                case VirtualCardProfile.OrganisationIdemiaIdMe:
                    return Hex.Parse("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48");
                case VirtualCardProfile.OrganisationIdemiaCosmoX:
                    return Hex.Parse("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 83 49");
                case VirtualCardProfile.OrganisationOberthurCosmoV7:
                    return Hex.Parse("3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 90 00 DA");
                case VirtualCardProfile.GenericIso:
                    return Hex.Parse("3B 95 13 81 01 80 73 FF 01 00 0B");
                default:
                    throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown virtual card profile.");
            }
        }
    }
}
