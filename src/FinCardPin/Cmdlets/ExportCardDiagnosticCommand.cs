using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid.Diagnostics;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// Writes a report of what a card says to FinCardPin's read-only commands (JSON, for a bug report) and returns a
    /// readable summary. Sends no command that carries a code and reads no certificate; the card serial and token
    /// label are blanked unless -Redact:$false.
    /// </summary>
    [Cmdlet(VerbsData.Export, "CardDiagnostic")]
    [OutputType(typeof(CardDiagnostic))]
    public sealed class ExportCardDiagnosticCommand : CardCmdlet
    {
        /// <summary>The JSON file to write (an existing one only with -Force).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The reader holding the card; needed only when several readers hold FINEID cards.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ReaderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? ReaderName { get; set; }

        /// <summary>Blanks the card serial and the token label (on by default; -Redact:$false keeps them).</summary>
        [Parameter]
        public SwitchParameter Redact { get; set; } = new SwitchParameter(true);

        /// <summary>Overwrites an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private bool _readerNameOnCommandLine;

        protected override void BeginProcessing()
        {
            _readerNameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(ReaderName));
            base.BeginProcessing();
        }

        protected override void ProcessRecord() => Guarded(() =>
        {
            // Refused before the card is read, like New-VirtualCard: a report is not worth someone's file.
            var target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(target) && !Force)
            {
                throw new FinCardPinException(ErrorIds.DiagnosticFileExists, FailureKind.InvalidOperation).With("path", target);
            }

            // The choice lists readers and reads their states: PC/SC calls, bounded and stoppable like the rest.
            var reader = OnCard(Choose);
            var redact = Redact.IsPresent;
            var moduleVersion = ModuleVersion();
            var powerShellVersion = PowerShellVersion();

            // On the card like every other cmdlet: bounded waits, and Ctrl+C stops it.
            var report = OnCard(() => CardDiagnostics.Collect(Context, reader, redact, moduleVersion, powerShellVersion));
            var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                File.WriteAllText(full, report.ToJson(), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                throw new FinCardPinException(ErrorIds.DiagnosticWriteFailed, FailureKind.ResourceUnavailable, null, e)
                    .With("path", full)
                    .With("reason", FileFailures.Of(e));
            }

            WriteVerbose(Texts.Get("Verbose.DiagnosticWritten", "path", full, "count", report.Exchanges.Count));
            WriteObject(new CardDiagnostic(full, report));
        }, UserInput.Target(ReaderName));

        // A named reader is reported whatever it holds (an unknown card's ATR is worth reporting too); otherwise the FINEID card.
        private ReaderSnapshot Choose()
        {
            // A name bound from a piped object is a reader's name, never a pattern.
            var literal = ReaderName != null && !_readerNameOnCommandLine;
            if (ReaderName != null)
            {
                var named = ReaderSelection.Named(Context.GetReaders(), ReaderName, literal);
                if (named.Count == 1)
                {
                    return named[0];
                }
            }

            return ReaderSelection.SingleFineid(Context, ReaderName, literal);
        }

        private static string ModuleVersion() =>
            typeof(ExportCardDiagnosticCommand).Assembly.GetName().Version?.ToString() ?? "unknown";

        private string PowerShellVersion() =>
            (SessionState.PSVariable.GetValue("PSVersionTable") as Hashtable)?["PSVersion"]?.ToString() ?? "unknown";
    }
}
