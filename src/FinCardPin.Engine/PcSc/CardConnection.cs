using System;
using System.IO;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A connection to the card in one reader. <see cref="Transmit"/> completes an exchange the way a T=0 card
    /// needs it (neither Windows nor pcsc-lite does this): GET RESPONSE while the card answers 61xx, and one
    /// resend with the right Le on 6Cxx. A card reset by another program is reconnected once, the application
    /// state restored by <see cref="AfterReset"/>, and the command sent again.
    /// </summary>
    public sealed class CardConnection : IDisposable
    {
        /// <summary>GET RESPONSE rounds before the engine gives up on a card that never stops saying 61xx.</summary>
        public const int MaxGetResponseRounds = 64;

        /// <summary>Resends on 6Cxx before the engine gives up on a card that never accepts its own Le.</summary>
        public const int MaxWrongLeResends = 2;

        private const int ReceiveBufferSize = 258;

        private readonly IPcscApi _api;
        private readonly CardHandle _handle;
        private readonly byte[] _send = new byte[5 + CommandApdu.MaxData + 1];
        private readonly byte[] _receive = new byte[ReceiveBufferSize];
        private readonly Func<bool>? _cardLeft;
        private bool _restoringAfterReset;

        internal CardConnection(IPcscApi api, string readerName, CardHandle handle, Protocols activeProtocol, Func<bool>? cardLeft = null)
        {
            _api = api;
            ReaderName = readerName;
            _handle = handle;
            ActiveProtocol = activeProtocol;
            _cardLeft = cardLeft;
        }

        public string ReaderName { get; }

        public Protocols ActiveProtocol { get; private set; }

        /// <summary>Receives one line per command and per answer; sensitive command data is already redacted.</summary>
        public Action<string>? Trace { get; set; }

        /// <summary>Run after a reconnect caused by another program's reset, before the command is sent again.</summary>
        public Action<CardConnection>? AfterReset { get; set; }

        /// <summary>How many command APDUs went to the card, GET RESPONSEs and resends included.</summary>
        public int CommandsSent { get; private set; }

        public CardTransaction BeginTransaction()
        {
            var result = _api.BeginTransaction(Handle);
            if (result == PcscResult.ResetCard)
            {
                Reconnect();
                result = _api.BeginTransaction(Handle);
            }

            PcscContext.ThrowOnFailure(result, ReaderName, "starting a card transaction");
            return new CardTransaction(_api, Handle);
        }

        public ResponseApdu Transmit(CommandApdu command)
        {
            var response = TransmitWithResetRetry(command);
            for (var resend = 0; response.StatusWord.IsWrongLe; resend++)
            {
                if (resend == MaxWrongLeResends)
                {
                    throw AnswerTooLong();
                }

                response = TransmitWithResetRetry(command.WithLe(response.StatusWord.LengthFromSw2));
            }

            return response.StatusWord.IsMoreData ? CollectMoreData(response) : response;
        }

        public void Dispose() => _handle.Dispose();

        private IntPtr Handle => _handle.DangerousGetHandle();

        private ResponseApdu CollectMoreData(ResponseApdu first)
        {
            using var collected = new MemoryStream();
            collected.Write(first.Data, 0, first.Data.Length);
            var response = first;
            for (var round = 0; response.StatusWord.IsMoreData; round++)
            {
                if (round == MaxGetResponseRounds)
                {
                    throw AnswerTooLong();
                }

                var getResponse = new CommandApdu(0x00, 0xC0, 0x00, 0x00, null, response.StatusWord.LengthFromSw2);
                response = TransmitWithResetRetry(getResponse);
                if (response.StatusWord.IsWrongLe)
                {
                    response = TransmitWithResetRetry(getResponse.WithLe(response.StatusWord.LengthFromSw2));
                }

                collected.Write(response.Data, 0, response.Data.Length);
            }

            return new ResponseApdu(collected.ToArray(), response.StatusWord);
        }

        private ResponseApdu TransmitWithResetRetry(CommandApdu command)
        {
            var result = TransmitOnce(command, out var response);
            if (result == PcscResult.ResetCard && !_restoringAfterReset)
            {
                // pcsc-lite and Windows refuse the transmit before it reaches the card, so sending it again after
                // the reconnect cannot spend a second PIN try.
                Reconnect();
                result = TransmitOnce(command, out response);
            }

            PcscContext.ThrowOnFailure(result, ReaderName, "talking to the card");
            return response!;
        }

        private PcscResult TransmitOnce(CommandApdu command, out ResponseApdu? response)
        {
            response = null;
            var sendLength = command.EncodeTo(_send);
            var receiveLength = _receive.Length;
            PcscResult result;
            try
            {
                Trace?.Invoke("> " + command);
                result = _api.Transmit(Handle, ActiveProtocol, _send, sendLength, _receive, ref receiveLength);
            }
            finally
            {
                SecureMemory.Zero(_send);
            }

            if (result != PcscResult.Success)
            {
                Trace?.Invoke("< PC/SC " + result);
                return result;
            }

            if (receiveLength < 2)
            {
                // Some stacks (pcsc-lite with vpcd) answer a command to a card that has just left with zero bytes.
                if (_cardLeft != null && _cardLeft())
                {
                    throw PcscErrorMap.ToException(PcscResult.RemovedCard, ReaderName, "talking to the card");
                }

                throw new FinCardPinException(ErrorIds.CardNotResponding, FailureKind.DeviceError,
                    "The card in reader '" + ReaderName + "' gave an empty answer.",
                    "Take the card out, insert it again, and check its codes with Get-CardPinStatus before you retry.") { ReaderName = ReaderName };
            }

            CommandsSent++;
            response = ResponseApdu.Parse(_receive, receiveLength);
            Trace?.Invoke("< " + response);
            return result;
        }

        private void Reconnect()
        {
            var result = _api.Reconnect(Handle, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out var protocol);
            PcscContext.ThrowOnFailure(result, ReaderName, "reconnecting to the card");
            ActiveProtocol = protocol;
            if (AfterReset == null)
            {
                return;
            }

            _restoringAfterReset = true;
            try
            {
                AfterReset(this);
            }
            finally
            {
                _restoringAfterReset = false;
            }
        }

        private FinCardPinException AnswerTooLong() =>
            new FinCardPinException(ErrorIds.CardAnswerTooLong, FailureKind.ProtocolError,
                "The card in reader '" + ReaderName + "' kept asking to send more data; FinCardPin stopped waiting.",
                "Take the card out, insert it again and retry. If it persists, the card may be faulty.") { ReaderName = ReaderName };
    }
}
