using System;

namespace FinCardPin.VirtualCard
{
    /// <summary>The APDU path: the faults that strike around a command, T=0 and T=1 answers, GET RESPONSE, dispatch to the command families.</summary>
    internal sealed partial class VirtualFineidCard
    {
        /// <summary>Processes one command APDU. Returns the answer (data + SW1 SW2), or null if the card vanished.</summary>
        public byte[]? Transmit(byte[] command) => Transmit(command ?? throw new ArgumentNullException(nameof(command)), command.Length);

        /// <summary>
        /// Processes the first <paramref name="length"/> bytes of <paramref name="command"/>. Returns the answer
        /// (data + SW1 SW2), an empty array when the card keeps silent (a fault: the reader must then wait for ever,
        /// as a real reader does), or null if the card vanished (it then stays removed).
        /// </summary>
        public byte[]? Transmit(byte[] command, int length)
        {
            if (command == null)
            {
                throw new ArgumentNullException(nameof(command));
            }

            if (length < 0 || length > command.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(length));
            }

            if (IsRemoved)
            {
                return null;
            }

            if (length >= 2 && _state.Faults.RemoveOnInstructionByte == command[1])
            {
                // Vanish before processing: no state is half changed.
                _log?.Command(command, length, null);
                Remove();
                return null;
            }

            bool hasData = length > 5;
            VirtualCardFaults faults = _state.Faults;
            byte? failAfter = faults.FailAfterInstructionByte;
            if (length >= 3 && command[1] == 0xA4 && command[2] == 0x04)
            {
                // Each operation starts by selecting the application: the count starts again with it, whatever an
                // earlier program (a reader listing that read the serial) did in the same power-on.
                _failAfterAnswersSeen = 0;
            }

            if (failAfter != null && _failAfterAnswersSeen >= Math.Max(1, faults.FailAfterAnswers))
            {
                return FailedAnswer(command, length, faults.FailAfterModeValue);
            }

            if (length >= 2 && faults.SilentOnInstructionByte == command[1])
            {
                // Never answers and never executes: what a card that stopped working looks like to the reader.
                _log?.Command(command, length, Array.Empty<byte>());
                return Array.Empty<byte>();
            }

            if (length >= 2 && faults.AnswerInstructionByte == command[1] && (hasData || !faults.AnswerOnlyCommandsWithData)
                && (faults.AnswerTimes <= 0 || _faultAnswersGiven < faults.AnswerTimes))
            {
                // Answer without executing: nothing spent, nothing changed.
                _faultAnswersGiven++;
                byte[] faultAnswer = Sw(faults.AnswerStatusWordValue);
                _log?.Command(command, length, faultAnswer);
                return faultAnswer;
            }

            byte[] response;
            if (faults.AnswerMoreDataForever)
            {
                response = length >= 2 && command[1] == 0xC0 ? new byte[] { 0x00, 0x61, 0x01 } : new byte[] { 0x61, 0x01 };
            }
            else
            {
                // Work on a copy that is wiped afterwards: the command may carry a PIN.
                var copy = new byte[length];
                Buffer.BlockCopy(command, 0, copy, 0, length);
                try
                {
                    response = Process(copy);
                }
                finally
                {
                    Array.Clear(copy, 0, copy.Length);
                }
            }

            if (hasData && faults.LoseAnswerOnInstructionByte == command[1])
            {
                // Executed, and then the answer is lost: the card vanishes instead of answering.
                _log?.Command(command, length, null);
                Remove();
                return null;
            }

            if (length >= 2 && failAfter == command[1])
            {
                _failAfterAnswersSeen++;
            }

            _log?.Command(command, length, response);
            return response;
        }

        // The FailAfterInstruction fault: nothing is executed, the card fails the way the test asked.
        private byte[]? FailedAnswer(byte[] command, int length, VirtualCardFaults.FailMode mode)
        {
            switch (mode)
            {
                case VirtualCardFaults.FailMode.Silent:
                    _log?.Command(command, length, Array.Empty<byte>());
                    return Array.Empty<byte>();
                case VirtualCardFaults.FailMode.NoStatusWord:
                    var cut = new byte[] { 0x90 };
                    _log?.Command(command, length, cut);
                    return cut;
                case VirtualCardFaults.FailMode.TooLong:
                    var more = length >= 2 && command[1] == 0xC0 ? new byte[] { 0x00, 0x61, 0x01 } : new byte[] { 0x61, 0x01 };
                    _log?.Command(command, length, more);
                    return more;
                default:
                    _log?.Command(command, length, null);
                    Remove();
                    return null;
            }
        }

        private byte[] Process(byte[] raw)
        {
            if (raw.Length < 4)
            {
                return Sw(SwWrongLength);
            }

            if (raw[0] != 0x00)
            {
                return Sw(SwClaNotSupported);
            }

            if (!Apdu.TryParse(raw, out Apdu apdu))
            {
                _pendingData = null;
                return Sw(SwWrongLength);
            }

            if (apdu.Ins == 0xC0)
            {
                return GetResponse(apdu);
            }

            _pendingData = null;
            Answer answer = Dispatch(apdu);
            if (answer.Data.Length == 0)
            {
                return Sw(answer.Sw);
            }

            if (_state.T0 && apdu.Ins != 0xB0)
            {
                // A T=0 card cannot send data with a case 4 command: it says how much there is and waits for GET RESPONSE.
                _pendingData = answer.Data;
                _pendingSw = answer.Sw;
                return Sw((ushort)(0x6100 | (answer.Data.Length & 0xFF)));
            }

            if (apdu.HasLe && apdu.Le < answer.Data.Length && apdu.Ins != 0xB0)
            {
                return Sw((ushort)(0x6C00 | (answer.Data.Length & 0xFF)));
            }

            return Concat(answer.Data, answer.Sw);
        }

        private Answer Dispatch(Apdu apdu)
        {
            if (_state.Replay != null)
            {
                return Replayed(apdu);
            }

            if (_state.Family == VirtualCardFamily.Generic)
            {
                return apdu.Ins == 0xA4 ? new Answer(SwNotFound) : new Answer(SwInsNotSupported);
            }

            switch (apdu.Ins)
            {
                case 0xA4:
                    return Select(apdu);
                case 0xB0:
                    return ReadBinary(apdu);
                case 0xCB:
                    return GetData(apdu);
                case 0x20:
                    return Verify(apdu);
                case 0x24:
                    return ChangeReferenceData(apdu);
                case 0x2C:
                    return ResetRetryCounter(apdu);
                default:
                    return new Answer(SwInsNotSupported);
            }
        }

        private byte[] GetResponse(Apdu apdu)
        {
            if (apdu.P1 != 0 || apdu.P2 != 0)
            {
                return Sw(SwWrongP1P2);
            }

            if (apdu.Data.Length != 0 || !apdu.HasLe)
            {
                return Sw(SwWrongLength);
            }

            byte[]? pending = _pendingData;
            if (pending == null)
            {
                return Sw(SwConditionsNotSatisfied);
            }

            if (apdu.Le > pending.Length)
            {
                return Sw((ushort)(0x6C00 | (pending.Length & 0xFF)));
            }

            if (apdu.Le == pending.Length)
            {
                _pendingData = null;
                return Concat(pending, _pendingSw);
            }

            var part = new byte[apdu.Le];
            Buffer.BlockCopy(pending, 0, part, 0, part.Length);
            var rest = new byte[pending.Length - part.Length];
            Buffer.BlockCopy(pending, part.Length, rest, 0, rest.Length);
            _pendingData = rest;
            return Concat(part, (ushort)(0x6100 | (rest.Length & 0xFF)));
        }
    }
}
