using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;

namespace FinCardPin.Engine.Fineid.Diagnostics
{
    /// <summary>One command the diagnostics sent and the card's answer, both as hex. Never a command that carries a code.</summary>
    [DataContract(Name = "Exchange", Namespace = "")]
    internal sealed class DiagnosticExchange
    {
        [DataMember(Order = 0)]
        public string Purpose { get; set; } = string.Empty;

        [DataMember(Order = 1)]
        public string Command { get; set; } = string.Empty;

        /// <summary>Answer data and SW1 SW2 (61xx/6Cxx already completed).</summary>
        [DataMember(Order = 2)]
        public string Response { get; set; } = string.Empty;
    }

    /// <summary>A file of the PKCS#15 application, as read whole.</summary>
    [DataContract(Name = "File", Namespace = "")]
    internal sealed class DiagnosticFile
    {
        [DataMember(Order = 0)]
        public string FileId { get; set; } = string.Empty;

        [DataMember(Order = 1)]
        public string Name { get; set; } = string.Empty;

        [DataMember(Order = 2)]
        public string Content { get; set; } = string.Empty;
    }

    /// <summary>How FinCardPin reads one PIN object of the card's AODF.</summary>
    [DataContract(Name = "PinObject", Namespace = "")]
    internal sealed class DiagnosticPinObject
    {
        [DataMember(Order = 0)]
        public string? Label { get; set; }

        [DataMember(Order = 1)]
        public int? Reference { get; set; }

        [DataMember(Order = 2)]
        public int MinLength { get; set; }

        [DataMember(Order = 3)]
        public int StoredLength { get; set; }

        [DataMember(Order = 4)]
        public int? MaxLength { get; set; }

        [DataMember(Order = 5)]
        public string? PadChar { get; set; }

        [DataMember(Order = 6)]
        public string Flags { get; set; } = string.Empty;
    }

    /// <summary>What FinCardPin makes of one code's counter.</summary>
    [DataContract(Name = "CodeStatus", Namespace = "")]
    internal sealed class DiagnosticCodeStatus
    {
        [DataMember(Order = 0)]
        public string Code { get; set; } = string.Empty;

        [DataMember(Order = 1)]
        public string State { get; set; } = string.Empty;

        [DataMember(Order = 2)]
        public int? TriesLeft { get; set; }

        [DataMember(Order = 3)]
        public int MaxTries { get; set; }
    }

    /// <summary>
    /// The report a user sends: environment, reader, ATR, the card's answers to FinCardPin's read-only commands, its
    /// PKCS#15 files, and what FinCardPin makes of them. Written as JSON; the virtual card can load it as a card.
    /// </summary>
    [DataContract(Name = "CardDiagnostic", Namespace = "")]
    internal sealed class CardDiagnosticReport
    {
        public const string FormatName = "FinCardPin.CardDiagnostic/1";

        [DataMember(Order = 0)]
        public string Format { get; set; } = FormatName;

        [DataMember(Order = 1)]
        public string CreatedUtc { get; set; } = string.Empty;

        [DataMember(Order = 2)]
        public string ModuleVersion { get; set; } = string.Empty;

        [DataMember(Order = 3)]
        public string PowerShellVersion { get; set; } = string.Empty;

        [DataMember(Order = 4)]
        public string OperatingSystem { get; set; } = string.Empty;

        [DataMember(Order = 5)]
        public string ProcessArchitecture { get; set; } = string.Empty;

        [DataMember(Order = 6)]
        public string PcscImplementation { get; set; } = string.Empty;

        /// <summary>True when the card serial and the token label were blanked (the default).</summary>
        [DataMember(Order = 7)]
        public bool Redacted { get; set; }

        [DataMember(Order = 8)]
        public string ReaderName { get; set; } = string.Empty;

        [DataMember(Order = 9)]
        public string ReaderState { get; set; } = string.Empty;

        [DataMember(Order = 10)]
        public string ReaderFeatures { get; set; } = string.Empty;

        [DataMember(Order = 11)]
        public string Atr { get; set; } = string.Empty;

        [DataMember(Order = 12)]
        public string CardKind { get; set; } = string.Empty;

        [DataMember(Order = 13)]
        public string? Chip { get; set; }

        [DataMember(Order = 14)]
        public bool Contactless { get; set; }

        /// <summary>T0 or T1: the protocol the card was talked to with.</summary>
        [DataMember(Order = 15)]
        public string Protocol { get; set; } = string.Empty;

        [DataMember(Order = 16)]
        public List<DiagnosticExchange> Exchanges { get; set; } = new List<DiagnosticExchange>();

        [DataMember(Order = 17)]
        public List<DiagnosticFile> Files { get; set; } = new List<DiagnosticFile>();

        [DataMember(Order = 18)]
        public List<DiagnosticPinObject> PinObjects { get; set; } = new List<DiagnosticPinObject>();

        [DataMember(Order = 19)]
        public List<DiagnosticCodeStatus> Status { get; set; } = new List<DiagnosticCodeStatus>();

        [DataMember(Order = 20)]
        public List<string> Notes { get; set; } = new List<string>();

        public string ToJson()
        {
            using (var stream = new MemoryStream())
            {
                using (XmlDictionaryWriter writer = JsonReaderWriterFactory.CreateJsonWriter(stream, new UTF8Encoding(false), false, true, "  "))
                {
                    Serializer().WriteObject(writer, this);
                    writer.Flush();
                }

                return new UTF8Encoding(false).GetString(stream.ToArray()) + "\n";
            }
        }

        /// <exception cref="InvalidDataException">When the text is not such a report.</exception>
        public static CardDiagnosticReport FromJson(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            try
            {
                using (var stream = new MemoryStream(new UTF8Encoding(false).GetBytes(json)))
                {
                    var report = (CardDiagnosticReport?)Serializer().ReadObject(stream);
                    if (report == null || report.Format != FormatName)
                    {
                        throw new InvalidDataException("format: not " + FormatName);
                    }

                    report.Exchanges = report.Exchanges ?? new List<DiagnosticExchange>();
                    report.Files = report.Files ?? new List<DiagnosticFile>();
                    report.PinObjects = report.PinObjects ?? new List<DiagnosticPinObject>();
                    report.Status = report.Status ?? new List<DiagnosticCodeStatus>();
                    report.Notes = report.Notes ?? new List<string>();
                    return report;
                }
            }
            catch (SerializationException e)
            {
                throw new InvalidDataException("format: not " + FormatName + ": " + e.Message, e);
            }
        }

        /// <summary>Whether a JSON text claims to be such a report (a cheap look before parsing).</summary>
        /// <remarks>JSON writers may escape the slash of the format name ("\/"), so only the part before it is looked for.</remarks>
        public static bool LooksLikeReport(string json) => json != null && json.IndexOf("\"FinCardPin.CardDiagnostic", StringComparison.Ordinal) >= 0;

        private static DataContractJsonSerializer Serializer() => new DataContractJsonSerializer(typeof(CardDiagnosticReport));
    }
}
