using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// The state of PIN1, PIN2 and the activation code on each FINEID card — tries left, blocked, not activated —
    /// read without spending a try: SELECT, the serial, and one command per code.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CardPinStatus")]
    [OutputType(typeof(PinStatus))]
    public sealed class GetCardPinStatusCommand : CardCmdlet
    {
        /// <summary>Readers to look at; wildcards allowed. By default every reader that holds a FINEID card. Takes piped names too.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ReaderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? ReaderName { get; set; }

        /// <summary>Only these codes (Pin1, Pin2, ActivationCode, or the names DigiSign uses).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [PinCodeTransformation(Many = true)]
        [ArgumentCompleter(typeof(PinCodeCompleter))]
        public string[]? Code { get; set; }

        /// <summary>The card this status must come from (bound from Get-CardReader output): another card is refused.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SerialNumber")]
        [ArgumentCompleter(typeof(CardSerialCompleter))]
        public string? CardSerial { get; set; }

        /// <summary>The piped object itself: a Get-CardReader object of this process may spare the serial read.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        private bool _readerNameOnCommandLine;

        protected override void BeginProcessing()
        {
            // Only what the command line bound is bound before the first piped object arrives.
            _readerNameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(ReaderName));
            var badName = MyInvocation.BoundParameters.ContainsKey(nameof(Code)) ? PinCodeTransformationAttribute.RefusalFor(Code, GetType()) : null;
            if (badName != null)
            {
                ThrowTerminatingError(ErrorRecords.From(badName, null));
            }

            base.BeginProcessing();
        }

        protected override void ProcessRecord() => Guarded(() =>
        {
            var badName = PinCodeTransformationAttribute.RefusalFor(Code, GetType());
            if (badName != null)
            {
                throw badName;
            }

            // A piped string is a reader's name; a name bound from a piped object is never a pattern.
            var names = ReaderName ?? (InputObject?.BaseObject is string piped ? new[] { piped } : null);
            var literal = names != null && !_readerNameOnCommandLine;
            if (names != null && names.All(n => !ReaderSelection.IsPattern(n, literal)))
            {
                // Names (as piped from Get-CardReader) need only their own state, not the whole reader list: the state
                // and the codes are read in one go.
                foreach (var name in names.Distinct(System.StringComparer.Ordinal))
                {
                    Guarded(() => WriteNamed(name), UserInput.Target(name));
                }

                return;
            }

            var readers = OnCard(() => Context.GetReaders());
            if (names != null)
            {
                // A reader's own name (pcsc-lite's hold '[') is that reader, read as a name is above: another kind of
                // card in it is reported, not skipped.
                foreach (var reader in readers.Where(r => names.Contains(r.Name, System.StringComparer.OrdinalIgnoreCase)))
                {
                    Guarded(() => Write(reader.Name, reader), reader.Name);
                }

                names = names.Where(n => !readers.Any(r => string.Equals(r.Name, n, System.StringComparison.OrdinalIgnoreCase))).ToArray();
                if (names.Length == 0)
                {
                    return;
                }
            }

            var matched = ReaderSelection.Match(readers, names, literal, e => Report(e));
            if (names != null && matched.Count == 0)
            {
                Report(ReaderSelection.NoneMatched(names, readers.Count, literal));
                return;
            }

            var targets = matched.Where(UsableCard.HoldsFineid).ToList();
            if (targets.Count == 0)
            {
                Report(ReaderSelection.NoFineid(readers));
            }

            foreach (var reader in targets)
            {
                Guarded(() => Write(reader.Name, reader), reader.Name);
            }
        });

        // A reader by its name; a name no reader has is what the user typed, repeated only when it holds no digit.
        private void WriteNamed(string name)
        {
            try
            {
                Write(name, null);
            }
            catch (ReaderNotFoundException e) when (e.ErrorId == ErrorIds.ReaderNotFound && e.ReaderName != null)
            {
                throw e.With("reader", UserInput.Fact(name));
            }
        }

        // The reader's state (unless already read) and its codes, in one bounded run on the card.
        private void Write(string readerName, ReaderSnapshot? known)
        {
            // Get-CardReader | Get-CardPinStatus passes every reader; the ones without a FINEID card are not an error.
            var skipOtherCards = MyInvocation.ExpectingInput;
            var trace = Trace;
            var (reader, statuses) = OnCard(() =>
            {
                var snapshot = known ?? Context.GetReader(readerName);
                if (skipOtherCards && !UsableCard.HoldsFineid(snapshot))
                {
                    return (snapshot, (List<PinStatus>?)null);
                }

                ReaderSelection.RequireFineid(snapshot);
                return (snapshot, Read(snapshot, trace));
            });
            if (statuses == null)
            {
                WriteVerbose(Texts.Get("Verbose.ReaderSkipped", "reader", reader.Name));
                return;
            }

            WriteVerbose(Texts.Get("Verbose.StatusRead", "reader", reader.Name, "codes", string.Join(", ", statuses.Select(s => s.Code))));
            foreach (var status in statuses)
            {
                WriteObject(status);
            }
        }

        // Runs on the worker thread: it touches nothing of the cmdlet but its parameters.
        private List<PinStatus> Read(ReaderSnapshot reader, System.Action<string>? trace)
        {
            var codes = Code is { Length: > 0 } ? Code.Select(PinCodeNames.Parse).Distinct().ToArray() : new[] { PinCode.Pin1, PinCode.Pin2, PinCode.ActivationCode };
            // Only the very object Get-CardReader wrote in this process carries a sighting; a saved, exported or hand-made
            // one never does, and its serial is then read from the card.
            var sighting = (InputObject?.BaseObject as CardReader)?.Sighting;
            using var session = FineidSession.OpenForStatus(Context, reader, CardSerial, trace, sighting);
            var infos = codes.Select(code => session.ReadStatus(code)).ToList();

            // The readers are listed again only when a command is to be shown: it must name the reader if it has company.
            var severalCards = infos.Any(info => NextCommands.HasCommand(NextStep.For(info))) && ReaderSelection.SeveralFineid(Context);
            return infos
                .Select(info => new PinStatus(session.ReaderName, session.Identity.Kind, session.Serial, info, NextStep.For(info), severalCards))
                .ToList();
        }
    }
}
