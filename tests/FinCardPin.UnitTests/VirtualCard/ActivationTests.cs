namespace FinCardPin.UnitTests.VirtualCards
{
    using System;
    using FinCardPin.VirtualCard;
    using Xunit;

    public class ActivationTests
    {
        [Fact]
        public void Pre2026Unactivated_PinsBlockedAndNeverChanged()
        {
            var state = VirtualCardState.Pre2026Unactivated(VirtualCardProfile.IdentityThalesV5, "11223344", "1234567890");
            var card = Kit.Selected(state);

            Assert.Equal("6983", card.Tx("00200011"));
            Assert.Equal("6983", card.Tx("00200082"));
            Assert.Equal((0, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x11))));
            Assert.Equal((0, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x82))));
            Assert.Equal((5, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x83))));
            Assert.Equal("11223344", state.ActivationCode.Value);
        }

        [Fact]
        public void Pre2026Unactivated_UnblockWithActivationCode_ActivatesEachPin()
        {
            var card = Kit.Selected(VirtualCardState.Pre2026Unactivated(VirtualCardProfile.IdentityMultiAppV42, "11223344", "1"));

            Assert.Equal("9000", card.Tx(Kit.IdentityUnblock(0x11, "11223344", "2468")));
            Assert.Equal("6983", card.Tx("00200082"));
            Assert.Equal("9000", card.Tx(Kit.IdentityUnblock(0x82, "11223344", "135790")));

            Assert.Equal((5, 1), Kit.PinInfo(card.Tx(Kit.GetData(0x11))));
            Assert.Equal((5, 1), Kit.PinInfo(card.Tx(Kit.GetData(0x82))));
            Assert.Equal("63C5", card.Tx("00200011"));
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(0x82, "135790")));
        }

        [Fact]
        public void Pre2026Unactivated_OrganisationCard_TwoStepActivation()
        {
            var card = Kit.Selected(VirtualCardState.Pre2026Unactivated(VirtualCardProfile.OrganisationIdemiaCosmoX, "11223344", "1",
                VirtualCardVariant.Sote));

            // A never-activated organisation slot answers 6984 (ReFineID-Apple), not the blocked code's 6983.
            Assert.Equal("6984", card.Tx("00200004"));
            Assert.Equal("6984", card.Tx(Kit.OrgVerify(0x04, "4321")));
            Assert.Equal("9000", card.Tx(Kit.OrgVerify(0x12, "11223344")));
            Assert.Equal("9000", card.Tx(Kit.OrgUnblock(0x04, "4321")));
            Assert.Equal("63C5", card.Tx("00200004"));
        }

        [Fact]
        public void Pre2026Unactivated_CodeNot8Digits_Throws()
        {
            Assert.Throws<ArgumentException>(() => VirtualCardState.Pre2026Unactivated(VirtualCardProfile.IdentityThalesV5, "1122334", "1"));
        }

        [Fact]
        public void Unactivated2026_ProbeAnswers63C5AndDf2fIs00()
        {
            var state = VirtualCardState.Unactivated2026("7654321", "1234567890");
            var card = Kit.Selected(state);

            Assert.Equal(VirtualCardProfile.IdentityThales2025, state.Profile);
            Assert.Equal("63C5", card.Tx("00200011"));
            Assert.Equal("63C5", card.Tx("00200082"));
            Assert.Equal((5, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x11))));
            Assert.Equal((5, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x82))));
            Assert.Equal((5, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x83))));
            Assert.Equal("7654321", state.Pin1.Value);
            Assert.Equal("7654321", state.Pin2.Value);
            Assert.NotEqual("7654321", state.ActivationCode.Value); // the letter's code is no unblocking code
        }

        [Fact]
        public void Unactivated2026_ChangeWithActivationCode_ActivatesThePin()
        {
            var card = Kit.Selected(VirtualCardState.Unactivated2026("7654321", "1"));

            Assert.Equal("9000", card.Tx(Kit.IdentityChange(0x11, "7654321", "2468")));
            Assert.Equal((5, 1), Kit.PinInfo(card.Tx(Kit.GetData(0x11))));
            Assert.Equal((5, 0), Kit.PinInfo(card.Tx(Kit.GetData(0x82))));
            Assert.Equal("9000", card.Tx(Kit.IdentityChange(0x82, "7654321", "135790")));
            Assert.Equal((5, 1), Kit.PinInfo(card.Tx(Kit.GetData(0x82))));
        }

        [Fact]
        public void Unactivated2026_LettersCodeDoesNotUnblockAndCostsATry_TheOrderedCodeDoes()
        {
            var state = VirtualCardState.Unactivated2026("7654321", "1", "24681357");
            state.Pin1.TriesLeft = 0;
            var card = Kit.Selected(state);

            Assert.Equal("63C4", card.Tx(Kit.IdentityUnblock(0x11, "7654321", "2468")));
            Assert.Equal("9000", card.Tx(Kit.IdentityUnblock(0x11, "24681357", "2468")));
            Assert.Equal("2468", card.State.Pin1.Value);
        }

        [Fact]
        public void Unactivated2026_WithoutAnOrderedCode_TheUnblockingCodeIsNotTheLetters()
        {
            var state = VirtualCardState.Unactivated2026("7654321", "1");

            Assert.Equal("7654321", state.Pin1.Value);
            Assert.Equal("7654321", state.Pin2.Value);
            Assert.NotEqual("7654321", state.ActivationCode.Value);
            Assert.Equal(5, state.ActivationCode.TriesLeft);
        }

        [Fact]
        public void Unactivated2026_CodeNot7Digits_Throws()
        {
            Assert.Throws<ArgumentException>(() => VirtualCardState.Unactivated2026("76543210", "1"));
            Assert.Throws<ArgumentException>(() => VirtualCardState.Unactivated2026("765432a", "1"));
        }

        [Fact]
        public void Activated_NonDigitPin_Throws()
        {
            Assert.Throws<ArgumentException>(() => VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "12a4", "123456", "12345678", "1"));
        }
    }
}
