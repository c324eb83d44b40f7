using System;
using System.IO;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Fineid.Diagnostics;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>The diagnostics report on the in-process virtual card: read-only, redacted, and playable as a card.</summary>
    public sealed class DiagnosticsTests : IDisposable
    {
        private const string Pin1 = "48151623";
        private const string Pin2 = "42108765";
        private const string ActivationCode = "31415926";
        private const string Serial = "999000077";
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Theory]
        [InlineData(VirtualCardProfile.IdentityThales2025, true)]
        [InlineData(VirtualCardProfile.IdentityMultiAppV3, false)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaIdMe, false)]
        [InlineData(VirtualCardProfile.OrganisationIdemiaCosmoX, true)]
        [InlineData(VirtualCardProfile.OrganisationOberthurCosmoV7, false)]
        internal void Report_PlayedBackAsACard_GivesTheSameStatus(VirtualCardProfile profile, bool t0)
        {
            var state = VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, Serial);
            state.T0 = t0;
            state.Pin1.TriesLeft = 2;
            state.ActivationCode.TriesLeft = 4;
            var original = Collect(Save(state), redact: true, out var originalStatus);
            var reportPath = _folder.File("report.json");
            File.WriteAllText(reportPath, original.ToJson());

            Collect(reportPath, redact: true, out var replayedStatus);

            Assert.Equal(Describe(originalStatus), Describe(replayedStatus));
            Assert.Equal(2, originalStatus[0].TriesLeft);
            Assert.Equal(3, original.PinObjects.Count);
        }

        [Fact]
        public void Report_HoldsNoCodeNoSerialAndNoCommandWithACode()
        {
            var report = Collect(Save(VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaCosmoX, Pin1, Pin2, ActivationCode, Serial)), redact: true, out _);
            var json = report.ToJson();
            var compact = json.Replace(" ", string.Empty);

            foreach (var secret in new[] { Pin1, Pin2, ActivationCode, Serial })
            {
                Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
                Assert.DoesNotContain(Hex.Format(Encoding.ASCII.GetBytes(secret)).Replace(" ", string.Empty), compact, StringComparison.Ordinal);
            }

            Assert.All(report.Exchanges, e =>
            {
                var command = Hex.Parse(e.Command);
                Assert.False(command.Length > 5 && (command[1] == 0x20 || command[1] == 0x24 || command[1] == 0x2C), e.Command);
            });
            Assert.True(report.Redacted);
            Assert.Contains(report.Files, f => f.Name == "EF.TokenInfo" && f.Content.Contains("58 58 58 58 58 58 58 58 58", StringComparison.Ordinal));
        }

        [Fact]
        public void Report_Unredacted_KeepsTheSerial()
        {
            var report = Collect(Save(VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, Serial)), redact: false, out _);

            Assert.Contains(Hex.Format(Encoding.ASCII.GetBytes(Serial)), report.ToJson(), StringComparison.Ordinal);
            Assert.False(report.Redacted);
        }

        [Fact]
        public void Report_SpendsNoTryAndChangesNothing()
        {
            var path = Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, Serial));
            var before = File.ReadAllText(path);

            Collect(path, redact: true, out _);

            Assert.Equal(before, File.ReadAllText(path));
        }

        [Fact]
        public void Report_RoundTripsThroughJson()
        {
            var report = Collect(Save(VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, Serial)), redact: true, out _);

            var again = CardDiagnosticReport.FromJson(report.ToJson());

            Assert.Equal(report.ToJson(), again.ToJson());
            Assert.True(CardDiagnosticReport.LooksLikeReport(report.ToJson()));
            Assert.Throws<InvalidDataException>(() => CardDiagnosticReport.FromJson("{\"Format\":\"something else\"}"));
        }

        [Theory]
        [InlineData("Remove")]
        [InlineData("NoStatusWord")]
        [InlineData("TooLong")]
        public void Report_TokenInfoFailingAfterItsFirstPiece_HoldsNeitherSerialNorLabelInAnyEncoding(string mode)
        {
            // Thales 2025: EF.TokenInfo takes two READ BINARYs; the card fails every command after the first one.
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThales2025, Pin1, Pin2, ActivationCode, Serial);
            state.TokenLabel = PersonalLabel;
            state.Faults.FailAfterInstruction = "B0";
            state.Faults.FailAfterMode = mode;

            var report = CollectOnly(Save(state), redact: true);

            Assert.True(report.Redacted);
            Assert.Contains(report.Exchanges, e => e.Command.StartsWith("00 B0 00 00", StringComparison.Ordinal));
            Assert.Contains(report.Notes, n => n.StartsWith(DiagnosticNotes.Stopped + ": read EF.TokenInfo", StringComparison.Ordinal));
            Assert.DoesNotContain(report.Files, f => f.FileId == "5032");
            PersonalData.AssertAbsent(report.ToJson(), Serial, PersonalLabel);
        }

        [Fact]
        public void Report_WholeTokenInfo_KeepsOnlyItsHarmlessFieldsAndStillPlaysBack()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThales2025, Pin1, Pin2, ActivationCode, Serial);
            state.TokenLabel = PersonalLabel;
            var path = Save(state);

            var report = CollectOnly(path, redact: true);

            PersonalData.AssertAbsent(report.ToJson(), Serial, PersonalLabel);
            var tokenInfo = Hex.Parse(Assert.Single(report.Files, f => f.FileId == "5032").Content);
            Assert.Contains("DVV", Encoding.ASCII.GetString(tokenInfo), StringComparison.Ordinal); // the manufacturer is no person
            var reportPath = _folder.File("whole.json");
            File.WriteAllText(reportPath, report.ToJson());
            Collect(reportPath, redact: true, out var replayed);
            Assert.Equal(3, replayed.Length);
        }

        private const string PersonalLabel = "Maija Meikäläinen";

        private static CardDiagnosticReport CollectOnly(string cardPath, bool redact)
        {
            var api = new VirtualPcscApi(1);
            api.Insert(0, cardPath);
            using var context = new PcscContext(api);
            var reader = context.GetReader(VirtualPcscApi.ReaderName(0));
            return CardDiagnostics.Collect(context, reader, redact, "test", "test");
        }

        private string Save(VirtualCardState state) => _folder.Save(state, Guid.NewGuid().ToString("N") + ".json");

        private static CardDiagnosticReport Collect(string cardPath, bool redact, out PinStatusInfo[] status)
        {
            var api = new VirtualPcscApi(1);
            api.Insert(0, cardPath);
            using var context = new PcscContext(api);
            var reader = context.GetReader(VirtualPcscApi.ReaderName(0));
            var report = CardDiagnostics.Collect(context, reader, redact, "test", "test");
            using (var session = FineidSession.Open(context, reader, null, null))
            {
                status = session.ReadAllStatus().ToArray();
            }

            return report;
        }

        private static string Describe(PinStatusInfo[] status) =>
            string.Join("; ", status.Select(s => s.Code + " " + s.State + " " + s.TriesLeft + "/" + s.MaxTries));
    }
}
