using FinCardPin.VirtualCard;
using Xunit;

namespace FinCardPin.UnitTests.VirtualCard
{
    /// <summary>The FailAfterInstruction fault: answers as usual until its count, then fails every command as asked.</summary>
    public sealed class FailAfterFaultTests
    {
        private static readonly byte[] SelectApplication = { 0x00, 0xA4, 0x04, 0x0C, 0x0C, 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35 };
        private static readonly byte[] SelectTokenInfo = { 0x00, 0xA4, 0x02, 0x0C, 0x02, 0x50, 0x32 };
        private static readonly byte[] ReadFirstPiece = { 0x00, 0xB0, 0x00, 0x00, 0x10 };

        private static FinCardPin.VirtualCard.VirtualFineidCard Card(string mode)
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThales2025, "1234", "123456", "12345678", "999000010");
            state.Faults.FailAfterInstruction = "B0";
            state.Faults.FailAfterMode = mode;
            var card = new FinCardPin.VirtualCard.VirtualFineidCard(state);
            card.PowerOn();
            return card;
        }

        [Theory]
        [InlineData("Remove", null)]
        [InlineData("Silent", new byte[0])]
        [InlineData("NoStatusWord", new byte[] { 0x90 })]
        [InlineData("TooLong", new byte[] { 0x61, 0x01 })]
        public void AfterTheFirstAnswer_EveryCommandFailsAsAsked(string mode, byte[]? expected)
        {
            var card = Card(mode);
            Assert.Equal(new byte[] { 0x90, 0x00 }, card.Transmit(SelectApplication));
            Assert.Equal(new byte[] { 0x90, 0x00 }, card.Transmit(SelectTokenInfo));
            var first = card.Transmit(ReadFirstPiece)!;
            Assert.Equal(0x10 + 2, first.Length);

            Assert.Equal(expected, card.Transmit(SelectTokenInfo));
            Assert.Equal(mode == "Remove", card.IsRemoved);
        }

        [Fact]
        public void SelectingTheApplication_StartsTheCountAgain()
        {
            var card = Card("NoStatusWord");
            card.Transmit(SelectApplication);
            card.Transmit(SelectTokenInfo);
            card.Transmit(ReadFirstPiece);
            Assert.Equal(new byte[] { 0x90 }, card.Transmit(ReadFirstPiece));

            Assert.Equal(new byte[] { 0x90, 0x00 }, card.Transmit(SelectApplication));
            Assert.Equal(new byte[] { 0x90, 0x00 }, card.Transmit(SelectTokenInfo));
            Assert.Equal(0x10 + 2, card.Transmit(ReadFirstPiece)!.Length);
        }
    }
}
