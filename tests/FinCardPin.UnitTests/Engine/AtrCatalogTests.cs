using System;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>The ATRs that libelectronic-id and OpenSC list, the Thales v5 mask, the family markers and the non-FINEID cases.</summary>
    public class AtrCatalogTests
    {
        [Theory]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 03 00 EF 12 00 F6 82 90 00", CardKind.IdentityCard, "Gemalto MultiApp v3.0")]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 04 02 1B 12 00 F6 82 90 00", CardKind.IdentityCard, "Gemalto MultiApp v4.2")]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00", CardKind.IdentityCard, "Thales MultiApp v5.0")]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 05 10 24 12 24 60 82 90 00", CardKind.IdentityCard, "Thales MultiApp v5.0 (2025 revision)")]
        [InlineData("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48", CardKind.OrganisationOrSoteCard, "IDEMIA ID.me")]
        [InlineData("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 83 49", CardKind.OrganisationOrSoteCard, "IDEMIA Cosmo X")]
        [InlineData("3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 90 00 DA", CardKind.OrganisationOrSoteCard, "Oberthur Cosmo v7")]
        public void Identify_KnownAtr_GivesKindAndChip(string atr, CardKind kind, string chip)
        {
            var identity = AtrCatalog.Identify(Hex.Parse(atr));

            Assert.Equal(kind, identity.Kind);
            Assert.Equal(chip, identity.Chip);
            Assert.True(identity.IsFineid);
            Assert.False(identity.IsContactless);
        }

        [Fact]
        public void KnownAtrs_AreTheSevenOfTheReference()
        {
            var known = AtrCatalog.KnownAtrs().ToArray();

            Assert.Equal(7, known.Length);
            Assert.Equal(7, known.Distinct(StringComparer.Ordinal).Count());
            Assert.Contains("3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 90 00 DA", known);
        }

        [Theory]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00", 12, 0x20)]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00", 13, 0x99)]
        public void Identify_ThalesV5MaskByte12Or13Varied_IsIdentityCardOfThalesV5(string baseAtr, int index, byte value)
        {
            var atr = Hex.Parse(baseAtr);
            atr[index] = value;

            var identity = AtrCatalog.Identify(atr);

            Assert.Equal(CardKind.IdentityCard, identity.Kind);
            Assert.NotNull(identity.Chip);
            Assert.Contains("Thales MultiApp v5", identity.Chip, StringComparison.Ordinal);
        }

        [Fact]
        public void Identify_ThalesV5MaskBoth12And13Varied_IsIdentityCardOfThalesV5()
        {
            var atr = Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 33 44 12 24 60 82 90 00");

            var identity = AtrCatalog.Identify(atr);

            Assert.Equal(CardKind.IdentityCard, identity.Kind);
            Assert.Contains("Thales MultiApp v5", identity.Chip, StringComparison.Ordinal);
        }

        [Fact]
        public void Identify_V5WithAnotherByteVaried_IsNotTheMaskButStillTheIdentityFamily()
        {
            // byte 15 is outside the mask; the family marker (80 31 B8 65 B0 85 05) still says identity card
            var identity = AtrCatalog.Identify(Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 25 60 82 90 00"));

            Assert.Equal(CardKind.IdentityCard, identity.Kind);
            Assert.Null(identity.Chip);
        }

        [Theory]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 04 07 07 12 00 F6 82 90 00")]
        [InlineData("3B 7F 18 00 00 80 31 B8 65 B0 85 03 01 01 12 00 F6 82 90 00")]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 05 77 77 12 30 60 82 90 00 00")]
        public void Identify_IdentityFamilyMarkerUnknownRevision_IsIdentityCard(string atr)
        {
            var identity = AtrCatalog.Identify(Hex.Parse(atr));

            Assert.Equal(CardKind.IdentityCard, identity.Kind);
            Assert.True(identity.IsFineid);
            Assert.False(identity.IsContactless);
        }

        [Theory]
        [InlineData("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 83 4A")]
        [InlineData("3B DD 18 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 11")]
        [InlineData("3B DF 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 83 90 00 DB")]
        public void Identify_OrganisationFamilyMarkerUnknownRevision_IsOrganisationCard(string atr)
        {
            var identity = AtrCatalog.Identify(Hex.Parse(atr));

            Assert.Equal(CardKind.OrganisationOrSoteCard, identity.Kind);
            Assert.True(identity.IsFineid);
        }

        [Theory]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85 06 00 11 12 24 60 82 90 00")]
        [InlineData("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 84 48")]
        [InlineData("3B 7F 96 00 00 80 31 B8 65 B0 85")]
        public void Identify_FamilyMarkerWithUnknownGeneration_IsOtherCard(string atr)
        {
            Assert.Equal(CardKind.OtherCard, AtrCatalog.Identify(Hex.Parse(atr)).Kind);
        }

        [Theory]
        [InlineData("00")]
        [InlineData("01")]
        [InlineData("5A")]
        [InlineData("FF")]
        public void Identify_ContactlessPseudoAtr_IsContactlessIdentityCard(string lastByte)
        {
            var identity = AtrCatalog.Identify(Hex.Parse("3B 8F 80 01 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00 " + lastByte));

            Assert.True(identity.IsContactless);
            Assert.Equal(CardKind.IdentityCard, identity.Kind);
        }

        [Fact]
        public void Identify_ViccAtr_IsOtherCard()
        {
            var identity = AtrCatalog.Identify(Hex.Parse("3B 95 13 81 01 80 73 FF 01 00 0B"));

            Assert.Equal(CardKind.OtherCard, identity.Kind);
            Assert.False(identity.IsFineid);
            Assert.False(identity.IsContactless);
        }

        [Fact]
        public void Identify_ContactlessOtherCard_IsOtherButContactless()
        {
            var identity = AtrCatalog.Identify(Hex.Parse("3B 88 80 01 00 00 00 00 00 00 00 00 09"));

            Assert.Equal(CardKind.OtherCard, identity.Kind);
            Assert.True(identity.IsContactless);
        }

        [Fact]
        public void Identify_Empty_IsNone()
        {
            var identity = AtrCatalog.Identify(Array.Empty<byte>());

            Assert.Equal(CardKind.None, identity.Kind);
            Assert.False(identity.IsFineid);
            Assert.Null(identity.Chip);
        }

        [Fact]
        public void Identify_Null_IsNone()
        {
            Assert.Equal(CardKind.None, AtrCatalog.Identify(null!).Kind);
        }
    }
}
