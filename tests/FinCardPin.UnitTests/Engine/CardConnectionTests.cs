using System;
using System.Collections.Generic;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using Xunit;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>CardConnection over the scripted fake: 61xx/6Cxx completion, bounds, reset recovery, buffer hygiene.</summary>
    public class CardConnectionTests
    {
        private const string Reader = "Fake Reader 0";
        private const string GetDataPin1 = "00 CB 00 FF 05 A0 03 83 01 11";
        private const string ReadBinary = "00 B0 00 00 00";
        private const string Select = "00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35";

        private static readonly CommandApdu GetDataCommand = new CommandApdu(0x00, 0xCB, 0x00, 0xFF, Hex.Parse("A0 03 83 01 11"));
        private static readonly CommandApdu ReadBinaryCommand = new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 256);
        private static readonly CommandApdu SelectCommand = new CommandApdu(0x00, 0xA4, 0x04, 0x0C, Hex.Parse("A0 00 00 00 63 50 4B 43 53 2D 31 35"));

        private static CommandApdu SensitiveVerify() =>
            new CommandApdu(0x00, 0x20, 0x00, 0x11, Hex.Parse("31 37 39 33 38 35 00 00 00 00 00 00"), isSensitive: true);

        private static (PcscContext Context, CardConnection Connection) Connect(ScriptedPcscApi api)
        {
            var context = new PcscContext(api);
            return (context, context.Connect(Reader));
        }

        private static string Bytes(int count, byte first = 0x10) =>
            Hex.Format(Enumerable.Range(0, count).Select(i => (byte)(first + i)).ToArray());

        [Fact]
        public void Transmit_61xx_SendsGetResponseWithThatLeAndConcatenatesData()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "A0 23 61 03");
            api.On("00 C0 00 00 03", "83 01 11 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(GetDataCommand);

            Assert.Equal(new[] { GetDataPin1, "00 C0 00 00 03" }, api.Sent);
            Assert.Equal("A0 23 83 01 11", Hex.Format(response.Data));
            Assert.Equal(StatusWord.Success, response.StatusWord);
            Assert.Equal(2, connection.CommandsSent);
        }

        [Fact]
        public void Transmit_61xxChain_FollowsEachLengthIncluding00As256()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "61 02");
            api.On("00 C0 00 00 02", "AA BB 61 00");
            api.On("00 C0 00 00 00", Bytes(256, 0x00) + " 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(GetDataCommand);

            Assert.Equal(new[] { GetDataPin1, "00 C0 00 00 02", "00 C0 00 00 00" }, api.Sent);
            Assert.Equal(258, response.Data.Length);
            Assert.Equal(new byte[] { 0xAA, 0xBB, 0x00, 0x01 }, response.Data.Take(4).ToArray());
            Assert.Equal(0xFF, response.Data[257]);
            Assert.True(response.StatusWord.IsSuccess);
        }

        [Fact]
        public void Transmit_61xxThen6CxxOnGetResponse_ResendsGetResponseWithThatLe()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "61 10");
            api.On("00 C0 00 00 10", "6C 08");
            api.On("00 C0 00 00 08", Bytes(8) + " 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(GetDataCommand);

            Assert.Equal(new[] { GetDataPin1, "00 C0 00 00 10", "00 C0 00 00 08" }, api.Sent);
            Assert.Equal(Bytes(8), Hex.Format(response.Data));
            Assert.True(response.StatusWord.IsSuccess);
            Assert.Equal(3, connection.CommandsSent);
        }

        [Fact]
        public void Transmit_6Cxx_ResendsTheSameCommandWithLeXx()
        {
            var api = new ScriptedPcscApi();
            api.On(ReadBinary, "6C 1A");
            api.On("00 B0 00 00 1A", Bytes(0x1A) + " 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(ReadBinaryCommand);

            Assert.Equal(new[] { ReadBinary, "00 B0 00 00 1A" }, api.Sent);
            Assert.Equal(0x1A, response.Data.Length);
            Assert.True(response.StatusWord.IsSuccess);
            Assert.Equal(2, connection.CommandsSent);
        }

        [Fact]
        public void Transmit_6CxxOnCase3_ResendsWithDataAndLe()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "6C 25");
            api.On(GetDataPin1 + " 25", Bytes(0x25) + " 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(GetDataCommand);

            Assert.Equal(new[] { GetDataPin1, GetDataPin1 + " 25" }, api.Sent);
            Assert.Equal(0x25, response.Data.Length);
        }

        [Fact]
        public void Transmit_6C00_ResendsWithLe256()
        {
            var api = new ScriptedPcscApi();
            api.On("00 B0 00 00 10", "6C 00");
            api.On("00 B0 00 00 00", Bytes(256, 0x00) + " 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(new CommandApdu(0x00, 0xB0, 0x00, 0x00, null, 0x10));

            Assert.Equal(new[] { "00 B0 00 00 10", "00 B0 00 00 00" }, api.Sent);
            Assert.Equal(256, response.Data.Length);
        }

        [Fact]
        public void Transmit_6CxxThen61xx_CollectsTheRest()
        {
            var api = new ScriptedPcscApi();
            api.On(ReadBinary, "6C 04");
            api.On("00 B0 00 00 04", "01 02 61 02");
            api.On("00 C0 00 00 02", "03 04 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(ReadBinaryCommand);

            Assert.Equal(new[] { ReadBinary, "00 B0 00 00 04", "00 C0 00 00 02" }, api.Sent);
            Assert.Equal("01 02 03 04", Hex.Format(response.Data));
        }

        [Fact]
        public void Transmit_61xxForever_StopsAfterMaxGetResponseRounds()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "AA 61 01");
            api.On("00 C0 00 00 01", "BB 61 01");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(GetDataCommand));

            Assert.Equal(ErrorIds.CardAnswerTooLong, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName);
            Assert.Equal(CardConnection.MaxGetResponseRounds, api.Sent.Count(hex => hex == "00 C0 00 00 01"));
            Assert.Equal(1 + CardConnection.MaxGetResponseRounds, api.Sent.Count);
            Assert.Equal(api.Sent.Count, connection.CommandsSent);
        }

        [Fact]
        public void Transmit_6CxxForever_StopsWithCardAnswerTooLong()
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 B0 00 00", "6C 20");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(ReadBinaryCommand));

            Assert.Equal(ErrorIds.CardAnswerTooLong, error.ErrorId);
            Assert.Equal(1 + CardConnection.MaxWrongLeResends, api.Sent.Count);
            Assert.Equal(new[] { ReadBinary, "00 B0 00 00 20", "00 B0 00 00 20" }, api.Sent);
        }

        [Fact]
        public void Transmit_ResetCard_ReconnectsRunsAfterResetAndResendsExactlyOnce()
        {
            var api = new ScriptedPcscApi { ConnectProtocol = Protocols.T0, ReconnectProtocol = Protocols.T1 };
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.On(Select, "90 00");
            api.On("00 20 00 11", "63 C4");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var afterResetRuns = 0;
            connection.AfterReset = c =>
            {
                afterResetRuns++;
                Assert.Equal("90 00", c.Transmit(SelectCommand).StatusWord.ToString());
            };

            var response = connection.Transmit(new CommandApdu(0x00, 0x20, 0x00, 0x11));

            Assert.Equal(new StatusWord(0x63, 0xC4), response.StatusWord);
            Assert.Equal(1, afterResetRuns);
            Assert.Equal(new[] { "00 20 00 11", Select, "00 20 00 11" }, api.Sent);
            var calls = api.Calls.Where(c => c.StartsWith("Transmit", StringComparison.Ordinal) || c.StartsWith("Reconnect", StringComparison.Ordinal)).ToArray();
            Assert.Equal(
                new[] { "Transmit 00 20 00 11", "Reconnect Shared Any LeaveCard", "Transmit " + Select, "Transmit 00 20 00 11" },
                calls);
            Assert.Equal(Protocols.T1, connection.ActiveProtocol);
            Assert.Equal(new[] { Protocols.T0, Protocols.T1, Protocols.T1 }, api.TransmitProtocols);
        }

        [Fact]
        public void Transmit_ResetCardDuringAfterReset_ThrowsCardResetWithoutAnotherReconnect()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.TransmitResults.Enqueue(PcscResult.ResetCard); // the re-SELECT is refused as well
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.AfterReset = c => c.Transmit(SelectCommand);

            var error = Assert.Throws<PcscException>(() => connection.Transmit(new CommandApdu(0x00, 0x20, 0x00, 0x11)));

            Assert.Equal(ErrorIds.CardReset, error.ErrorId);
            Assert.Equal(1, api.CountCalls("Reconnect"));
            Assert.Equal(new[] { "00 20 00 11", Select }, api.Sent);
        }

        [Fact]
        public void Transmit_ResetCardWithoutAfterReset_ResendsOnce()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.On(ReadBinary, "01 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(ReadBinaryCommand);

            Assert.Equal(new[] { ReadBinary, ReadBinary }, api.Sent);
            Assert.Equal("01", Hex.Format(response.Data));
        }

        [Fact]
        public void Transmit_ReconnectFails_ThrowsTheReconnectError()
        {
            var api = new ScriptedPcscApi { ReconnectResult = PcscResult.RemovedCard };
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var afterResetRan = false;
            connection.AfterReset = _ => afterResetRan = true;

            var error = Assert.Throws<CardRemovedException>(() => connection.Transmit(ReadBinaryCommand));

            Assert.Equal(ErrorIds.CardRemoved, error.ErrorId);
            Assert.False(afterResetRan);
            Assert.Single(api.Sent);
        }

        [Fact]
        public void Transmit_SensitiveCommand_SendBufferIsZeroedAfterwards()
        {
            var api = new ScriptedPcscApi();
            api.On("00 20 00 11 0C 31 37 39 33 38 35 00 00 00 00 00 00", "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Transmit(SensitiveVerify());

            Assert.Equal("00 20 00 11 0C 31 37 39 33 38 35 00 00 00 00 00 00", Assert.Single(api.Sent));
            var buffer = Assert.Single(api.SendBuffers);
            Assert.True(buffer.Length >= 17);
            Assert.All(buffer, b => Assert.Equal(0, b));
        }

        [Fact]
        public void Transmit_EveryRoundOfAnExchange_ZeroesTheSendBuffer()
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 24 00 82 18 31 37 39 33", "61 02");
            api.On("00 C0 00 00 02", "01 02 90 00");
            var command = new CommandApdu(0x00, 0x24, 0x00, 0x82, Hex.Parse(
                "31 37 39 33 38 35 00 00 00 00 00 00 39 37 31 33 35 38 00 00 00 00 00 00"), isSensitive: true);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Transmit(command);

            Assert.Equal(2, api.SendBuffers.Count);
            Assert.All(api.SendBuffers, buffer => Assert.All(buffer, b => Assert.Equal(0, b)));
        }

        [Fact]
        public void Transmit_EmptyAnswerCardStillPresent_ThrowsCardNotResponding()
        {
            var api = new ScriptedPcscApi().WithReader(Reader, new byte[] { 0x3B, 0x00 });
            api.On(ReadBinary, string.Empty);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(ReadBinaryCommand));

            Assert.Equal(ErrorIds.CardNotResponding, error.ErrorId);
        }

        [Fact]
        public void Transmit_EmptyAnswerAndTheReaderIsEmpty_ThrowsCardRemoved()
        {
            // pcsc-lite with vpcd answers a command to a card that just left with zero bytes, reporting the removal later.
            var api = new ScriptedPcscApi().WithReader(Reader, Array.Empty<byte>(), ReaderStates.Empty);
            api.On(ReadBinary, string.Empty);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<CardRemovedException>(() => connection.Transmit(ReadBinaryCommand));

            Assert.Equal(ErrorIds.CardRemoved, error.ErrorId);
            Assert.Equal(ErrorIds.CardRemoved, error.MessageKey);
        }

        [Fact]
        public void Transmit_UsesTheConnectedProtocol()
        {
            var api = new ScriptedPcscApi { ConnectProtocol = Protocols.T0 };
            api.On(ReadBinary, "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Transmit(ReadBinaryCommand);

            Assert.Equal(Protocols.T0, connection.ActiveProtocol);
            Assert.Equal(new[] { Protocols.T0 }, api.TransmitProtocols);
        }

        [Fact]
        public void CommandsSent_CountsEveryCommandAcrossTransmits()
        {
            var api = new ScriptedPcscApi();
            api.On(Select, "90 00");
            api.On(ReadBinary, "6C 02");
            api.On("00 B0 00 00 02", "01 61 01");
            api.On("00 C0 00 00 01", "02 90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            Assert.Equal(0, connection.CommandsSent);
            connection.Transmit(SelectCommand);
            Assert.Equal(1, connection.CommandsSent);
            connection.Transmit(ReadBinaryCommand);
            Assert.Equal(4, connection.CommandsSent);
            Assert.Equal(api.Sent.Count, connection.CommandsSent);
        }

        [Fact]
        public void CommandsSent_TransmitRefusedWithResetCard_IsNotCounted()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.On(Select, "90 00");
            api.On(ReadBinary, "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.AfterReset = c => c.Transmit(SelectCommand);

            connection.Transmit(ReadBinaryCommand);

            // reached the card: the re-SELECT and the resent READ BINARY; refused before the card: the first try
            Assert.Equal(2, connection.CommandsSent);
        }

        [Fact]
        public void Transmit_GetResponseAnswering6CxxForever_Stops()
        {
            var api = new ScriptedPcscApi();
            api.On(GetDataPin1, "61 10");
            api.OnPrefix("00 C0 00 00", "6C 08");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var outcome = Record.Exception(() => connection.Transmit(GetDataCommand));

            Assert.True(api.Sent.Count <= 1 + CardConnection.MaxGetResponseRounds * 2, "sent " + api.Sent.Count);
            Assert.True(outcome == null || outcome is FinCardPinException, outcome?.ToString());
        }

        [Fact]
        public void Trace_PcscFailure_IsTraced()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.RemovedCard);
            var lines = new List<string>();
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Trace = lines.Add;

            Assert.Throws<CardRemovedException>(() => connection.Transmit(ReadBinaryCommand));

            Assert.Equal(new[] { "> " + ReadBinary, "< PC/SC RemovedCard" }, lines);
        }

        [Fact]
        public void BeginTransaction_Dispose_EndsWithLeaveCardOnce()
        {
            var api = new ScriptedPcscApi();
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var transaction = connection.BeginTransaction();
            Assert.Equal(1, api.CountCalls("BeginTransaction Success"));
            Assert.Equal(0, api.CountCalls("EndTransaction"));

            transaction.Dispose();
            transaction.Dispose();

            Assert.Equal(new[] { "EndTransaction LeaveCard" }, api.Calls.Where(c => c.StartsWith("EndTransaction", StringComparison.Ordinal)));
        }

        [Theory]
        [InlineData(false)] // EndTransaction answers REMOVED_CARD
        [InlineData(true)] // EndTransaction throws
        public void TransactionDispose_EndTransactionFailsOrThrows_DoesNotThrow(bool endTransactionThrows)
        {
            var api = endTransactionThrows
                ? new ScriptedPcscApi { EndTransactionThrows = true }
                : new ScriptedPcscApi { EndTransactionResult = PcscResult.RemovedCard };
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var transaction = connection.BeginTransaction();

            var thrown = Record.Exception(() => transaction.Dispose());

            Assert.Null(thrown);
            Assert.Equal(1, api.CountCalls("EndTransaction LeaveCard"));
        }

        [Fact]
        public void BeginTransaction_SharingViolation_ThrowsReaderBusy()
        {
            var api = new ScriptedPcscApi();
            api.BeginTransactionResults.Enqueue(PcscResult.SharingViolation);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<ReaderBusyException>(() => connection.BeginTransaction());

            Assert.Equal(ErrorIds.ReaderInExclusiveUse, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName);
        }

        [Fact]
        public void BeginTransaction_ResetCard_ReconnectsAndBeginsAgain()
        {
            var api = new ScriptedPcscApi();
            api.BeginTransactionResults.Enqueue(PcscResult.ResetCard);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            using (connection.BeginTransaction())
            {
            }

            Assert.Equal(
                new[] { "BeginTransaction ResetCard", "Reconnect Shared Any LeaveCard", "BeginTransaction Success", "EndTransaction LeaveCard" },
                api.Calls.Where(c => c.StartsWith("BeginTransaction", StringComparison.Ordinal)
                    || c.StartsWith("Reconnect", StringComparison.Ordinal) || c.StartsWith("EndTransaction", StringComparison.Ordinal)));
        }

        [Fact]
        public void Dispose_Connection_DisconnectsWithLeaveCardOnce()
        {
            var api = new ScriptedPcscApi();
            var (context, connection) = Connect(api);
            using (context)
            {
                connection.Dispose();
                connection.Dispose();

                Assert.Equal(new[] { "Disconnect LeaveCard" }, api.Calls.Where(c => c.StartsWith("Disconnect", StringComparison.Ordinal)));
            }
        }

        // ---- commands that carry a code: at most once, whatever the card answers ---------------------------------

        [Theory]
        [InlineData("6C 0C")]
        [InlineData("6C 00")]
        public void Transmit_CodeAnswered6Cxx_SendsItOnceAndReportsOutcomeUnknown(string answer)
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 20 00 11", answer, "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(SensitiveVerify()));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Single(api.Sent);
            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.MessageKey);
            Assert.True(connection.CodeSent);
        }

        [Fact]
        public void Transmit_CodeResetByAnotherProgram_NeitherReconnectsNorResends()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.On(Select, "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var afterResetRuns = 0;
            connection.AfterReset = c =>
            {
                afterResetRuns++;
                c.Transmit(SelectCommand);
            };

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(SensitiveVerify()));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Equal(ErrorIds.CardReset, Assert.IsType<PcscException>(error.InnerException).ErrorId);
            Assert.Equal(0, api.CountCalls("Reconnect"));
            Assert.Equal(0, afterResetRuns);
            Assert.Single(api.Sent);
        }

        [Fact]
        public void Transmit_CodeThenCardRemoved_ZeroesTheSendBufferAndReportsOutcomeUnknown()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.RemovedCard);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(SensitiveVerify()));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.IsType<CardRemovedException>(error.InnerException);
            Assert.Equal(ErrorIds.CardRemoved, Assert.IsAssignableFrom<FinCardPinException>(error.Facts["cause"]).ErrorId);
            Assert.All(Assert.Single(api.SendBuffers), b => Assert.Equal(0, b));
        }

        [Fact]
        public void Transmit_CodeGetsEmptyAnswer_ReportsOutcomeUnknownWithoutResending()
        {
            var api = new ScriptedPcscApi().WithReader(Reader, new byte[] { 0x3B, 0x00 });
            api.OnPrefix("00 20 00 11", string.Empty);
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(SensitiveVerify()));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Single(api.Sent);
        }

        [Fact]
        public void Transmit_Code61xx_CollectsTheAnswerWithGetResponseAndSendsTheCodeOnce()
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 20 00 11", "61 02");
            api.On("00 C0 00 00 02", "6C 01");
            api.On("00 C0 00 00 01", "AA 63 C3");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var response = connection.Transmit(SensitiveVerify());

            Assert.Equal(new StatusWord(0x63, 0xC3), response.StatusWord);
            Assert.Single(api.Sent, hex => hex.StartsWith("00 20", StringComparison.Ordinal));
            Assert.Equal(new[] { "00 C0 00 00 02", "00 C0 00 00 01" }, api.Sent.Skip(1));
        }

        [Fact]
        public void Transmit_Code61xxThenResetDuringGetResponse_ReportsOutcomeUnknownWithoutReconnecting()
        {
            var api = new ScriptedPcscApi();
            api.TransmitResults.Enqueue(PcscResult.Success);
            api.TransmitResults.Enqueue(PcscResult.ResetCard);
            api.OnPrefix("00 20 00 11", "61 02");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            var error = Assert.Throws<FinCardPinException>(() => connection.Transmit(SensitiveVerify()));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName); // the reader, not the message of the failure inside
            Assert.Equal(0, api.CountCalls("Reconnect"));
            Assert.Single(api.Sent, hex => hex.StartsWith("00 20", StringComparison.Ordinal));
        }

        // One session: transaction, one command, end of the transaction, disconnect.
        private static void RunSession(ScriptedPcscApi api, CommandApdu command)
        {
            var (context, connection) = Connect(api);
            using (context)
            {
                var transaction = connection.BeginTransaction();
                connection.Transmit(command);
                transaction.Dispose();
                connection.Dispose();
            }
        }

        [Fact]
        public void Dispose_AfterACode_EndsTheTransactionWithAResetSoNothingStaysVerified()
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 20 00 11", "90 00");

            RunSession(api, SensitiveVerify());

            Assert.Contains("EndTransaction ResetCard", api.Calls);
            Assert.Contains("Disconnect LeaveCard", api.Calls);
        }

        [Fact]
        public void Dispose_AfterACodeWhenTheTransactionCouldNotEnd_ResetsOnDisconnect()
        {
            var api = new ScriptedPcscApi { EndTransactionResult = PcscResult.NotTransacted };
            api.OnPrefix("00 20 00 11", "63 C4");

            RunSession(api, SensitiveVerify());

            Assert.Contains("Disconnect ResetCard", api.Calls);
        }

        [Fact]
        public void Dispose_WithoutACode_LeavesTheCardAsItIs()
        {
            var api = new ScriptedPcscApi();
            api.On(Select, "90 00");

            RunSession(api, SelectCommand);

            Assert.Contains("EndTransaction LeaveCard", api.Calls);
            Assert.Contains("Disconnect LeaveCard", api.Calls);
            Assert.DoesNotContain(api.Calls, call => call.EndsWith("ResetCard", StringComparison.Ordinal));
        }

        [Fact]
        public void Trace_SensitiveCommand_ShowsNeitherTheCodeNorItsLength()
        {
            var api = new ScriptedPcscApi();
            api.OnPrefix("00 20 00 11", "63 C2");
            api.On(Select, "90 00");
            var lines = new List<string>();
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Trace = lines.Add;

            connection.Transmit(SelectCommand);
            connection.Transmit(SensitiveVerify());

            Assert.Equal(new[] { "> " + Select, "< 90 00", "> 00 20 00 11 [code redacted]", "< 63 C2" }, lines);
        }

        [Fact]
        public void Trace_SensitiveCommand_IsWrittenBeforeTheCodeIsCopiedIntoTheSendBuffer()
        {
            var api = new ScriptedPcscApi();
            api.On(Select, "90 00");
            api.OnPrefix("00 20 00 11", "90 00");
            using var context = new PcscContext(api);
            using var connection = context.Connect(Reader);

            connection.Transmit(SelectCommand);
            var sendBuffer = Assert.Single(api.SendBuffers); // the connection's one pinned send buffer
            var bufferAtTrace = new List<byte>();
            connection.Trace = line =>
            {
                if (line.StartsWith("> 00 20", StringComparison.Ordinal))
                {
                    bufferAtTrace.AddRange(sendBuffer);
                }
            };

            connection.Transmit(SensitiveVerify());

            Assert.Same(sendBuffer, api.SendBuffers[1]);
            Assert.NotEmpty(bufferAtTrace);
            Assert.All(bufferAtTrace, b => Assert.Equal(0, b));
        }
    }
}
