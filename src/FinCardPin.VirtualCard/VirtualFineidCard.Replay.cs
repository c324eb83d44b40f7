using System;
using System.Collections.Generic;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid.Diagnostics;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// Playing back a diagnostics report as a card, so that a real card's report becomes a test fixture: files are
    /// served by SELECT and READ BINARY (any offset and length, as the card would), every other command gets the answer
    /// the real card gave to the same command (its Le aside: T=0 and T=1 ask the same question). A command the report
    /// does not hold — every command carrying a code among them — is answered 6F00: the real card was never asked.
    /// </summary>
    internal sealed partial class VirtualFineidCard
    {
        private const ushort SwNoPreciseDiagnosis = 0x6F00;

        private Dictionary<string, byte[]>? _recordedAnswers;
        private Dictionary<int, byte[]>? _recordedFiles;

        private Answer Replayed(Apdu apdu)
        {
            var report = _state.Replay!;
            if (_recordedAnswers == null || _recordedFiles == null)
            {
                _recordedAnswers = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                foreach (var exchange in report.Exchanges)
                {
                    var command = Hex.Parse(exchange.Command);
                    var key = KeyOf(command[1], command[2], command[3], DataOf(command));
                    if (!_recordedAnswers.ContainsKey(key))
                    {
                        _recordedAnswers[key] = Hex.Parse(exchange.Response);
                    }
                }

                _recordedFiles = new Dictionary<int, byte[]>();
                foreach (var file in report.Files)
                {
                    var id = Hex.Parse(file.FileId);
                    _recordedFiles[(id[0] << 8) | id[1]] = Hex.Parse(file.Content);
                }
            }

            if (apdu.Ins == 0xA4 && apdu.P1 == 0x02 && apdu.Data.Length == 2
                && _recordedFiles.TryGetValue((apdu.Data[0] << 8) | apdu.Data[1], out var content))
            {
                _selectedFile = content;
                return new Answer(SwOk);
            }

            if (apdu.Ins == 0xB0)
            {
                return ReadBinary(apdu);
            }

            if (apdu.Ins == 0xA4)
            {
                _selectedFile = null;
            }

            if (!_recordedAnswers.TryGetValue(KeyOf(apdu.Ins, apdu.P1, apdu.P2, apdu.Data), out var answer) || answer.Length < 2)
            {
                return new Answer(SwNoPreciseDiagnosis);
            }

            var data = new byte[answer.Length - 2];
            Buffer.BlockCopy(answer, 0, data, 0, data.Length);
            return new Answer(data, (ushort)((answer[answer.Length - 2] << 8) | answer[answer.Length - 1]));
        }

        private static byte[] DataOf(byte[] command)
        {
            if (command.Length <= 5)
            {
                return Array.Empty<byte>();
            }

            var data = new byte[command[4]];
            Buffer.BlockCopy(command, 5, data, 0, data.Length);
            return data;
        }

        private static string KeyOf(byte ins, byte p1, byte p2, byte[] data) =>
            Hex.Format(new[] { ins, p1, p2 }) + "|" + Hex.Format(data);
    }
}
