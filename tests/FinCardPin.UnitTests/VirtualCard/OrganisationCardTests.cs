namespace FinCardPin.UnitTests.VirtualCards
{
    using FinCardPin.VirtualCard;
    using Xunit;

    public class OrganisationCardTests
    {
        private const byte Pin1 = 0x03;
        private const byte Pin2 = 0x04;
        private const byte ActivationCode = 0x12;

        [Fact]
        public void SelectAndReadTokenInfo_AsOnAnIdentityCard()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("9000", card.Tx(Kit.SelectTokenInfo));

            string answer = card.Tx("00B0000000");

            Assert.Equal("3020020100040A" + Kit.Ascii("9876543210") + "0C03" + Kit.Ascii("DVV") + "8006" + Kit.Ascii("FINEID") + "03020640" + "9000", answer);
            Assert.Equal("6A82", card.Tx("00A4040C0CA000000063504B43532D3136"));
        }

        [Theory]
        [InlineData("00200011")]
        [InlineData("00200082")]
        [InlineData("00200083")]
        public void Probe_IdentityReference_Returns6A88(string command)
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6A88", card.Tx(command));
        }

        [Fact]
        public void IdentityPaddedCommands_Return6A88()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6A88", card.Tx(Kit.IdentityVerify(0x11, "1234")));
            Assert.Equal("6A88", card.Tx(Kit.IdentityChange(0x82, "123456", "654321")));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
            Assert.Equal(5, card.State.Pin2.TriesLeft);
        }

        [Fact]
        public void GetData_NoIdentityPinContainer_IsRefused()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6A86", card.Tx(Kit.GetData(0x11)));
            Assert.Equal("6A86", card.Tx(Kit.GetData(0x03)));
        }

        [Fact]
        public void Verify_BeforeSelect_Returns6982()
        {
            var card = new VirtualFineidCard(Kit.Organisation());
            Assert.Equal("6982", card.Tx("00200003"));
        }

        [Fact]
        public void Probe_Fresh_Returns63C5ForEveryCode()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("63C5", card.Tx("00200003"));
            Assert.Equal("63C5", card.Tx("00200004"));
            Assert.Equal("63C5", card.Tx("00200012"));
        }

        [Fact]
        public void Verify_RightUnpaddedPin_Returns9000AndProbe9000()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(Pin2, "123456")));
            Assert.Equal("9000", card.Tx("00200004"));
            Assert.Equal("63C5", card.Tx("00200003"));
        }

        [Fact]
        public void Verify_WrongPin_DecrementsTo63C0ThenBlocked()
        {
            var card = Kit.Selected(Kit.Organisation());
            for (int i = 4; i >= 0; i--)
            {
                Assert.Equal("63C" + i, card.Tx(Kit.OrgVerify(Pin1, "4321")));
            }

            Assert.Equal("6983", card.Tx(Kit.OrgVerify(Pin1, "1234")));
            Assert.Equal("6983", card.Tx("00200003"));
        }

        [Fact]
        public void Verify_PaddedOrTooLongData_Returns6700WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6700", card.Tx(Kit.IdentityVerify(Pin1, "1234")));
            Assert.Equal("6700", card.Tx(Kit.OrgVerify(Pin1, "123456789")));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Verify_NonDigits_Returns6A80()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6A80", card.Tx("002000030431323341"));
        }

        [Fact]
        public void Change_UnpaddedConcatenated_SplitsAtStoredLength()
        {
            var card = Kit.Selected(Kit.Organisation());

            Assert.Equal("9000", card.Tx(Kit.OrgChange(Pin1, "1234", "567890")));

            Assert.Equal("567890", card.State.Pin1.Value);
            Assert.True(card.State.Pin1.Changed);
            Assert.Equal("63C5", card.Tx("00200003")); // CHANGE leaves the code unverified (IAS-ECC 9.4.2)
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(Pin1, "567890")));
        }

        [Fact]
        public void Change_WrongCurrent_Decrements()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("63C4", card.Tx(Kit.OrgChange(Pin1, "4321", "5678")));
            Assert.Equal("1234", card.State.Pin1.Value);
        }

        [Fact]
        public void Change_DataNotLongerThanStoredPin_Returns6700WithoutDecrement()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6700", card.Tx(Kit.OrgVerify(Pin1, "1234").Replace("00200003", "00240003")));
            Assert.Equal(5, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Change_SameValue_Returns6985()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6985", card.Tx(Kit.OrgChange(Pin1, "1234", "1234")));
        }

        [Fact]
        public void Change_Pin2ShorterThan6OnOrganisationCard_Returns6A80()
        {
            var card = Kit.Selected(Kit.Organisation(VirtualCardVariant.Organisation));
            Assert.Equal("6A80", card.Tx(Kit.OrgChange(Pin2, "123456", "4321")));
            Assert.Equal("123456", card.State.Pin2.Value);
            Assert.Equal(5, card.State.Pin2.TriesLeft);
        }

        [Fact]
        public void Change_Pin2Of4DigitsOnSoteCard_Succeeds()
        {
            var state = Kit.Organisation(VirtualCardVariant.Sote);
            Assert.Equal(4, state.Pin2.MinLength);
            var card = Kit.Selected(state);

            Assert.Equal("9000", card.Tx(Kit.OrgChange(Pin2, "123456", "4321")));
            Assert.Equal("4321", card.State.Pin2.Value);
        }

        [Fact]
        public void Change_NewLongerThan8_Returns6A80()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6A80", card.Tx(Kit.OrgChange(Pin1, "1234", "123456789")));
        }

        [Fact]
        public void Unblock_WithoutVerifiedActivationCode_Returns6982()
        {
            var state = Kit.Organisation();
            state.Pin1.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("6982", card.Tx(Kit.OrgUnblock(Pin1, "4321")));
            Assert.Equal(0, card.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Unblock_TwoSteps_SetsPinAndClearsActivationCodeVerified()
        {
            var state = Kit.Organisation();
            state.Pin1.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("9000", card.Tx(Kit.OrgVerify(ActivationCode, "12345678")));
            Assert.Equal("9000", card.Tx("00200012"));
            Assert.Equal("9000", card.Tx(Kit.OrgUnblock(Pin1, "4321")));

            Assert.Equal("4321", card.State.Pin1.Value);
            Assert.Equal(5, card.State.Pin1.TriesLeft);
            Assert.True(card.State.Pin1.Changed);
            Assert.Equal("63C5", card.Tx("00200012"));
            Assert.Equal("6982", card.Tx(Kit.OrgUnblock(Pin1, "5555")));
        }

        [Fact]
        public void Unblock_WrongActivationCode_DecrementsActivationCodeAndStaysLocked()
        {
            var state = Kit.Organisation();
            state.Pin2.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("63C4", card.Tx(Kit.OrgVerify(ActivationCode, "87654321")));

            Assert.Equal(4, card.State.ActivationCode.TriesLeft);
            Assert.Equal("6982", card.Tx(Kit.OrgUnblock(Pin2, "654321")));
        }

        [Fact]
        public void Unblock_ActivationCodeBlocked_Returns6983()
        {
            var state = Kit.Organisation();
            state.ActivationCode.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("6983", card.Tx(Kit.OrgVerify(ActivationCode, "12345678")));
            Assert.Equal("6983", card.Tx("00200012"));
        }

        [Fact]
        public void Unblock_SelectBetweenTheSteps_LosesActivationCodeVerification()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(ActivationCode, "12345678")));
            Assert.Equal("9000", card.Tx(Kit.SelectApp));

            Assert.Equal("6982", card.Tx(Kit.OrgUnblock(Pin1, "4321")));
        }

        [Fact]
        public void Unblock_BadNewLength_Returns6A80()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(ActivationCode, "12345678")));
            Assert.Equal("6A80", card.Tx(Kit.OrgUnblock(Pin2, "12345")));
            Assert.Equal("123456", card.State.Pin2.Value);
        }

        [Fact]
        public void Unblock_IdentityStyleP1_Returns6A86()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(ActivationCode, "12345678")));
            Assert.Equal("6A86", card.Tx("002C000304" + Kit.Ascii("4321")));
        }

        [Fact]
        public void UnknownInstructionAndClass_Return6D00And6E00()
        {
            var card = Kit.Selected(Kit.Organisation());
            Assert.Equal("6D00", card.Tx("0022F3B6"));
            Assert.Equal("6E00", card.Tx("B0200003"));
        }
    }

    public class ProfileTests
    {
        [Theory]
        [InlineData(VirtualCardProfile.IdentityMultiAppV3, "3B7F9600008031B865B0850300EF1200F6829000", VirtualCardFamily.Identity)]
        [InlineData(VirtualCardProfile.IdentityMultiAppV42, "3B7F9600008031B865B08504021B1200F6829000", VirtualCardFamily.Identity)]
        [InlineData(VirtualCardProfile.IdentityThalesV5, "3B7F9600008031B865B085050011122460829000", VirtualCardFamily.Identity)]
        [InlineData(VirtualCardProfile.IdentityThales2025, "3B7F9600008031B865B085051024122460829000", VirtualCardFamily.Identity)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe, "3BDD96008031FE450031B8640429ECC1739401808248", VirtualCardFamily.Organisation)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX, "3BDD96008031FE450031B8640429ECC1739401808349", VirtualCardFamily.Organisation)]
        [InlineData(VirtualCardProfile.OrganisationOberthurCosmoV7, "3BDF96008031FE450031B8640429ECC173940180829000DA", VirtualCardFamily.Organisation)]
        [InlineData(VirtualCardProfile.GenericIso, "3B951381018073FF01000B", VirtualCardFamily.Generic)]
        internal void Atr_EachProfile_MatchesTheReference(VirtualCardProfile profile, string atr, VirtualCardFamily family)
        {
            var state = VirtualCardState.Activated(profile, "1234", "123456", "12345678", "1");
            Assert.Equal(atr, System.Convert.ToHexString(new VirtualFineidCard(state).Atr));
            Assert.Equal(family, state.Family);
        }

        [Fact]
        public void GenericCard_SelectAid6A82_OtherInstructions6D00()
        {
            var card = new VirtualFineidCard(VirtualCardState.Activated(VirtualCardProfile.GenericIso, "1234", "123456", "12345678", "1"));
            Assert.Equal("6A82", card.Tx(Kit.SelectApp));
            Assert.Equal("6D00", card.Tx("00200011"));
            Assert.Equal("6D00", card.Tx(Kit.GetData(0x11)));
            Assert.Equal("6D00", card.Tx("00B0000000"));
        }

        [Fact]
        public void IdentityDefaults_LengthLimits4To12And6To12()
        {
            var state = Kit.Identity();
            Assert.Equal((4, 12), (state.Pin1.MinLength, state.Pin1.MaxLength));
            Assert.Equal((6, 12), (state.Pin2.MinLength, state.Pin2.MaxLength));
            Assert.Equal(5, state.Pin1.MaxTries);
            Assert.Equal(5, state.ActivationCode.MaxTries);
        }
    }
}
