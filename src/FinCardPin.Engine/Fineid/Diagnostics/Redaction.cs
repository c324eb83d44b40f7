using System;
using System.Collections.Generic;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Fineid.Pkcs15;

namespace FinCardPin.Engine.Fineid.Diagnostics
{
    /// <summary>
    /// Makes a report safe to send, deny by default: only what is known to hold nothing personal stays as the card
    /// said it. That is the status word of every answer; the answers to SELECT, GET DATA and the empty VERIFY (file
    /// control data, counters); EF.ODF and the AODF (where the PKCS#15 objects are and how the PIN objects are
    /// formatted); and of EF.TokenInfo only its known non-personal fields (version, manufacturer, token flags,
    /// supported algorithms — PKCS#15 v1.1 section 6.9), parsed from the whole file. Every other byte becomes 'X'
    /// with the length kept, so the report still plays back as a card: the serial, the label, any field nobody
    /// listed, and all of EF.TokenInfo when it was not read whole (a read that failed half-way) or does not parse.
    /// </summary>
    internal static class Redaction
    {
        private const byte Blank = (byte)'X';
        private const string TokenInfoId = "5032";
        private const string OdfId = "5031";

        // EF.TokenInfo's top-level fields that say nothing about a card or a person: version INTEGER, manufacturerID
        // UTF8String, tokenflags BIT STRING, supportedAlgorithms [2]. The serial (OCTET STRING), the label [0] and
        // anything else are blanked.
        private static readonly HashSet<int> HarmlessTokenInfoTags = new HashSet<int> { 0x02, 0x0C, 0x03, 0xA2 };

        // SELECT, GET DATA, VERIFY (without a code: the diagnostics send no other): answers of file control data,
        // counters and status words only. READ BINARY is decided by the file it reads.
        private static readonly HashSet<byte> HarmlessAnswerInstructions = new HashSet<byte> { 0xA4, 0xCB, 0x20 };

        public static void Apply(CardDiagnosticReport report)
        {
            var harmlessFiles = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { OdfId };
            foreach (var file in report.Files)
            {
                if (file.Name == "AODF")
                {
                    harmlessFiles.Add(file.FileId);
                }
            }

            var tokenInfoFile = report.Files.Find(f => f.FileId == TokenInfoId);
            var safeTokenInfo = tokenInfoFile == null ? null : HarmlessPart(Hex.Parse(tokenInfoFile.Content));
            var secrets = PersonalValues(report, tokenInfoFile);

            report.Files.RemoveAll(f => !harmlessFiles.Contains(f.FileId) && !(f.FileId == TokenInfoId && safeTokenInfo != null));
            if (tokenInfoFile != null && safeTokenInfo != null)
            {
                tokenInfoFile.Content = Hex.Format(safeTokenInfo);
            }

            string? selected = null;
            foreach (var exchange in report.Exchanges)
            {
                var command = Hex.Parse(exchange.Command);
                var response = Hex.Parse(exchange.Response);
                var ins = command.Length >= 2 ? command[1] : (byte)0;
                if (ins == 0xA4)
                {
                    selected = SelectedFile(command);
                }

                if (ins == 0xB0 && command.Length >= 4)
                {
                    var offset = (command[2] << 8) | command[3];
                    if (selected == TokenInfoId && safeTokenInfo != null)
                    {
                        CopySlice(safeTokenInfo, offset, response);
                    }
                    else if (selected == null || !harmlessFiles.Contains(selected))
                    {
                        BlankData(response);
                    }
                }
                else if (!HarmlessAnswerInstructions.Contains(ins))
                {
                    BlankData(response);
                }

                // Anything kept that still repeats the serial or the label (no FINEID answer should) is blanked too.
                foreach (var secret in secrets)
                {
                    BlankAll(response, secret);
                }

                exchange.Response = Hex.Format(response);
            }
        }

        /// <summary>
        /// The file with only its structure and its harmless fields' values left; null when it is not one whole
        /// TokenInfo SEQUENCE (then nothing of it can be told harmless).
        /// </summary>
        private static byte[]? HarmlessPart(byte[] file)
        {
            var start = 0;
            while (start < file.Length && (file[start] == 0x00 || file[start] == 0xFF))
            {
                start++;
            }

            if (!TlvReader.TryReadHeader(file, start, out var tag, out var position, out var length) || tag != 0x30 || position + length > file.Length)
            {
                return null;
            }

            var safe = new byte[file.Length];
            for (var i = 0; i < safe.Length; i++)
            {
                safe[i] = i < position ? file[i] : Blank;
            }

            var end = position + length;
            while (position < end)
            {
                if (!TlvReader.TryReadHeader(file, position, out var fieldTag, out var valueStart, out var valueLength) || valueStart + valueLength > end)
                {
                    return null;
                }

                var keep = HarmlessTokenInfoTags.Contains(fieldTag) ? valueStart + valueLength : valueStart;
                Buffer.BlockCopy(file, position, safe, position, keep - position);
                position = valueStart + valueLength;
            }

            return safe;
        }

        // The serial and the label as far as they were read: from the whole file, or else from the READ BINARY answers
        // of a read that stopped half-way (the first piece usually holds both).
        private static List<byte[]> PersonalValues(CardDiagnosticReport report, DiagnosticFile? tokenInfoFile)
        {
            var read = tokenInfoFile != null ? Hex.Parse(tokenInfoFile.Content) : ReadPrefix(report);
            var values = new List<byte[]>();
            foreach (var (offset, length) in TokenInfo.PersonalFields(read))
            {
                if (length > 0)
                {
                    var value = new byte[length];
                    Buffer.BlockCopy(read, offset, value, 0, length);
                    values.Add(value);
                }
            }

            return values;
        }

        private static byte[] ReadPrefix(CardDiagnosticReport report)
        {
            var prefix = new List<byte>();
            string? selected = null;
            foreach (var exchange in report.Exchanges)
            {
                var command = Hex.Parse(exchange.Command);
                if (command.Length >= 2 && command[1] == 0xA4)
                {
                    selected = SelectedFile(command);
                }
                else if (selected == TokenInfoId && command.Length >= 4 && command[1] == 0xB0 && ((command[2] << 8) | command[3]) == prefix.Count)
                {
                    var response = Hex.Parse(exchange.Response);
                    for (var i = 0; i < response.Length - 2; i++)
                    {
                        prefix.Add(response[i]);
                    }
                }
            }

            return prefix.ToArray();
        }

        // SELECT of an elementary file by its id (P1 02): its id in hex; anything else selects no file known here.
        private static string? SelectedFile(byte[] command) =>
            command.Length >= 7 && command[2] == 0x02 && command[4] == 2 ? Hex.Format(command, 5, 2).Replace(" ", string.Empty) : null;

        private static void CopySlice(byte[] file, int offset, byte[] response)
        {
            for (var i = 0; i < response.Length - 2; i++)
            {
                response[i] = offset + i < file.Length ? file[offset + i] : Blank;
            }
        }

        private static void BlankData(byte[] response)
        {
            for (var i = 0; i < response.Length - 2; i++)
            {
                response[i] = Blank;
            }
        }

        private static void BlankAll(byte[] data, byte[] value)
        {
            if (value.Length < 4)
            {
                return;
            }

            for (var start = 0; start + value.Length <= data.Length - 2; start++)
            {
                var match = true;
                for (var i = 0; i < value.Length && match; i++)
                {
                    match = data[start + i] == value[i];
                }

                if (match)
                {
                    for (var i = 0; i < value.Length; i++)
                    {
                        data[start + i] = Blank;
                    }
                }
            }
        }
    }
}
