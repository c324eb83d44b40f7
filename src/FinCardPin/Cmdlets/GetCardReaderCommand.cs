using System;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// Lists the card readers and what card each holds. No reader attached is no output and no error (on Windows the
    /// smart card service stops when the last reader is unplugged): a remediation script can treat it as a state.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CardReader")]
    [OutputType(typeof(CardReader))]
    public sealed class GetCardReaderCommand : CardCmdlet
    {
        private static readonly string[] WindowsVirtualReaderPrefixes =
        {
            "Windows Hello for Business", "Microsoft Virtual Smart Card", "Microsoft UICC ISO Reader", "Microsoft IFD",
        };

        /// <summary>Reader names; wildcards allowed. Binds the ReaderName of piped Get-CardPinStatus and Test-CardPin output.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ReaderName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ReaderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only readers that hold a card.</summary>
        [Parameter]
        public SwitchParameter CardPresent { get; set; }

        /// <summary>Waits until a FINEID card is in a (matching) reader, then writes the readers that hold one.</summary>
        [Parameter]
        public SwitchParameter WaitForCard { get; set; }

        /// <summary>Seconds -WaitForCard waits at most (default 60); given alone, it means -WaitForCard.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int Timeout { get; set; } = 60;

        // A listing waits only briefly for a card another program is using: it lists the reader without a serial.
        private static readonly TimeSpan ListingBusyBound = TimeSpan.FromSeconds(2);
        private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(250);

        private bool _nameOnCommandLine;

        // A name bound from a piped object (a string, or an object's Name or ReaderName) is a reader's name, never a pattern.
        private bool NameIsLiteral => Name != null && !_nameOnCommandLine;

        protected override void BeginProcessing()
        {
            _nameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Name));
            base.BeginProcessing();
        }

        protected override void ProcessRecord() => Guarded(() =>
        {
            // A -Timeout only means something to a wait: given alone it asks for one, rather than being ignored.
            var wait = WaitForCard || MyInvocation.BoundParameters.ContainsKey(nameof(Timeout));
            var readers = wait ? WaitForFineidCard() : OnCard(() => Context.GetReaders());
            WriteVerbose(Texts.Get("Verbose.ReadersRead", "count", readers.Count));
            foreach (var reader in ReaderSelection.Match(readers, Name, NameIsLiteral, e => Report(e, e.ReaderName)))
            {
                if (wait && !UsableCard.HoldsFineid(reader))
                {
                    continue;
                }

                var card = Describe(reader);
                if (!CardPresent || card.CardPresent)
                {
                    WriteObject(card);
                }
            }
        });

        /// <summary>
        /// Reads the readers' state (no APDU) four times a second until one that matches -Name holds a FINEID card, up to
        /// -Timeout; PowerShell's stop ends the wait at once.
        /// </summary>
        private System.Collections.Generic.IReadOnlyList<ReaderSnapshot> WaitForFineidCard()
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var progress = new ProgressRecord(1, Texts.Get("Progress.WaitForCard"), Texts.Get("Progress.WaitForCardStatus"));
            try
            {
                while (true)
                {
                    var readers = OnCard(() => Context.GetReaders());
                    if (ReaderSelection.Match(readers, Name, NameIsLiteral, _ => { }).Any(UsableCard.HoldsFineid))
                    {
                        return readers;
                    }

                    var left = TimeSpan.FromSeconds(Timeout) - waited.Elapsed;
                    if (left <= TimeSpan.Zero)
                    {
                        throw new FinCardPinException(ErrorIds.WaitForCardTimeout, FailureKind.OperationTimeout,
                                Name == null ? ErrorIds.WaitForCardTimeout : ErrorIds.WaitForCardTimeout + ".Named")
                            .With("names", Name == null ? null : Name.Any(UserInput.HoldsDigits) ? WithheldInput.HoldsDigits : (object)string.Join(", ", Name))
                            .With("seconds", Timeout);
                    }

                    progress.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
                    WriteProgress(progress);
                    if (StopSignal.WaitHandle.WaitOne(WaitPollInterval))
                    {
                        throw new PipelineStoppedException();
                    }
                }
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                if (!StopSignal.IsCancellationRequested)
                {
                    WriteProgress(progress);
                }
            }
        }

        private CardReader Describe(ReaderSnapshot reader)
        {
            var identity = UsableCard.IdentityOf(reader);
            string? serial = null;
            CardSighting? sighting = null;
            Engine.PinPad.PinPadInfo? pad = null;
            if (identity.IsUsable)
            {
                WriteVerbose(Texts.Get("Verbose.SerialRead", "reader", reader.Name));
                if (reader.IsExclusive)
                {
                    serial = NoSerial(reader, Texts.Get("Warning.NoSerialExclusive"));
                }
                else
                {
                    sighting = ReadSerial(reader, out serial, out pad);
                }
            }

            return new CardReader(
                reader.Name,
                TypeOf(reader.Name),
                StateOf(reader.States),
                reader.Atr.Length == 0 ? null : Hex.Format(reader.Atr),
                identity.Kind,
                identity.Chip ?? (identity.IsContactless ? Texts.Get("Chip.Contactless") : null),
                serial,
                reader.EventCount,
                sighting,
                pad != null ? new ReaderPinPad(pad) : identity.IsUsable ? new ReaderPinPad(Engine.PinPad.PinPadInfo.Unanswered("serial read", "not read")) : ReadPinPad(reader));
        }

        // A reader that cannot be asked has no keypad as far as the module goes: never an error (PC/SC Part 10 readers are few).
        private ReaderPinPad ReadPinPad(ReaderSnapshot reader)
        {
            try
            {
                var busyBound = ListingBusyBound < Bounds.CardBusy ? ListingBusyBound : Bounds.CardBusy;
                return new ReaderPinPad(OnCard(() => Context.ReadPinPad(reader.Name, reader.HasCard), Bounds.WithCardBusy(busyBound)));
            }
            catch (FinCardPinException e) when (!ErrorRecords.EndsTheCall(e) && !(e is OperationStoppedException) && !StopSignal.IsCancellationRequested)
            {
                WriteVerbose(e.Message);
                return new ReaderPinPad(Engine.PinPad.PinPadInfo.Unanswered("SCardControl", e.ErrorId));
            }
        }

        // The serial binds later cmdlets to this very card. A card that cannot be read now (another program's
        // transaction, removed this moment) is still listed, without a serial, after a short wait.
        // The keypad is asked on the same connection, inside the same bounded wait: a card another program holds costs
        // one wait, not two.
        private CardSighting? ReadSerial(ReaderSnapshot reader, out string? serial, out Engine.PinPad.PinPadInfo? pad)
        {
            pad = null;
            try
            {
                var trace = Trace;
                var busyBound = ListingBusyBound < Bounds.CardBusy ? ListingBusyBound : Bounds.CardBusy;
                var read = OnCard(
                    () =>
                    {
                        using var session = FineidSession.OpenForStatus(Context, reader, null, trace, null);
                        return (session.Serial, session.Sighting, session.SerialNote, Pad: session.ReadPinPad());
                    },
                    Bounds.WithCardBusy(busyBound));
                pad = read.Pad;
                serial = read.SerialNote == null ? read.Serial : NoSerial(reader, Texts.Format("Note." + read.SerialNote.Key, read.SerialNote.Facts, null));
                return read.Sighting;
            }
            catch (FinCardPinException e) when (!ErrorRecords.EndsTheCall(e) && !(e is OperationStoppedException) && !StopSignal.IsCancellationRequested)
            {
                serial = NoSerial(reader, e.Message);
                return null;
            }
        }

        private string? NoSerial(ReaderSnapshot reader, string why)
        {
            WriteWarning(Texts.Get("Warning.NoSerial", "reader", reader.Name, "why", why.TrimEnd('.')));
            return null;
        }

        private ReaderType TypeOf(string name)
        {
            if (UsesVirtualReaders)
            {
                return ReaderType.FinCardPinVirtual;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                foreach (var prefix in WindowsVirtualReaderPrefixes)
                {
                    if (name.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                    {
                        return ReaderType.WindowsVirtual;
                    }
                }
            }

            return ReaderType.CardReader;
        }

        private static ReaderState StateOf(ReaderStates states)
        {
            if ((states & ReaderStates.Unavailable) != 0) return ReaderState.Unavailable;
            if ((states & ReaderStates.Empty) != 0) return ReaderState.Empty;
            if ((states & ReaderStates.Mute) != 0) return ReaderState.Mute;
            if ((states & ReaderStates.Exclusive) != 0) return ReaderState.Exclusive;
            if ((states & ReaderStates.InUse) != 0) return ReaderState.InUse;
            if ((states & ReaderStates.Present) != 0) return ReaderState.CardPresent;
            return ReaderState.Unknown;
        }
    }
}
