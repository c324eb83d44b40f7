using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// What every FinCardPin cmdlet shares: one PC/SC context per pipeline, work on the card run with bounded waits that
    /// PowerShell's stop (Ctrl+C) ends at once, APDU traces to the debug stream (PIN data already redacted by the
    /// engine), and every failure turned into an ErrorRecord with a stable id.
    /// </summary>
    public abstract class CardCmdlet : PSCmdlet, IDisposable
    {
        static CardCmdlet() => ErrorTexts.Install();

        /// <summary>Preference variable: seconds to wait for another program's transaction or exclusive use.</summary>
        public const string BusyTimeoutVariable = "FinCardPinBusyTimeout";

        /// <summary>Preference variable: seconds to wait for one answer of the card.</summary>
        public const string AnswerTimeoutVariable = "FinCardPinAnswerTimeout";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _traces = new ConcurrentQueue<string>();
        private PipelineContexts.Lease? _context;
        private PcscBounds? _bounds;

        internal bool UsesVirtualReaders { get; private set; }

        /// <summary>This call's bounds, from the preference variables; every run on the card is given them.</summary>
        internal PcscBounds Bounds => _bounds ??= ReadBounds();

        /// <summary>The PC/SC context, shared with the other FinCardPin cmdlets running in this pipeline.</summary>
        internal PcscContext Context
        {
            get
            {
                if (_context == null)
                {
                    _ = Bounds; // a wrong preference variable is refused before anything else
                    var api = PcscProvider.Current(out var isVirtual);
                    UsesVirtualReaders = isVirtual;
                    _context = PipelineContexts.Acquire(api, shareable: !isVirtual);
                }

                return _context.Context;
            }
        }

        /// <summary>Signalled by PowerShell's stop (Ctrl+C, PowerShell.Stop(), Stop-Job).</summary>
        internal CancellationToken StopSignal => _stop.Token;

        /// <summary>
        /// Where the engine writes APDU traces: queued from the worker thread and written to the debug stream by this
        /// one; null (no tracing work at all) unless debug output is wanted.
        /// </summary>
        internal Action<string>? Trace => WantsDebug() ? _traces.Enqueue : (Action<string>?)null;

        /// <summary>Runs work on the card with every wait bounded; see <see cref="PcscContext.Run{T}"/>.</summary>
        internal T OnCard<T>(Func<T> work, PcscBounds? bounds = null) => Context.Run(work, _stop.Token, WriteTraces, bounds ?? Bounds);

        /// <summary>Runs one unit of work; an engine failure becomes an error record (terminating when nothing else can work).</summary>
        internal void Guarded(Action work, object? target = null)
        {
            try
            {
                work();
            }
            catch (FinCardPinException e)
            {
                WriteTraces();
                if (e is OperationStoppedException || _stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }

                Report(e, target);
            }
            catch (Exception e) when (!(e is RuntimeException) && !(e is OperationCanceledException))
            {
                // Nothing but FinCardPin's own errors should get here; if anything does, it still ends as an error
                // record with a stable id (the original inside), never as a raw crash.
                ThrowTerminatingError(new ErrorRecord(
                    new FinCardPinException(ErrorIds.UnexpectedError, FailureKind.NotSpecified, innerException: e).With("detail", e.Message),
                    ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target)
                {
                    ErrorDetails = new ErrorDetails(Texts.Get("Error.UnexpectedError", "detail", e.Message)) { RecommendedAction = Texts.Get("Action.UnexpectedError") },
                });
            }
        }

        internal void Report(FinCardPinException error, object? target = null)
        {
            var record = ErrorRecords.From(error, target);
            if (ErrorRecords.EndsTheCall(error))
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }

        protected override void StopProcessing() => _stop.Cancel();

        protected override void EndProcessing() => Dispose();

        public void Dispose()
        {
            _context?.Dispose();
            _context = null;
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Lines for the person at the host, queued from the worker thread (what to type on a reader's keypad, just before
        /// the reader asks) and written by this thread while it waits, as Write-Host writes them.
        /// </summary>
        internal void SayFromCard(string line) => _hostLines.Enqueue(line);

        private static readonly string[] HostLineTags = { "PSHOST", "PinPad" };

        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _hostLines = new System.Collections.Concurrent.ConcurrentQueue<string>();

        private void WriteTraces()
        {
            while (_hostLines.TryDequeue(out var said))
            {
                WriteInformation(new HostInformationMessage { Message = said }, HostLineTags);
            }

            while (_traces.TryDequeue(out var line))
            {
                WriteDebug("APDU " + line);
            }
        }

        private bool WantsDebug()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter on)
            {
                return on.IsPresent;
            }

            var preference = GetVariableValue("DebugPreference");
            if (preference is PSObject wrapped)
            {
                preference = wrapped.BaseObject;
            }

            return preference is ActionPreference action && action != ActionPreference.SilentlyContinue;
        }

        private PcscBounds ReadBounds() =>
            new PcscBounds(ReadSeconds(BusyTimeoutVariable, PcscBounds.DefaultCardBusy), ReadSeconds(AnswerTimeoutVariable, PcscBounds.DefaultCardAnswer));

        // A number of seconds, or a TimeSpan; anything else is refused rather than guessed at.
        private TimeSpan ReadSeconds(string variable, TimeSpan fallback)
        {
            var value = GetVariableValue(variable);
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            if (value == null)
            {
                return fallback;
            }

            TimeSpan? span = null;
            switch (value)
            {
                case TimeSpan given:
                    span = given;
                    break;
                case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                    span = Seconds(seconds);
                    break;
                case IConvertible number when !(value is string) && !(value is bool) && !(value is char):
                    span = Seconds(number.ToDouble(CultureInfo.InvariantCulture));
                    break;
            }

            if (span == null || span.Value <= TimeSpan.Zero || span.Value > PcscBounds.MaximumBound)
            {
                throw new FinCardPinException(ErrorIds.InvalidTimeoutSetting, FailureKind.InvalidArgument)
                    .With("variable", variable)
                    .With("value", UserInput.Fact(System.Convert.ToString(value, CultureInfo.InvariantCulture)));
            }

            return span.Value;
        }

        private static TimeSpan? Seconds(double seconds) =>
            double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds <= 0 || seconds > PcscBounds.MaximumBound.TotalSeconds
                ? (TimeSpan?)null
                : TimeSpan.FromSeconds(seconds);
    }
}
