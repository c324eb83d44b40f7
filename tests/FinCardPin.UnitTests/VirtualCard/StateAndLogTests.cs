namespace FinCardPin.UnitTests.VirtualCards
{
    using System.IO;
    using System.Linq;
    using FinCardPin.VirtualCard;
    using Xunit;

    public class StateTests
    {
        [Fact]
        public void SaveLoad_RoundTrip_KeepsEveryField()
        {
            using var folder = new TempFolder();
            var state = VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaCosmoX, "2468", "13579", "11223344", "5550001",
                VirtualCardVariant.Sote);
            state.T0 = true;
            state.Faults.RemoveOnInstruction = "2C";
            state.Faults.AnswerMoreDataForever = true;
            state.Pin1.TriesLeft = 3;
            state.Pin2.Changed = false;
            state.ActivationCode.MaxTries = 10;
            string path = folder.Save(state);

            var loaded = VirtualCardState.Load(path);

            Assert.Equal(VirtualCardProfile.OrganisationIdemiaCosmoX, loaded.Profile);
            Assert.Equal(VirtualCardVariant.Sote, loaded.Variant);
            Assert.Equal("5550001", loaded.Serial);
            Assert.True(loaded.T0);
            Assert.Equal("2C", loaded.Faults.RemoveOnInstruction);
            Assert.True(loaded.Faults.AnswerMoreDataForever);
            Assert.Equal(("2468", 3, 5, true, 4, 8), (loaded.Pin1.Value, loaded.Pin1.TriesLeft, loaded.Pin1.MaxTries, loaded.Pin1.Changed, loaded.Pin1.MinLength, loaded.Pin1.MaxLength));
            Assert.Equal(("13579", 5, 5, false, 4, 8), (loaded.Pin2.Value, loaded.Pin2.TriesLeft, loaded.Pin2.MaxTries, loaded.Pin2.Changed, loaded.Pin2.MinLength, loaded.Pin2.MaxLength));
            Assert.Equal(("11223344", 5, 10), (loaded.ActivationCode.Value, loaded.ActivationCode.TriesLeft, loaded.ActivationCode.MaxTries));
            Assert.Equal(state.ToJson(), loaded.ToJson());
        }

        [Fact]
        public void Save_WritesIndentedJsonWithNamesAndNoTempFiles()
        {
            using var folder = new TempFolder();
            string path = folder.Save(Kit.Identity());
            Kit.Identity().Save(path);

            string json = File.ReadAllText(path);

            Assert.Contains("\"Profile\": \"IdentityThalesV5\"", json);
            Assert.Contains("\n  \"Pin1\": {", json);
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void Load_HandWrittenMinimalFile_FillsDefaults()
        {
            using var folder = new TempFolder();
            string path = folder.File("hand.json");
            File.WriteAllText(path, "{ \"Profile\": \"identitymultiappv3\", \"Serial\": \"42\", \"Pin1\": { \"Value\": \"1234\", \"TriesLeft\": 2, \"MaxTries\": 5, \"MinLength\": 4, \"MaxLength\": 12 } }");

            var state = VirtualCardState.Load(path);

            Assert.Equal(VirtualCardProfile.IdentityMultiAppV3, state.Profile);
            Assert.Equal(2, state.Pin1.TriesLeft);
            Assert.NotNull(state.Faults);
            Assert.Equal(string.Empty, state.ActivationCode.Value);
        }

        [Fact]
        public void Load_UnknownProfile_IsNotACardFile()
        {
            using var folder = new TempFolder();
            string path = folder.File("bad.json");
            File.WriteAllText(path, "{ \"Profile\": \"Nokia3310\" }");

            var refused = Assert.Throws<VirtualCardFileException>(() => VirtualCardState.Load(path));
            Assert.Equal(VirtualCardFileProblem.NotACardFile, refused.Problem);
        }

        // Files an admin may point at by mistake (issue "A first day without surprises", item 9): each is refused as not
        // a card file, with the file as a fact and none of the JSON reader's words in the message.
        [Theory]
        [InlineData("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n")]
        [InlineData("{\"a\":[1,2,3],\"Pin1\":\"x\"}")]
        [InlineData("[1,2]")]
        [InlineData("{}")]
        [InlineData("\"card\"")]
        [InlineData("null")]
        [InlineData("{ \"Profile\": ")]
        [InlineData("{\"Format\":\"FinCardPin.CardDiagnostic/1\",\"Exchanges\":7}")]
        public void Load_TextThatIsNoCardFile_IsNotACardFile_InPlainWords(string text)
        {
            using var folder = new TempFolder();
            string path = folder.File("not-a-card.json");
            File.WriteAllText(path, text);

            var refused = Assert.Throws<VirtualCardFileException>(() => VirtualCardState.Load(path));

            Assert.Equal(VirtualCardFileProblem.NotACardFile, refused.Problem);
            Assert.Equal(path, refused.FilePath);
            Assert.DoesNotMatch("deserializ|Expecting|Encountered|unexpected", refused.Message);
        }

        [Fact]
        public void Load_RandomBytesOrEmpty_RefusedWithTheirProblem()
        {
            using var folder = new TempFolder();
            string binary = folder.File("random.bin");
            File.WriteAllBytes(binary, new byte[] { 0x7B }.Concat(Enumerable.Range(1, 300).Select(i => (byte)(i * 37 % 256))).ToArray());
            string empty = folder.File("empty.json");
            File.WriteAllText(empty, string.Empty);

            Assert.Equal(VirtualCardFileProblem.NotACardFile, Assert.Throws<VirtualCardFileException>(() => VirtualCardState.Load(binary)).Problem);
            Assert.Equal(VirtualCardFileProblem.Empty, Assert.Throws<VirtualCardFileException>(() => VirtualCardState.Load(empty)).Problem);
        }

        [Fact]
        public void VerifiedFlag_NotSaved_NewCardFromFileAsksAgain()
        {
            using var folder = new TempFolder();
            string path = folder.Save(Kit.Identity());
            var first = Kit.Selected(VirtualCardState.Load(path), path);
            Assert.Equal("9000", first.Tx(Kit.IdentityVerify(0x11, "1234")));

            var second = Kit.Selected(VirtualCardState.Load(path), path);

            Assert.Equal("63C5", second.Tx("00200011"));
            Assert.DoesNotContain("erified", File.ReadAllText(path));
        }
    }

    public class ApduLogTests
    {
        [Fact]
        public void Log_PinCommands_DataRedactedAndDigitsNeverWritten()
        {
            using var folder = new TempFolder();
            string log = folder.File("apdu.log");
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "918273", "564738", "80706050", "1");
            state.Pin2.TriesLeft = 0;
            var card = Kit.Selected(state, null, log);

            card.Tx(Kit.IdentityVerify(0x11, "918273"));
            card.Tx(Kit.IdentityVerify(0x82, "291807"));
            card.Tx(Kit.IdentityChange(0x11, "918273", "736455"));
            card.Tx(Kit.IdentityUnblock(0x82, "80706050", "192837"));

            string text = File.ReadAllText(log);
            foreach (string secret in new[] { "918273", "564738", "80706050", "291807", "736455", "192837" })
            {
                Assert.DoesNotContain(secret, text);
                Assert.DoesNotContain(Kit.Ascii(secret), text.Replace(" ", string.Empty));
            }

            Assert.Contains("00 20 00 11 [code redacted] -> 90 00", text);
            Assert.Contains("00 20 00 82 [code redacted] -> 69 83", text);
            Assert.Contains("00 24 00 11 [code redacted] -> 90 00", text);
            Assert.Contains("00 2C 00 82 [code redacted] -> 90 00", text);
        }

        [Fact]
        public void Log_OrganisationPinCommands_ShowOnlyTheLength()
        {
            using var folder = new TempFolder();
            string log = folder.File("apdu.log");
            var card = Kit.Selected(Kit.Organisation(), null, log);

            card.Tx(Kit.OrgVerify(0x03, "1234"));
            card.Tx(Kit.OrgVerify(0x12, "12345678"));
            card.Tx(Kit.OrgUnblock(0x04, "99887766"));

            string text = File.ReadAllText(log);
            Assert.Contains("00 20 00 03 [code redacted] -> 90 00", text);
            Assert.Contains("00 20 00 12 [code redacted] -> 90 00", text);
            Assert.Contains("00 2C 02 04 [code redacted] -> 90 00", text);
            Assert.DoesNotContain("99887766", text);
            Assert.DoesNotContain("39 39 38 38", text);
        }

        [Fact]
        public void Log_OtherCommandsInFullAndPowerEventsAsComments()
        {
            using var folder = new TempFolder();
            string log = folder.File("apdu.log");
            var card = Kit.Selected(Kit.Identity(), null, log);
            card.Tx("00200011");
            card.Tx(Kit.GetData(0x82));
            card.Reset();
            card.Remove();

            string[] lines = File.ReadAllLines(log);

            Assert.Equal(new[]
            {
                "# power on",
                "00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35 -> 90 00",
                "00 20 00 11 -> 63 C5",
                "00 CB 00 FF 05 A0 03 83 01 82 00 -> A0 23 83 01 82 8C 04 F0 00 00 00 9C 04 F0 00 00 00 DF 21 04 05 FF A5 03 DF 27 02 FF FF DF 28 01 0C DF 2F 01 01 90 00",
                "# reset",
                "# removed",
            }, lines);
            Assert.Equal(3, lines.Count(l => !l.StartsWith('#')));
        }

        [Fact]
        public void FormatCommand_PinCommandWithLe_ShowsLeInClear()
        {
            byte[] command = Kit.Bytes("002000110431323334" + "00");
            Assert.Equal("00 20 00 11 [code redacted] 00", ApduLog.FormatCommand(command, command.Length));
        }

        [Fact]
        public void FormatCommand_MalformedPinCommand_RedactsEverythingAfterP3()
        {
            byte[] command = Kit.Bytes("00200011FF313233");
            Assert.Equal("00 20 00 11 [code redacted]", ApduLog.FormatCommand(command, command.Length));
        }
    }
}
