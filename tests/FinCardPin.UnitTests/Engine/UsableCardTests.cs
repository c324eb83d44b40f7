using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>"Is this a usable FINEID card", decided in one place from the reader's state (no command sent).</summary>
    public class UsableCardTests
    {
        private const string IdentityAtr = "3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00";
        private const string OrganisationAtr = "3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48";
        private const string ContactlessIdentityAtr = "3B 8F 80 01 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00 5A";
        private const string OtherAtr = "3B 95 13 81 01 80 73 FF 01 00 0B";

        private const string Reader = "HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00";

        private static ReaderSnapshot Holding(string atr) => new ReaderSnapshot(Reader, ReaderStates.Present, Hex.Parse(atr), 1);

        [Theory]
        [InlineData(IdentityAtr, CardKind.IdentityCard)]
        [InlineData(OrganisationAtr, CardKind.OrganisationOrSoteCard)]
        public void Require_FineidCardInAContactReader_GivesItsIdentity(string atr, CardKind kind)
        {
            var identity = UsableCard.Require(Holding(atr), CardOperation.OpenCard);

            Assert.Equal(kind, identity.Kind);
            Assert.True(identity.IsUsable);
            Assert.True(UsableCard.HoldsFineid(Holding(atr)));
        }

        [Fact]
        public void Require_EmptyReader_IsNoCardInReader_ForTheOperation()
        {
            var empty = new ReaderSnapshot(Reader, ReaderStates.Empty, System.Array.Empty<byte>(), 1);

            var error = Assert.Throws<NoCardException>(() => UsableCard.Require(empty, CardOperation.ChooseCard));

            Assert.Equal(ErrorIds.NoCardInReader, error.ErrorId);
            Assert.Equal(CardOperation.ChooseCard, error.Facts["operation"]);
            Assert.False(UsableCard.HoldsFineid(empty));
            Assert.Equal(CardKind.None, UsableCard.IdentityOf(empty).Kind);
        }

        [Fact]
        public void Require_OtherCard_IsNotFineid()
        {
            var error = Assert.Throws<FinCardPinException>(() => UsableCard.Require(Holding(OtherAtr), CardOperation.OpenCard));

            Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName);
            Assert.False(UsableCard.HoldsFineid(Holding(OtherAtr)));
        }

        /// <summary>A FINEID card seen contactless is a FINEID card (chosen as one, so the refusal says why), but not usable.</summary>
        [Fact]
        public void Require_ContactlessFineid_IsRefusedAsContactless_ButHeldAsFineid()
        {
            var error = Assert.Throws<FinCardPinException>(() => UsableCard.Require(Holding(ContactlessIdentityAtr), CardOperation.OpenCard));

            Assert.Equal(ErrorIds.ContactlessNotSupported, error.ErrorId);
            Assert.True(UsableCard.HoldsFineid(Holding(ContactlessIdentityAtr)));
            Assert.False(UsableCard.IdentityOf(Holding(ContactlessIdentityAtr)).IsUsable);
        }
    }
}
