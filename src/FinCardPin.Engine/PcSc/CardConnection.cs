using System;
using System.IO;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PinPad;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// A connection to the card in one reader. <see cref="Transmit"/> completes an exchange the way a T=0 card
    /// needs it (neither Windows nor pcsc-lite does this): GET RESPONSE while the card answers 61xx, and one
    /// resend with the right Le on 6Cxx. A card reset by another program is reconnected once, the application
    /// state restored by <see cref="AfterReset"/>, and the command sent again.
    /// A command that carries a code is different: it reaches the card at most once. Whatever would need it sent
    /// again (6Cxx, a reset, no answer) ends the operation with <see cref="ErrorIds.PinOutcomeUnknown"/>, because
    /// a second copy could spend a second try. Once a code has been sent, the connection ends with a card reset, so
    /// that no code stays verified for other programs.
    /// </summary>
    internal sealed class CardConnection : IDisposable
    {
        /// <summary>GET RESPONSE rounds before the engine gives up on a card that never stops saying 61xx.</summary>
        public const int MaxGetResponseRounds = 64;

        /// <summary>Resends on 6Cxx before the engine gives up on a card that never accepts its own Le.</summary>
        public const int MaxWrongLeResends = 2;

        private const int ReceiveBufferSize = 258;

        private readonly IPcscApi _api;
        private readonly CardHandle _handle;

        // Pinned for the connection's life: a code copied into it is never left behind by a GC compaction.
        private readonly PinnedBytes _send = new PinnedBytes(5 + CommandApdu.MaxData + 1);
        private readonly byte[] _receive = new byte[ReceiveBufferSize];
        private readonly Func<bool>? _cardLeft;
        private readonly CallWatch _watch;
        private bool _restoringAfterReset;
        private bool _resetAfterCode;
        private bool _inTransaction;

        internal CardConnection(IPcscApi api, string readerName, CardHandle handle, Protocols activeProtocol, CallWatch watch, Func<bool>? cardLeft = null)
        {
            _api = api;
            ReaderName = readerName;
            _handle = handle;
            ActiveProtocol = activeProtocol;
            _watch = watch;
            _cardLeft = cardLeft;
        }

        public string ReaderName { get; }

        public Protocols ActiveProtocol { get; private set; }

        /// <summary>Receives one line per command and per answer; sensitive command data is already redacted.</summary>
        public Action<string>? Trace { get; set; }

        /// <summary>
        /// Run after a reconnect caused by another program's reset (with the transaction taken again), before the
        /// command is sent again: it restores the application state and checks the card is still the same one.
        /// </summary>
        public Action<CardConnection>? AfterReset { get; set; }

        /// <summary>How many command APDUs went to the card, GET RESPONSEs and resends included.</summary>
        public int CommandsSent { get; private set; }

        /// <summary>
        /// True once a command carrying a code was handed to PC/SC (whether or not the card answered): the session
        /// then ends with a card reset, which ends whatever that code verified.
        /// </summary>
        public bool CodeSent { get; private set; }

        public CardTransaction BeginTransaction()
        {
            var result = TakeTransaction();
            if (result == PcscResult.ResetCard)
            {
                Reconnect();
                result = TakeTransaction();
            }

            PcscContext.ThrowOnFailure(result, ReaderName, CardOperation.BeginTransaction);
            _inTransaction = true;
            return new CardTransaction(this);
        }

        public ResponseApdu Transmit(CommandApdu command)
        {
            if (command.IsSensitive)
            {
                return TransmitCode(command);
            }

            var response = TransmitWithResetRetry(command);
            for (var resend = 0; response.StatusWord.IsWrongLe; resend++)
            {
                if (resend == MaxWrongLeResends)
                {
                    throw AnswerTooLong();
                }

                response = TransmitWithResetRetry(command.WithLe(response.StatusWord.LengthFromSw2));
            }

            return response.StatusWord.IsMoreData ? CollectMoreData(response, resetRetry: true) : response;
        }

        /// <summary>What the reader's keypad can do (GET_FEATURE_REQUEST and properties). Sends no code; a failure is "no keypad".</summary>
        public PinPadInfo ReadPinPad(bool forReport = false)
        {
            var code = _api.ControlCode(ControlCodes.GetFeatureRequestFunction);
            Trace?.Invoke("> control " + code.ToString("X8", System.Globalization.CultureInfo.InvariantCulture) + " (GET_FEATURE_REQUEST)");
            var pad = PinPadDiscovery.Discover(ControlOnce, code, forReport);
            Trace?.Invoke("< keypad " + pad.Capability + (pad.UsbId == null ? string.Empty : " " + pad.UsbId));
            return pad;
        }

        /// <summary>
        /// Hands a keypad block to the reader (FEATURE_VERIFY/MODIFY_PIN_DIRECT): the reader asks the holder, writes the
        /// digits into the block's APDU and sends it to the card. Sent once, never again whatever happens: the session
        /// then ends with a reset. The wait is the card's bound plus <paramref name="keypadTime"/> (every prompt's
        /// time-out). Returns the status word the reader gave (its own 64xx/6B80, or the card's).
        /// </summary>
        public StatusWord SendToPinPad(uint controlCode, byte[] block, bool modify, TimeSpan keypadTime)
        {
            if (block == null)
            {
                throw new ArgumentNullException(nameof(block));
            }

            CodeSent = true;
            var answer = new byte[ReceiveBufferSize];
            var length = answer.Length;
            Trace?.Invoke("> keypad " + (modify ? "MODIFY " : "VERIFY ") + Hex.Format(block));
            PcscResult result;
            try
            {
                _watch.Enter(WaitKind.CardAnswer, ReaderName, carriesCode: true, keypadTime);
                try
                {
                    result = PcscContext.UsingHandle(_handle, card => _api.Control(card, controlCode, block, block.Length, answer, ref length));
                }
                finally
                {
                    _watch.Exit();
                }
            }
            catch (FinCardPinException noAnswer) when (!(noAnswer is OperationAbandonedException))
            {
                throw CodeOutcomeUnknown(noAnswer);
            }

            if (result == PcscResult.NotTransacted && modify)
            {
                // A reader without MODIFY answers it with a CCID error, which libccid and pcscd report as
                // SCARD_E_NOT_TRANSACTED (seen through pcscd 1.9.9 + libccidtwin) - but they report any CCID or transfer
                // error so, also one after the reader gave the card the codes. Whether the card changed the code is
                // unknown; "nothing was sent" could send the holder back with an old code that now costs a try.
                Trace?.Invoke("< PC/SC " + result);
                throw CodeOutcomeUnknown(new FinCardPinException(ErrorIds.PinPadCannotChange, FailureKind.InvalidOperation, ErrorIds.PinPadCannotChange + ".NotTransacted") { ReaderName = ReaderName });
            }

            if (result == PcscResult.Unexpected || result == PcscResult.UnsupportedFeatureWindows || result == PcscResult.InvalidParameter)
            {
                Trace?.Invoke("< PC/SC " + result);
                throw new FinCardPinException(ErrorIds.PinPadRequestRejected, FailureKind.DeviceError, ErrorIds.PinPadRequestRejected + ".Driver") { ReaderName = ReaderName }
                    .With("result", result.ToString());
            }

            if (result != PcscResult.Success)
            {
                Trace?.Invoke("< PC/SC " + result);
                throw CodeOutcomeUnknown(PcscErrorMap.ToException(result, ReaderName, CardOperation.SendCode));
            }

            if (length < 2)
            {
                throw CodeOutcomeUnknown(new FinCardPinException(ErrorIds.CardNotResponding, FailureKind.DeviceError, ErrorIds.CardNotResponding + ".EmptyAnswer") { ReaderName = ReaderName });
            }

            CommandsSent++;
            var sw = new StatusWord(answer[length - 2], answer[length - 1]);
            Trace?.Invoke("< " + sw);
            if (sw.IsWrongLe)
            {
                throw ResendAsked(sw);
            }

            return sw;
        }

        /// <summary>Ends the session: a card that was given a code is reset, so nothing stays verified.</summary>
        public void Dispose()
        {
            _handle.ReleaseDisposition = CodeSent && !_resetAfterCode ? Disposition.ResetCard : Disposition.LeaveCard;

            // Watched like every other call, so a reset that never ends is bounded and stoppable for the caller. Once
            // the work was given up the handle is still released (with its reset): nobody waits for it any more.
            var watched = TryEnterWatch(WaitKind.CardAnswer);
            try
            {
                _handle.Dispose();
            }
            finally
            {
                if (watched)
                {
                    _watch.Exit();
                }
            }

            _send.Dispose();
        }

        /// <summary>
        /// The error for a command that carried a code and got no usable answer (<paramref name="cause"/> says how):
        /// it is never sent again.
        /// </summary>
        internal static FinCardPinException CodeOutcomeUnknown(string? readerName, FinCardPinException cause) =>
            new FinCardPinException(ErrorIds.PinOutcomeUnknown, FailureKind.ProtocolError, ErrorIds.PinOutcomeUnknown, cause) { ReaderName = readerName }
                .With("cause", cause);

        /// <summary>Called by <see cref="CardTransaction"/>; the reset is made while the transaction is still ours.</summary>
        internal void EndTransaction()
        {
            var disposition = CodeSent ? Disposition.ResetCard : Disposition.LeaveCard;
            _inTransaction = false;
            PcscResult result;
            try
            {
                // The reset is a wait for the card like an answer: bounded by the caller (see Dispose).
                var watched = TryEnterWatch(WaitKind.CardAnswer);
                try
                {
                    result = PcscContext.UsingHandle(_handle, card => _api.EndTransaction(card, disposition));
                }
                finally
                {
                    if (watched)
                    {
                        _watch.Exit();
                    }
                }
            }
#pragma warning disable CA1031 // A failed end (card removed) must not hide the error that ended the operation.
            catch (Exception)
#pragma warning restore CA1031
            {
                return;
            }

            // If the reset did not happen here, the disconnect makes it.
            _resetAfterCode = disposition == Disposition.ResetCard && result == PcscResult.Success;
        }


        /// <summary>
        /// One transmission of a command carrying a code. Only an answer that completes with 61xx/GET RESPONSE is
        /// an answer; anything else is reported as an outcome nobody knows, never retried.
        /// </summary>
        private ResponseApdu TransmitCode(CommandApdu command)
        {
            CodeSent = true;
            ResponseApdu? response;
            PcscResult result;
            try
            {
                result = TransmitOnce(command, out response);
            }
            catch (FinCardPinException noAnswer) when (!(noAnswer is OperationAbandonedException))
            {
                throw CodeOutcomeUnknown(noAnswer);
            }

            if (result != PcscResult.Success)
            {
                var failure = PcscErrorMap.ToException(result, ReaderName, CardOperation.SendCode);
                throw CodeOutcomeUnknown(failure);
            }

            if (response!.StatusWord.IsWrongLe)
            {
                throw ResendAsked(response.StatusWord);
            }

            if (!response.StatusWord.IsMoreData)
            {
                return response;
            }

            try
            {
                return CollectMoreData(response, resetRetry: false);
            }
            catch (FinCardPinException lost) when (!(lost is OperationAbandonedException))
            {
                throw CodeOutcomeUnknown(lost);
            }
        }

        private ResponseApdu CollectMoreData(ResponseApdu first, bool resetRetry)
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
                response = resetRetry ? TransmitWithResetRetry(getResponse) : TransmitOrThrow(getResponse);
                if (response.StatusWord.IsWrongLe)
                {
                    var again = getResponse.WithLe(response.StatusWord.LengthFromSw2);
                    response = resetRetry ? TransmitWithResetRetry(again) : TransmitOrThrow(again);
                }

                collected.Write(response.Data, 0, response.Data.Length);
            }

            return new ResponseApdu(collected.ToArray(), response.StatusWord);
        }

        private ResponseApdu TransmitOrThrow(CommandApdu command)
        {
            var result = TransmitOnce(command, out var response);
            PcscContext.ThrowOnFailure(result, ReaderName, CardOperation.TalkToCard);
            return response!;
        }

        private ResponseApdu TransmitWithResetRetry(CommandApdu command)
        {
            var result = TransmitOnce(command, out var response);
            if (result == PcscResult.ResetCard && !_restoringAfterReset)
            {
                // Only commands without a code come here: sending one again after the reconnect costs nothing.
                Reconnect();
                result = TransmitOnce(command, out response);
            }

            PcscContext.ThrowOnFailure(result, ReaderName, CardOperation.TalkToCard);
            return response!;
        }

        private PcscResult TransmitOnce(CommandApdu command, out ResponseApdu? response)
        {
            response = null;

            // Traced before the code is copied anywhere: the trace sees only the redacted form.
            Trace?.Invoke("> " + command);
            var receiveLength = _receive.Length;
            PcscResult result;
            try
            {
                var sendLength = command.EncodeTo(_send.Array);
                _watch.Enter(WaitKind.CardAnswer, ReaderName, command.IsSensitive);
                try
                {
                    result = PcscContext.UsingHandle(_handle, card => _api.Transmit(card, ActiveProtocol, _send.Array, sendLength, _receive, ref receiveLength));
                }
                finally
                {
                    _watch.Exit();
                }
            }
            finally
            {
                _send.Clear();
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
                    throw PcscErrorMap.ToException(PcscResult.RemovedCard, ReaderName, CardOperation.TalkToCard);
                }

                throw new FinCardPinException(ErrorIds.CardNotResponding, FailureKind.DeviceError, ErrorIds.CardNotResponding + ".EmptyAnswer") { ReaderName = ReaderName };
            }

            CommandsSent++;
            response = ResponseApdu.Parse(_receive, receiveLength);
            Trace?.Invoke("< " + response);
            return result;
        }

        private PcscResult ControlOnce(uint controlCode, byte[] send, byte[] receive, out int receiveLength)
        {
            var length = receive.Length;
            _watch.Enter(WaitKind.CardAnswer, ReaderName);
            try
            {
                var result = PcscContext.UsingHandle(_handle, card => _api.Control(card, controlCode, send, send.Length, receive, ref length));
                receiveLength = result == PcscResult.Success ? length : 0;
                return result;
            }
            finally
            {
                _watch.Exit();
            }
        }

        private PcscResult TakeTransaction()
        {
            _watch.Enter(WaitKind.CardBusy, ReaderName);
            try
            {
                return PcscContext.UsingHandle(_handle, card => _api.BeginTransaction(card));
            }
            finally
            {
                _watch.Exit();
            }
        }

        private void Reconnect()
        {
            var protocol = Protocols.Undefined;
            _watch.Enter(WaitKind.Service, ReaderName);
            PcscResult result;
            try
            {
                result = PcscContext.UsingHandle(_handle, card => _api.Reconnect(card, ShareMode.Shared, Protocols.Any, Disposition.LeaveCard, out protocol));
            }
            finally
            {
                _watch.Exit();
            }

            PcscContext.ThrowOnFailure(result, ReaderName, CardOperation.Reconnect);
            ActiveProtocol = protocol;
            if (_inTransaction)
            {
                // The reset ended our transaction: nothing is sent before it is ours again.
                PcscContext.ThrowOnFailure(TakeTransaction(), ReaderName, CardOperation.BeginTransaction);
            }

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

        private bool TryEnterWatch(WaitKind kind)
        {
            try
            {
                _watch.Enter(kind, ReaderName);
                return true;
            }
            catch (OperationAbandonedException)
            {
                return false;
            }
        }

        private FinCardPinException CodeOutcomeUnknown(FinCardPinException cause) => CodeOutcomeUnknown(ReaderName, cause);

        // A card asking for a command with a code again (6Cxx) is never obeyed: whether it checked the code is unknown.
        private FinCardPinException ResendAsked(StatusWord sw) =>
            CodeOutcomeUnknown(new FinCardPinException(ErrorIds.PinOutcomeUnknown, FailureKind.ProtocolError, ErrorIds.PinOutcomeUnknown + ".ResendAsked") { ReaderName = ReaderName }
                .With("sw", sw.ToString()));

        private FinCardPinException AnswerTooLong() =>
            new FinCardPinException(ErrorIds.CardAnswerTooLong, FailureKind.ProtocolError) { ReaderName = ReaderName };
    }
}
