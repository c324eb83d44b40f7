using System;
using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;
using FinCardPin.Engine.Fineid.Diagnostics;

namespace FinCardPin
{
    /// <summary>The readable summary of a diagnostics report, as written by Export-CardDiagnostic.</summary>
    public sealed class CardDiagnostic
    {
        internal CardDiagnostic(string path, CardDiagnosticReport report)
        {
            Path = path;
            ReaderName = report.ReaderName;
            Atr = report.Atr;
            CardKind = report.CardKind;
            Chip = report.Chip;
            Protocol = report.Protocol;
            CommandsSent = report.Exchanges.Count;
            PinRulesFromCard = report.PinObjects.Count > 0;
            PinObjects = report.PinObjects
                .Select(p => Texts.Get(p.PadChar == null ? "Diagnostic.PinObject" : "Diagnostic.PinObject.Padded",
                    "label", p.Label ?? "?", "reference", p.Reference?.ToString("X2", CultureInfo.InvariantCulture) ?? "-",
                    "min", p.MinLength, "max", p.MaxLength?.ToString(CultureInfo.InvariantCulture) ?? "?", "stored", p.StoredLength, "pad", p.PadChar))
                .ToArray();
            Status = report.Status
                .Select(s => Texts.Get(s.TriesLeft.HasValue ? "Diagnostic.Status.Tries" : "Diagnostic.Status",
                    "code", CodeName(s.Code), "state", s.State, "left", s.TriesLeft, "max", s.MaxTries))
                .ToArray();
            Redacted = report.Redacted;
            Notes = report.Notes.Select(Worded).ToArray();
        }

        // The report holds enum names and note keys (maintainers read it in any language); the summary words them.
        private static string CodeName(string code) =>
            Enum.TryParse<PinCode>(code, out var parsed) ? Texts.CodeName(parsed) : code;

        private static string Worded(string note)
        {
            var colon = note.IndexOf(": ", StringComparison.Ordinal);
            var key = colon < 0 ? note : note.Substring(0, colon);
            var detail = colon < 0 ? string.Empty : note.Substring(colon + 2);
            var template = Texts.Find("DiagnosticNote." + key, null);
            return template == null ? note : Texts.Format("DiagnosticNote." + key, Texts.Facts("detail", detail), null);
        }

        /// <summary>The JSON file written: attach it to the bug report.</summary>
        public string Path { get; }

        public string ReaderName { get; }

        public string Atr { get; }

        public string CardKind { get; }

        public string? Chip { get; }

        public string Protocol { get; }

        /// <summary>How many read-only commands were sent (none carries a code).</summary>
        public int CommandsSent { get; }

        /// <summary>True when the card's own PKCS#15 PIN objects were read and understood.</summary>
        public bool PinRulesFromCard { get; }

        public string[] PinObjects { get; }

        public string[] Status { get; }

        /// <summary>True when the card serial and the token label were blanked.</summary>
        public bool Redacted { get; }

        public string[] Notes { get; }
    }
}
