using System.Linq;
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
                .Select(p => (p.Label ?? "?") + ": reference " + (p.Reference?.ToString("X2") ?? "none") + ", " + p.MinLength + "-"
                    + (p.MaxLength?.ToString() ?? "?") + " digits, stored " + p.StoredLength + (p.PadChar == null ? string.Empty : ", pad " + p.PadChar))
                .ToArray();
            Status = report.Status
                .Select(s => s.Code + ": " + s.State + (s.TriesLeft.HasValue ? ", " + s.TriesLeft + " of " + s.MaxTries + " tries left" : string.Empty))
                .ToArray();
            Redacted = report.Redacted;
            Notes = report.Notes.ToArray();
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
