using System;
using System.Collections.Generic;
using FinCardPin.Engine.Apdu;

namespace FinCardPin.Engine.Fineid.Diagnostics
{
    /// <summary>
    /// Blanks what identifies a card or a person in a report: the card serial and the token label of EF.TokenInfo
    /// become 'X' bytes of the same length (so the file still parses), in the file and in every READ BINARY answer
    /// that carried them.
    /// </summary>
    internal static class Redaction
    {
        private const byte Blank = (byte)'X';

        public static void Apply(CardDiagnosticReport report)
        {
            var tokenInfo = report.Files.Find(f => f.FileId == "5032");
            if (tokenInfo == null)
            {
                return;
            }

            var original = Hex.Parse(tokenInfo.Content);
            var redacted = (byte[])original.Clone();
            foreach (var (offset, length) in TokenInfo.PersonalFields(original))
            {
                for (var i = offset; i < offset + length; i++)
                {
                    redacted[i] = Blank;
                }
            }

            tokenInfo.Content = Hex.Format(redacted);
            var secrets = new List<byte[]>();
            foreach (var (offset, length) in TokenInfo.PersonalFields(original))
            {
                if (length > 0)
                {
                    var value = new byte[length];
                    Buffer.BlockCopy(original, offset, value, 0, length);
                    secrets.Add(value);
                }
            }

            // READ BINARY answers after SELECT 5032 are slices of the file at their offset: take them from the redacted file.
            var inTokenInfo = false;
            foreach (var exchange in report.Exchanges)
            {
                var command = Hex.Parse(exchange.Command);
                if (command.Length >= 2 && command[1] == 0xA4)
                {
                    inTokenInfo = command.Length >= 7 && command[2] == 0x02 && command[5] == 0x50 && command[6] == 0x32;
                    continue;
                }

                var response = Hex.Parse(exchange.Response);
                if (inTokenInfo && command[1] == 0xB0 && response.Length > 2)
                {
                    var offset = (command[2] << 8) | command[3];
                    for (var i = 0; i < response.Length - 2 && offset + i < redacted.Length; i++)
                    {
                        response[i] = redacted[offset + i];
                    }
                }

                // Anything else that repeats the serial or label (no FINEID command should) is blanked too.
                foreach (var secret in secrets)
                {
                    BlankAll(response, secret);
                }

                exchange.Response = Hex.Format(response);
            }
        }

        private static void BlankAll(byte[] data, byte[] value)
        {
            for (var start = 0; start + value.Length <= data.Length - 2; start++)
            {
                var match = true;
                for (var i = 0; i < value.Length && match; i++)
                {
                    match = data[start + i] == value[i];
                }

                if (match && value.Length >= 4)
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
