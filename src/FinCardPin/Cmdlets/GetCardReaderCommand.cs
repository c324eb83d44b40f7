using System.Management.Automation;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;

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

        protected override void ProcessRecord() => Guarded(() =>
        {
            var readers = ReaderSelection.Match(Context.GetReaders(), Name, e => Report(e, e.ReaderName));
            foreach (var reader in readers)
            {
                var card = Describe(reader);
                if (!CardPresent || card.CardPresent)
                {
                    WriteObject(card);
                }
            }
        });

        private CardReader Describe(ReaderSnapshot reader)
        {
            var identity = reader.HasCard ? AtrCatalog.Identify(reader.Atr) : new CardIdentity(CardKind.None, null);
            string? serial = null;
            if (identity.IsFineid && !identity.IsContactless && !reader.IsExclusive)
            {
                serial = ReadSerial(reader);
            }

            return new CardReader(
                reader.Name,
                TypeOf(reader.Name),
                StateOf(reader.States),
                reader.Atr.Length == 0 ? null : Hex.Format(reader.Atr),
                identity.Kind,
                identity.Chip,
                serial);
        }

        // The serial binds later cmdlets to this very card. A card that cannot be read now (another program's
        // transaction, removed this moment) is still listed, without a serial.
        private string? ReadSerial(ReaderSnapshot reader)
        {
            try
            {
                using var session = FineidSession.Open(Context, reader, null, Trace);
                return session.Serial;
            }
            catch (FinCardPinException e) when (!ErrorRecords.EndsTheCall(e))
            {
                WriteVerbose("Could not read the serial of the card in '" + reader.Name + "': " + e.Message);
                return null;
            }
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
