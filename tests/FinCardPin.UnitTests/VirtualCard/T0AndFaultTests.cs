namespace FinCardPin.UnitTests.VirtualCards
{
    using System.IO;
    using System.Linq;
    using FinCardPin.VirtualCard;
    using Xunit;

    public class T0Tests
    {
        private const string PinInfoAnswer = "A0238301118C04F00000009C04F0000000DF210405FFA503DF2702FFFFDF28010CDF2F0101";

        private static VirtualFineidCard T0Card()
        {
            var state = Kit.Identity();
            state.T0 = true;
            return Kit.Selected(state);
        }

        [Fact]
        public void GetData_T0_Returns61LengthThenGetResponseGivesData()
        {
            var card = T0Card();

            Assert.Equal("6125", card.Tx("00CB00FF05A003830111"));
            Assert.Equal(PinInfoAnswer + "9000", card.Tx("00C0000025"));
        }

        [Fact]
        public void GetData_T0WithLe_Still61xx()
        {
            var card = T0Card();
            Assert.Equal("6125", card.Tx(Kit.GetData(0x11)));
        }

        [Fact]
        public void GetResponse_ShorterLe_ReturnsPartAnd61Rest()
        {
            var card = T0Card();
            card.Tx(Kit.GetData(0x11));

            Assert.Equal(PinInfoAnswer[..32] + "6115", card.Tx("00C0000010"));
            Assert.Equal(PinInfoAnswer[32..] + "9000", card.Tx("00C0000015"));
            Assert.Equal("6985", card.Tx("00C0000015"));
        }

        [Fact]
        public void GetResponse_LongerLe_Returns6CWithTheLength()
        {
            var card = T0Card();
            card.Tx(Kit.GetData(0x11));

            Assert.Equal("6C25", card.Tx("00C0000030"));
            Assert.Equal("6C25", card.Tx("00C0000000"));
            Assert.Equal(PinInfoAnswer + "9000", card.Tx("00C0000025"));
        }

        [Fact]
        public void GetResponse_NothingPending_Returns6985()
        {
            var card = T0Card();
            Assert.Equal("6985", card.Tx("00C0000010"));
        }

        [Fact]
        public void GetResponse_AfterAnotherCommand_NothingPending()
        {
            var card = T0Card();
            card.Tx(Kit.GetData(0x11));
            Assert.Equal("63C5", card.Tx("00200011"));

            Assert.Equal("6985", card.Tx("00C0000025"));
        }

        [Fact]
        public void ReadBinary_T0LePastTheEnd_Returns6CAvailableAndAShorterLeGivesThatMany()
        {
            var card = T0Card();
            card.Tx(Kit.SelectTokenInfo);

            Assert.Equal("6C22", card.Tx("00B0000000"));
            Assert.Equal(16 + 2, card.Tx("00B0000010").Length / 2);
            string data = card.Tx("00B0000022");

            Assert.StartsWith("3020", data);
            Assert.EndsWith("9000", data);
            Assert.Equal(36, data.Length / 2);
            Assert.Equal("6C0A", card.Tx("00B0001800"));
        }

        [Fact]
        public void PinCommands_T0_AnswerPlainStatusWords()
        {
            var card = T0Card();
            Assert.Equal("63C5", card.Tx("00200011"));
            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(0x11, "1234")));
            Assert.Equal("63C4", card.Tx(Kit.IdentityChange(0x82, "000000", "654321")));
        }

        [Fact]
        public void GetData_T1_DataAtOnce()
        {
            var card = Kit.Selected(Kit.Identity());
            Assert.Equal(PinInfoAnswer + "9000", card.Tx(Kit.GetData(0x11)));
        }
    }

    public class FaultTests
    {
        [Fact]
        public void RemoveOnInstruction_VanishesBeforeProcessing()
        {
            using var folder = new TempFolder();
            var state = Kit.Identity();
            state.Faults.RemoveOnInstruction = "24";
            string path = folder.Save(state);
            string before = File.ReadAllText(path);
            var card = Kit.Selected(VirtualCardState.Load(path), path, folder.File("apdu.log"));
            Assert.Equal("63C5", card.Tx("00200011"));

            Assert.Equal("REMOVED", card.Tx(Kit.IdentityChange(0x11, "1234", "5678")));

            Assert.True(card.IsRemoved);
            Assert.Equal("REMOVED", card.Tx("00200011"));
            Assert.Equal(before, File.ReadAllText(path));
            var saved = VirtualCardState.Load(path);
            Assert.Equal("1234", saved.Pin1.Value);
            Assert.Equal(5, saved.Pin1.TriesLeft);
            string[] log = File.ReadAllLines(folder.File("apdu.log"));
            Assert.Equal("# removed", log.Last());
            Assert.Equal(3, log.Count(l => !l.StartsWith('#')));
        }

        [Fact]
        public void RemoveOnInstruction_OtherInstructions_Work()
        {
            var state = Kit.Identity();
            state.Faults.RemoveOnInstruction = "2C";
            var card = Kit.Selected(state);

            Assert.Equal("9000", card.Tx(Kit.IdentityVerify(0x11, "1234")));
            Assert.False(card.IsRemoved);
        }

        [Fact]
        public void AnswerMoreDataForever_EveryAnswerAndGetResponseIs6101()
        {
            var state = Kit.Identity();
            state.Faults.AnswerMoreDataForever = true;
            var card = new VirtualFineidCard(state);

            Assert.Equal("6101", card.Tx(Kit.SelectApp));
            Assert.Equal("6101", card.Tx(Kit.GetData(0x11)));
            for (int i = 0; i < 100; i++)
            {
                string answer = card.Tx("00C0000001");
                Assert.Equal(6, answer.Length);
                Assert.EndsWith("6101", answer);
            }

            Assert.Equal("6101", card.Tx(Kit.IdentityVerify(0x11, "0000")));
            Assert.Equal(5, state.Pin1.TriesLeft);
        }

        [Fact]
        public void AnswerInstruction_AnswersTheStatusWordWithoutExecuting()
        {
            var state = Kit.Identity();
            state.Faults.AnswerInstruction = "20";
            state.Faults.AnswerStatusWord = "6C0C";
            var card = Kit.Selected(state);

            Assert.Equal("6C0C", card.Tx(Kit.IdentityVerify(0x11, "0000")));
            Assert.Equal("6C0C", card.Tx(Kit.IdentityVerify(0x11, "0000")));
            Assert.Equal(5, state.Pin1.TriesLeft);
        }

        [Fact]
        public void AnswerInstruction_OnlyCommandsWithDataAndOnlyTimes_ThenTheCardBehaves()
        {
            var state = Kit.Identity();
            state.Faults.AnswerInstruction = "24";
            state.Faults.AnswerStatusWord = "6C08";
            state.Faults.AnswerOnlyCommandsWithData = true;
            state.Faults.AnswerTimes = 1;
            var card = Kit.Selected(state);

            Assert.Equal("6C08", card.Tx(Kit.IdentityChange(0x11, "0000", "5678")));
            Assert.Equal("63C4", card.Tx(Kit.IdentityChange(0x11, "0000", "5678")));
            Assert.Equal(4, state.Pin1.TriesLeft);
        }

        [Fact]
        public void AnswerInstruction_NotAHexStatusWord_IsInvalidData()
        {
            var state = Kit.Identity();
            state.Faults.AnswerInstruction = "20";
            state.Faults.AnswerStatusWord = "oops";
            var card = Kit.Selected(state);

            Assert.Throws<InvalidDataException>(() => card.Tx(Kit.IdentityVerify(0x11, "1234")));
        }

        [Fact]
        public void LoseAnswerOnInstruction_ExecutesThenVanishes()
        {
            using var folder = new TempFolder();
            var state = Kit.Organisation();
            state.Faults.LoseAnswerOnInstruction = "24";
            string path = folder.Save(state);
            var card = Kit.Selected(VirtualCardState.Load(path), path, folder.File("apdu.log"));

            Assert.Equal("9000", card.Tx(Kit.OrgVerify(0x03, "1234")));
            Assert.Equal("REMOVED", card.Tx(Kit.OrgChange(0x03, "1234", "567890")));

            Assert.True(card.IsRemoved);
            Assert.Equal("567890", VirtualCardState.Load(path).Pin1.Value);
            Assert.Contains("00 24 00 03 [code redacted] -> (card removed)", File.ReadAllLines(folder.File("apdu.log")));
        }

        [Fact]
        public void LoseAnswerOnInstruction_TheEmptyVerifyStillAnswers()
        {
            var state = Kit.Organisation();
            state.Faults.LoseAnswerOnInstruction = "20";
            var card = Kit.Selected(state);

            Assert.Equal("63C5", card.Tx("00200003"));
            Assert.False(card.IsRemoved);
        }

        [Theory]
        [InlineData(9, "63C9")]
        [InlineData(200, "63CF")]
        public void ReportedTriesLeft_ShowsInGetDataAndTheProbe(int reported, string probe)
        {
            var identity = Kit.Identity();
            identity.Faults.ReportedTriesLeft = reported;
            var organisation = Kit.Organisation();
            organisation.Faults.ReportedTriesLeft = reported;

            Assert.Equal(reported, Kit.PinInfo(Kit.Selected(identity).Tx(Kit.GetData(0x11))).Tries);
            Assert.Equal(probe, Kit.Selected(organisation).Tx("00200003"));
            Assert.Equal(5, identity.Pin1.TriesLeft);
        }
    }
}
