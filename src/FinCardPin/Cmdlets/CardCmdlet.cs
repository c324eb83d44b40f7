using System;
using System.Management.Automation;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// What every FinCardPin cmdlet shares: one PC/SC context per call, APDU traces to the debug stream (PIN data
    /// already redacted by the engine), and engine failures turned into ErrorRecords.
    /// </summary>
    public abstract class CardCmdlet : PSCmdlet, IDisposable
    {
        private PcscContext? _context;

        internal bool UsesVirtualReaders { get; private set; }

        internal PcscContext Context
        {
            get
            {
                if (_context == null)
                {
                    var api = PcscProvider.Current(out var isVirtual);
                    UsesVirtualReaders = isVirtual;
                    _context = new PcscContext(api);
                }

                return _context;
            }
        }

        internal void Trace(string line) => WriteDebug("APDU " + line);

        /// <summary>Runs one unit of work; an engine failure becomes an error record (terminating when nothing else can work).</summary>
        internal void Guarded(Action work, object? target = null)
        {
            try
            {
                work();
            }
            catch (FinCardPinException e)
            {
                Report(e, target);
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

        protected override void EndProcessing() => Dispose();

        public void Dispose()
        {
            _context?.Dispose();
            _context = null;
            GC.SuppressFinalize(this);
        }
    }
}
