using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid.Pkcs15;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Engine.Fineid.Diagnostics
{
    /// <summary>
    /// Collects what a card says to FinCardPin's read-only commands — and only those: every command goes through
    /// <see cref="FineidCard.Query"/>, which refuses a command that carries a code. The cardholder's name is never read
    /// (no certificate is); with <c>redact</c> only what is known to be non-personal stays (see <see cref="Redaction"/>).
    /// </summary>
    internal static class CardDiagnostics
    {
        private static readonly PinCode[] Codes = { PinCode.Pin1, PinCode.Pin2, PinCode.ActivationCode };

        // Both families' references: a card of an unknown generation answers whichever it has (6A88 for the others).
        private static readonly byte[] IdentityReferences = { 0x11, 0x82, 0x83 };
        private static readonly byte[] OrganisationReferences = { 0x03, 0x04, 0x12 };
        private static readonly byte[] ProbeReferences = { 0x11, 0x82, 0x03, 0x04, 0x12 };

        /// <summary>
        /// The reader's PC/SC Part 10 features in one line: the keypad the module sees, the reader's own digit range and
        /// USB ids, each feature with its control code, and why a claimed keypad is ignored or was not read.
        /// </summary>
        internal static string DescribeFeatures(PinPad.PinPadInfo pad)
        {
            var parts = new List<string> { "keypad: " + pad.Capability };
            if (pad.MinDigits.HasValue || pad.MaxDigits.HasValue)
            {
                parts.Add("digits " + pad.MinDigits?.ToString(CultureInfo.InvariantCulture) + "-" + pad.MaxDigits?.ToString(CultureInfo.InvariantCulture));
            }

            if (pad.UsbId != null)
            {
                parts.Add("USB " + pad.UsbId);
            }

            if (pad.IgnoredBecause != null)
            {
                parts.Add("ignored: " + pad.IgnoredBecause);
            }

            parts.AddRange(pad.Describe());
            if (pad.Note != null)
            {
                parts.Add("not answered: " + pad.Note);
            }

            return string.Join("; ", parts);
        }

        public static CardDiagnosticReport Collect(PcscContext context, ReaderSnapshot reader, bool redact, string moduleVersion, string powerShellVersion)
        {
            if (context == null || reader == null)
            {
                throw new ArgumentNullException(context == null ? nameof(context) : nameof(reader));
            }

            var report = new CardDiagnosticReport
            {
                CreatedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ModuleVersion = moduleVersion,
                PowerShellVersion = powerShellVersion,
                OperatingSystem = RuntimeInformation.OSDescription,
                ProcessArchitecture = RuntimeInformation.ProcessArchitecture.ToString(),
                PcscImplementation = context.Api.Name,
                Redacted = redact,
                ReaderName = reader.Name,
                ReaderState = reader.States.ToString(),
                ReaderFeatures = DescribeFeatures(context.ReadPinPad(reader.Name, reader.HasCard, forReport: true)),
                Atr = Hex.Format(reader.Atr),
            };

            var identity = AtrCatalog.Identify(reader.Atr);
            report.CardKind = identity.Kind.ToString();
            report.Chip = identity.Chip;
            report.Contactless = identity.IsContactless;
            if (!reader.HasCard)
            {
                report.Notes.Add(DiagnosticNotes.NoCard);
                return report;
            }

            if (!identity.IsUsable)
            {
                report.Notes.Add(identity.IsContactless ? DiagnosticNotes.Contactless : DiagnosticNotes.NotFineid);
                return report;
            }

            using (var connection = context.Connect(reader.Name))
            using (connection.BeginTransaction())
            {
                report.Protocol = connection.ActiveProtocol == Protocols.T0 ? "T0" : "T1";
                Ask(report, connection, identity.Kind, redact);
            }

            if (redact)
            {
                Redaction.Apply(report);
            }

            return report;
        }

        private static void Ask(CardDiagnosticReport report, CardConnection connection, CardKind kind, bool redact)
        {
            var purpose = string.Empty;
            var sent = new HashSet<string>(StringComparer.Ordinal);
            var card = new FineidCard(connection, kind);
            card.Recorder = (command, response) =>
            {
                sent.Add(WithoutLe(command));
                report.Exchanges.Add(new DiagnosticExchange
                {
                    Purpose = purpose,
                    Command = command.ToString(),
                    Response = response.ToString(),
                });
            };

            try
            {
                purpose = "SELECT the PKCS#15 application";
                card.SelectApplication();

                purpose = "read EF.TokenInfo (5032)";
                AddFile(report, "5032", "EF.TokenInfo", card.ReadFile(FineidCommands.TokenInfoFileId, null, TokenInfo.EncodedLength));

                purpose = "read EF.ODF (5031)";
                var odf = card.ReadFile(FineidCommands.OdfFileId);
                AddFile(report, "5031", "EF.ODF", odf);
                ReadAodf(report, card, odf, p => purpose = p);

                foreach (var code in Codes)
                {
                    purpose = "status of " + code + " (as FinCardPin reads it)";
                    var status = card.ReadStatus(code);
                    report.Status.Add(new DiagnosticCodeStatus
                    {
                        Code = code.ToString(),
                        State = status.State.ToString(),
                        TriesLeft = status.TriesLeft,
                        MaxTries = status.MaxTries,
                    });
                }

                // The rest of the read-only commands FinCardPin knows, for both card families, each once.
                foreach (var reference in IdentityReferences)
                {
                    purpose = "identity PIN info GET DATA, reference " + reference.ToString("X2", CultureInfo.InvariantCulture);
                    QueryOnce(card, sent, FineidCommands.PinInfo(reference, connection.ActiveProtocol));
                }

                foreach (var reference in OrganisationReferences)
                {
                    purpose = "IDEMIA counter GET DATA, reference " + reference.ToString("X2", CultureInfo.InvariantCulture);
                    QueryOnce(card, sent, FineidCommands.IdemiaCounter(reference, connection.ActiveProtocol));
                }

                foreach (var reference in ProbeReferences)
                {
                    purpose = "empty VERIFY (no code), reference " + reference.ToString("X2", CultureInfo.InvariantCulture);
                    QueryOnce(card, sent, FineidCommands.Probe(reference));
                }
            }
            catch (FinCardPinException e)
            {
                // A redacted report keeps the failure's key, not its worded message with its facts: deny by default.
                report.Notes.Add(DiagnosticNotes.Stopped + ": " + purpose + ": " + e.ErrorId + ": " + (redact ? e.MessageKey : e.Message));
            }
        }

        private static void ReadAodf(CardDiagnosticReport report, FineidCard card, byte[]? odf, Action<string> setPurpose)
        {
            if (odf == null)
            {
                report.Notes.Add(DiagnosticNotes.NoOdf);
                return;
            }

            try
            {
                var aodfId = Pkcs15Parser.AodfFileId(odf);
                if (aodfId == null)
                {
                    report.Notes.Add(DiagnosticNotes.NoAodf);
                    return;
                }

                var id = Hex.Format(aodfId).Replace(" ", string.Empty);
                setPurpose("read the AODF (" + id + ")");
                var aodf = card.ReadFile(aodfId);
                AddFile(report, id, "AODF", aodf);
                if (aodf == null)
                {
                    report.Notes.Add(DiagnosticNotes.AodfUnreadable + ": " + id);
                    return;
                }

                foreach (var pin in Pkcs15Parser.PinObjects(aodf))
                {
                    report.PinObjects.Add(new DiagnosticPinObject
                    {
                        Label = pin.Label,
                        Reference = pin.Reference,
                        MinLength = pin.MinLength,
                        StoredLength = pin.StoredLength,
                        MaxLength = pin.MaxLength,
                        PadChar = pin.PadChar?.ToString("X2", CultureInfo.InvariantCulture),
                        Flags = pin.Flags.ToString(),
                    });
                }
            }
            catch (FormatException e)
            {
                report.Notes.Add(DiagnosticNotes.Pkcs15NotUnderstood + ": " + e.Message);
            }
        }

        private static void QueryOnce(FineidCard card, HashSet<string> sent, CommandApdu command)
        {
            if (!sent.Contains(WithoutLe(command)))
            {
                card.Query(command);
            }
        }

        private static void AddFile(CardDiagnosticReport report, string id, string name, byte[]? content)
        {
            if (content != null)
            {
                report.Files.Add(new DiagnosticFile { FileId = id, Name = name, Content = Hex.Format(content) });
            }
        }

        /// <summary>The command without its Le: under T=0 and T=1 the same question.</summary>
        internal static string WithoutLe(CommandApdu command) => Hex.Format(command.Encode(), 0, 4 + (command.DataLength > 0 ? 1 + command.DataLength : 0));
    }
}
