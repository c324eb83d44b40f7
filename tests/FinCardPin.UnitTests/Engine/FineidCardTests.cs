using System;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>The exact APDUs FineidCard sends to an identity and an organisation card, and how it reads their answers.</summary>
    public class FineidCardTests
    {
        [Theory]
        [InlineData(Protocols.T0)]
        [InlineData(Protocols.T1)]
        internal void Open_Identity_SelectsTheApplicationThenReadsTheSerialInsideATransaction(Protocols protocol)
        {
            var api = Identity(protocol);

            using var opened = Open(api);

            Assert.Equal(new[] { SelectAid, SelectTokenInfo, ReadTokenInfo }, api.Sent);
            Assert.Equal(Serial, opened.Session.Serial);
            Assert.Equal(CardKind.IdentityCard, opened.Session.Identity.Kind);
            Assert.Equal(CardKind.IdentityCard, opened.Card.Kind);
            Assert.Equal(3, opened.Session.CommandsSent);
            var begin = api.Calls.IndexOf("BeginTransaction Success");
            Assert.True(begin >= 0 && begin < api.Calls.FindIndex(c => c.StartsWith("Transmit", StringComparison.Ordinal)));
            Assert.Equal(0, api.CountCalls("EndTransaction"));
        }

        [Fact]
        public void ReadStatus_IdentityT1_SendsGetDataWithLe00()
        {
            var api = Identity(Protocols.T1).OnPinInfo(0x11, (5, true));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(new[] { "00 CB 00 FF 05 A0 03 83 01 11 00" }, opened.PinTrafficSinceOpen);
            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(5, status.TriesLeft);
            Assert.Equal(5, status.MaxTries);
            Assert.Equal(PinCode.Pin1, status.Code);
        }

        [Fact]
        public void ReadStatus_IdentityT0_SendsGetDataWithoutLeAndFetchesTheAnswerWithGetResponse()
        {
            var api = Identity(Protocols.T0);
            api.On("00 CB 00 FF 05 A0 03 83 01 82", "61 25");
            api.On("00 C0 00 00 25", PinInfo(0x82, 4, true));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin2);

            Assert.Equal(new[] { "00 CB 00 FF 05 A0 03 83 01 82", "00 C0 00 00 25" }, opened.PinTrafficSinceOpen);
            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(4, status.TriesLeft);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "11")]
        [InlineData(PinCode.Pin2, "82")]
        [InlineData(PinCode.ActivationCode, "83")]
        public void ReadStatus_Identity_AsksForTheCodesOwnReference(PinCode code, string reference)
        {
            var api = Identity(Protocols.T1).OnPinInfo(Convert.ToByte(reference, 16), (3, true));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(code);

            Assert.Equal(new[] { "00 CB 00 FF 05 A0 03 83 01 " + reference + " 00" }, opened.PinTrafficSinceOpen);
            Assert.Equal(3, status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdentityDf21Zero_IsBlocked()
        {
            var api = Identity().OnPinInfo(0x11, (0, true));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Blocked, status.State);
            Assert.Equal(0, status.TriesLeft);
            Assert.False(status.IsOnLastTry);
        }

        [Fact]
        public void ReadStatus_IdentityDf2f00_IsNotActivated()
        {
            var api = Identity().OnPinInfo(0x82, (5, false));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin2);

            Assert.Equal(PinState.NotActivated, status.State);
            Assert.Equal(5, status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdentityActivationCodeWithDf2f00_IsReadyNotNotActivated()
        {
            var api = Identity().OnPinInfo(0x83, (5, false));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.ActivationCode);

            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(5, status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdentityOneTryLeft_IsOnLastTry()
        {
            var api = Identity().OnPinInfo(0x11, (1, true));
            using var opened = Open(api);

            Assert.True(opened.Card.ReadStatus(PinCode.Pin1).IsOnLastTry);
        }

        [Fact]
        public void ReadStatus_IdentityShortAnswerWithoutDf2f_IsReady()
        {
            var api = Identity();
            api.On(GetData(0x11, Protocols.T0), "A0 07 83 01 11 DF 21 01 02 90 00");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(2, status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdentityGetDataRefused_FallsBackToTheEmptyVerifyProbe()
        {
            var api = Identity();
            api.On(GetData(0x11, Protocols.T0), "6A 88");
            api.On("00 20 00 11", "63 C3");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(new[] { GetData(0x11, Protocols.T0), "00 20 00 11" }, opened.PinTrafficSinceOpen);
            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(3, status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdentityActivationCodeGetDataRefused_IsUnknownWithoutProbe()
        {
            var api = Identity();
            api.On(GetData(0x83, Protocols.T0), "6A 88");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.ActivationCode);

            Assert.Equal(new[] { GetData(0x83, Protocols.T0) }, opened.PinTrafficSinceOpen);
            Assert.Equal(PinState.Unknown, status.State);
            Assert.Null(status.TriesLeft);
        }

        [Theory]
        [InlineData("63 C3", PinState.Ready, 3)]
        [InlineData("63 C5", PinState.Ready, 5)]
        [InlineData("63 C1", PinState.Ready, 1)]
        [InlineData("63 C0", PinState.Blocked, 0)]
        [InlineData("69 83", PinState.Blocked, 0)]
        [InlineData("69 84", PinState.BlockedOrNotActivated, 0)] // a never-activated slot answers it too (ReFineID-Apple)
        [InlineData("90 00", PinState.Ready, 5)]
        public void ReadStatus_OrganisationProbe_MapsTheAnswer(string answer, PinState state, int tries)
        {
            var api = Organisation();
            api.On("00 20 00 03", answer);
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(new[] { "00 20 00 03" }, opened.PinTrafficSinceOpen);
            Assert.Equal(state, status.State);
            Assert.Equal(tries, status.TriesLeft);
            Assert.Equal(5, status.MaxTries);
        }

        [Fact]
        public void ReadStatus_OrganisationProbeUnknownAnswer_IsUnknown()
        {
            var api = Organisation();
            api.On("00 20 00 04", "6A 88");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin2);

            Assert.Equal(PinState.Unknown, status.State);
            Assert.Null(status.TriesLeft);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "00 20 00 03")]
        [InlineData(PinCode.Pin2, "00 20 00 04")]
        [InlineData(PinCode.ActivationCode, "00 20 00 12")]
        public void ReadStatus_Organisation_ProbesWithoutGetData(PinCode code, string probe)
        {
            var api = Organisation();
            api.On(probe, "63 C4");
            using var opened = Open(api);

            Assert.Equal(4, opened.Card.ReadStatus(code).TriesLeft);
            Assert.Equal(new[] { probe }, opened.PinTrafficSinceOpen);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "11")]
        [InlineData(PinCode.Pin2, "82")]
        public void VerifyCode_Identity_PadsToTwelveBytes(PinCode code, string reference)
        {
            var expected = "00 20 00 " + reference + " 0C " + Padded("179385");
            var api = Identity();
            api.On(expected, "90 00");
            using var opened = Open(api);

            var result = opened.VerifyCode(code, "179385");

            Assert.Equal(PinOutcome.Success, result.Outcome);
            Assert.Equal(new[] { expected }, opened.PinTrafficSinceOpen);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "03")]
        [InlineData(PinCode.Pin2, "04")]
        [InlineData(PinCode.ActivationCode, "12")]
        public void VerifyCode_Organisation_SendsTheDigitsUnpadded(PinCode code, string reference)
        {
            // Eight digits: a length every code of an organisation card allows (the activation code has exactly 8).
            var expected = "00 20 00 " + reference + " 08 31 37 39 33 38 35 32 34";
            var api = Organisation();
            api.On(expected, "90 00");
            using var opened = Open(api);

            var result = opened.VerifyCode(code, "17938524");

            Assert.Equal(PinOutcome.Success, result.Outcome);
            Assert.Equal(new[] { expected }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void ChangeCode_Identity_Sends24BytesOfPaddedCodes()
        {
            var expected = "00 24 00 82 18 " + Padded("179385") + " " + Padded("97135824");
            var api = Identity();
            api.On(expected, "90 00");
            using var opened = Open(api);

            var result = opened.ChangeCode(PinCode.Pin2, "179385", "97135824");

            Assert.Equal(PinOutcome.Success, result.Outcome);
            var sent = Assert.Single(opened.PinTrafficSinceOpen);
            Assert.Equal(expected, sent);
            Assert.Equal(5 + 24, Hex.Parse(sent).Length);
        }

        [Fact]
        public void ChangeCode_Organisation_VerifiesTheCurrentCodeThenSendsBothCodesUnpadded()
        {
            var verify = "00 20 00 03 04 " + Ascii("1793");
            var expected = "00 24 00 03 0A " + Ascii("1793") + " " + Ascii("971358");
            var api = Organisation();
            api.On(verify, "90 00");
            api.On(expected, "90 00");
            using var opened = Open(api);

            opened.ChangeCode(PinCode.Pin1, "1793", "971358");

            Assert.Equal(new[] { verify, expected }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void ChangeCode_Identity_IsOneCommandBecauseItsLayoutIsFixed()
        {
            var expected = "00 24 00 11 18 " + Padded("1793") + " " + Padded("971358");
            var api = Identity();
            api.On(expected, "90 00");
            using var opened = Open(api);

            opened.ChangeCode(PinCode.Pin1, "1793", "971358");

            Assert.Equal(new[] { expected }, opened.PinTrafficSinceOpen);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "11")]
        [InlineData(PinCode.Pin2, "82")]
        public void UnblockCode_Identity_IsOneResetRetryCounterNamingThePin(PinCode code, string reference)
        {
            var expected = "00 2C 00 " + reference + " 18 " + Padded("17938524") + " " + Padded("971358");
            var api = Identity();
            api.On(expected, "90 00");
            using var opened = Open(api);

            var result = opened.UnblockCode(code, "17938524", "971358");

            Assert.Equal(PinOutcome.Success, result.Outcome);
            Assert.Equal(new[] { expected }, opened.PinTrafficSinceOpen);
        }

        [Theory]
        [InlineData(PinCode.Pin1, "03")]
        [InlineData(PinCode.Pin2, "04")]
        public void UnblockCode_Organisation_VerifiesTheActivationCodeThenSetsTheNewPin(PinCode code, string reference)
        {
            var verifyActivationCode = "00 20 00 12 08 " + Ascii("17938524");
            var reset = "00 2C 02 " + reference + " 06 " + Ascii("971358");
            var api = Organisation();
            api.On(verifyActivationCode, "90 00");
            api.On(reset, "90 00");
            using var opened = Open(api);

            var result = opened.UnblockCode(code, "17938524", "971358");

            Assert.Equal(PinOutcome.Success, result.Outcome);
            Assert.Equal(new[] { verifyActivationCode, reset }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void UnblockCode_OrganisationWrongActivationCode_StopsBeforeTheResetRetryCounter()
        {
            var api = Organisation();
            api.OnPrefix("00 20 00 12 08", "63 C2");
            using var opened = Open(api);

            var result = opened.UnblockCode(PinCode.Pin2, "17938524", "971358");

            Assert.Equal(PinOutcome.WrongCode, result.Outcome);
            Assert.Equal(2, result.TriesLeft);
            Assert.Empty(opened.ChangeOrUnblockSinceOpen);
        }

        [Theory]
        [InlineData("90 00", PinOutcome.Success, null)]
        [InlineData("63 C2", PinOutcome.WrongCode, 2)]
        [InlineData("63 C0", PinOutcome.WrongCode, 0)]
        [InlineData("69 83", PinOutcome.Blocked, 0)]
        [InlineData("69 84", PinOutcome.Blocked, 0)]
        [InlineData("6A 80", PinOutcome.NewCodeRejectedOrSame, null)]
        [InlineData("67 00", PinOutcome.NewCodeRejected, null)]
        [InlineData("63 00", PinOutcome.WrongCode, null)]
        [InlineData("69 85", PinOutcome.NewCodeSameAsCurrent, null)]
        [InlineData("69 82", PinOutcome.NotAllowed, null)]
        internal void ChangeCode_Answer_IsInterpreted(string answer, PinOutcome outcome, int? tries)
        {
            var api = Identity();
            api.OnPrefix("00 24 00 11 18", answer);
            using var opened = Open(api);

            var result = opened.ChangeCode(PinCode.Pin1, "1793", "9713");

            Assert.Equal(outcome, result.Outcome);
            Assert.Equal(tries, result.TriesLeft);
        }

        [Fact]
        public void VerifyCode_UnexpectedAnswer_ThrowsUnexpectedCardAnswer()
        {
            var api = Identity();
            api.OnPrefix("00 20 00 11 0C", "6F 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.VerifyCode(PinCode.Pin1, "1793"));

            Assert.Equal(ErrorIds.UnexpectedCardAnswer, error.ErrorId);
            Assert.Equal("6F 00", error.Facts["sw"]);
            Assert.DoesNotContain("1793", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void VerifyCode_TraceLines_NeverShowTheCode()
        {
            var lines = new System.Collections.Generic.List<string>();
            var api = Identity();
            api.OnPrefix("00 20 00 11 0C", "63 C4");
            using var opened = Open(api, trace: lines.Add);

            opened.VerifyCode(PinCode.Pin1, "179385");

            Assert.Contains("> 00 20 00 11 [code redacted]", lines);
            Assert.Contains("< 63 C4", lines);
            Assert.All(lines, l => Assert.DoesNotContain("31 37 39 33", l, StringComparison.Ordinal));
        }

        [Fact]
        public void VerifyCode_ResetByAnotherProgram_IsNotResentAndTheOutcomeIsUnknown()
        {
            var expected = "00 20 00 11 0C " + Padded("179385");
            var api = Identity();
            api.On(expected, "90 00");
            using var opened = Open(api);
            api.TransmitResults.Enqueue(PcscResult.ResetCard);

            var error = Assert.Throws<FinCardPinException>(() => opened.VerifyCode(PinCode.Pin1, "179385"));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Equal(new[] { expected }, opened.PinTrafficSinceOpen);
            Assert.Equal(0, api.CountCalls("Reconnect"));
        }

        [Fact]
        public void ReadStatus_ResetByAnotherProgram_SelectsAgainAndResendsTheReadOnce()
        {
            var api = Identity().OnPinInfo(0x11, (4, true));
            using var opened = Open(api);
            api.TransmitResults.Enqueue(PcscResult.ResetCard);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(4, status.TriesLeft);
            Assert.Equal(1, api.CountCalls("Reconnect"));
            Assert.Equal(SelectAid, opened.PinTrafficSinceOpen[1]);
        }

        [Theory]
        [InlineData(6)]
        [InlineData(9)]
        [InlineData(255)]
        public void ReadStatus_IdentityCounterAboveTheMaximum_IsUnknownNotReady(int impossible)
        {
            var api = Identity().OnPinInfo(0x11, (impossible, true));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Unknown, status.State);
            Assert.Null(status.TriesLeft);
        }

        [Theory]
        [InlineData("63 C6")]
        [InlineData("63 CF")]
        public void ReadStatus_OrganisationProbeAboveTheMaximum_IsUnknownNotReady(string answer)
        {
            var api = Organisation();
            api.On("00 20 00 03", answer);
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Unknown, status.State);
            Assert.Null(status.TriesLeft);
        }

        [Fact]
        public void VerifyCode_WrongWithAnImpossibleCounter_IsWrongWithTriesUnknown()
        {
            var api = Identity();
            api.OnPrefix("00 20 00 11 0C", "63 C9");
            using var opened = Open(api);

            var result = opened.VerifyCode(PinCode.Pin1, "179385");

            Assert.Equal(PinOutcome.WrongCode, result.Outcome);
            Assert.Null(result.TriesLeft);
        }

        [Fact]
        public void SelectApplication_FileNotFound_IsNotFineid()
        {
            var api = Identity();
            using var opened = Open(api);
            api.On(SelectAid, "6A 82");

            var error = Assert.Throws<FinCardPinException>(() => opened.Card.SelectApplication());

            Assert.Equal(ErrorIds.NotFineidCard, error.ErrorId);
        }

        [Fact]
        public void ReadSerial_TokenInfoMissing_IsNull()
        {
            var api = Identity();
            using var opened = Open(api);
            api.On(SelectTokenInfo, "6A 82");
            api.On(SelectTokenInfoById, "6A 82");

            Assert.Null(opened.Card.ReadSerial());
            Assert.Equal(new[] { SelectTokenInfo, SelectTokenInfoById }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void ReadSerial_NotAFineidSerial_IsUnknownWithANote()
        {
            var tokenInfo = TokenInfoTests.Build(System.Text.Encoding.ASCII.GetBytes("92\" /c calc"));
            var api = Identity();
            using var opened = Open(api);
            api.On(ReadTokenInfo, Hex.Format(tokenInfo) + " 90 00");

            Assert.Null(opened.Card.ReadSerial());
            Assert.Equal("SerialNotFineid", opened.Card.SerialNote?.Key);
        }

        [Fact]
        public void ReadSerial_T0WrongLe_ResendsWithTheCardsLength()
        {
            var tokenInfo = TokenInfoTests.Build(System.Text.Encoding.ASCII.GetBytes("A1B2C3"));
            var api = Identity(Protocols.T0);
            using var opened = Open(api);
            api.On(ReadTokenInfo, "6C " + Lc(tokenInfo.Length));
            api.On("00 B0 00 00 " + Lc(tokenInfo.Length), Hex.Format(tokenInfo) + " 90 00");

            Assert.Equal("A1B2C3", opened.Card.ReadSerial());
        }

        [Fact]
        public void ReadAllStatus_Identity_ReadsPin1Pin2AndActivationCode()
        {
            var api = Identity(Protocols.T1).OnPinInfo(0x11, (5, true)).OnPinInfo(0x82, (2, true)).OnPinInfo(0x83, (4, true));
            using var opened = Open(api);

            var all = opened.Session.ReadAllStatus();

            Assert.Equal(new[] { PinCode.Pin1, PinCode.Pin2, PinCode.ActivationCode }, all.Select(s => s.Code));
            Assert.Equal(new int?[] { 5, 2, 4 }, all.Select(s => s.TriesLeft));
            Assert.Empty(opened.PinCommandsSinceOpen);
        }
    }
}
