using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Security;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.Secrets;
using FinCardPin.Infrastructure;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// The parameters and steps shared by the cmdlets that check or change a code: which card, which code, the
    /// codes themselves (SecureString only, or prompted through the host), and the checks made before the card
    /// sees anything.
    /// </summary>
    public abstract class PinCmdlet : CardCmdlet
    {
        /// <summary>PIN1 or PIN2, by any name users know them by (basic/authentication, signature).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [PinCodeTransformation]
        [ArgumentCompleter(typeof(PinCodeCompleter))]
        public string Code { get; set; } = string.Empty;

        /// <summary>The code -Code names (its transformation has already refused unknown names).</summary>
        internal PinCode SelectedCode => PinCodeNames.Parse(Code);

        /// <summary>The reader holding the card; needed only when several FINEID cards are present.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ReaderNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? ReaderName { get; set; }

        /// <summary>The card the operation is meant for (bound from piped objects): another card in the reader is refused.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SerialNumber")]
        public string? CardSerial { get; set; }

        /// <summary>The reader's event counter when CardSerial was read (from Get-CardReader): the same count spares the serial read.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public int? ReaderEventCount { get; set; }

        /// <summary>Allows spending a code's last try.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The piped object itself: what it names (its code, its card) is checked against the command line.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>True when a code (PIN, new PIN, activation code) was given as a parameter rather than prompted for.</summary>
        internal abstract bool HasCodeParameter { get; }

        private bool _codeOnCommandLine;

        private ReaderSnapshot? _chosenReader;

        protected override void BeginProcessing()
        {
            // Only what the command line bound is bound before the first piped object arrives.
            _codeOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Code));
            base.BeginProcessing();
        }

        protected override void ProcessRecord() => Guarded(() =>
        {
            CheckCodeChoice();
            if (SelectedCode == PinCode.ActivationCode)
            {
                throw new FinCardPinException(ErrorIds.CodeNotApplicable, FailureKind.InvalidArgument,
                    MyInvocation.MyCommand.Name + " works on PIN1 or PIN2; the activation code (PUK) is only used to unblock them.",
                    "Use -Code Pin1 or -Code Pin2.");
            }

            var reader = OnCard(() => ReaderSelection.SingleFineid(Context, ReaderName));
            CheckCardBinding(reader);
            _chosenReader = reader;
            Run(reader, AtrCatalog.Identify(reader.Atr).Kind);
        }, ReaderName);

        /// <summary>
        /// One secret is for one code. A code given as a parameter would otherwise be tried on every code the piped
        /// objects name (PIN2's digits spending a PIN1 try), so -Code must then be named on the command line, and a
        /// piped object naming another code than -Code is refused. Nothing has been sent when these refuse.
        /// </summary>
        private void CheckCodeChoice()
        {
            if (InputObject == null)
            {
                return;
            }

            if (!_codeOnCommandLine)
            {
                if (HasCodeParameter)
                {
                    throw new FinCardPinException(ErrorIds.CodeNotNamed, FailureKind.InvalidArgument,
                        "A code was given as a parameter, but which code it is (-Code) came from the piped objects: the same digits "
                        + "would be tried as every code the pipeline names. Nothing was sent to the card.",
                        "Name the code on the command line (for example -Code Pin1), or leave the code out to be asked for it for each code.");
                }

                return;
            }

            var piped = InputObject.Properties[nameof(Code)];
            if (piped == null)
            {
                return;
            }

            if (!TryReadCode(piped.Value, out var pipedCode) || pipedCode != SelectedCode)
            {
                throw new FinCardPinException(ErrorIds.PipedCodeMismatch, FailureKind.InvalidArgument,
                    "A piped object is about " + (TryReadCode(piped.Value, out var other) ? "the " + PinRules.DisplayName(other) : "another code")
                    + ", but -Code names the " + PinRules.DisplayName(SelectedCode) + ". Nothing was sent to the card for it.",
                    "Pipe only the objects of the code you mean, for example: Where-Object Code -eq '" + SelectedCode + "'.");
            }
        }

        /// <summary>
        /// A piped object that carries a card serial binds the operation to that card. One whose serial is empty (it
        /// could not be read when the card was listed) cannot be checked, so it is refused rather than sent to
        /// whichever card is in the reader now.
        /// </summary>
        private void CheckCardBinding(ReaderSnapshot reader)
        {
            var bindingAsked = MyInvocation.BoundParameters.ContainsKey(nameof(CardSerial))
                || (InputObject != null && (InputObject.Properties[nameof(CardSerial)] != null || InputObject.Properties["SerialNumber"] != null));
            if (bindingAsked && string.IsNullOrEmpty(CardSerial))
            {
                throw new FinCardPinException(ErrorIds.CardSerialUnknown, FailureKind.InvalidArgument,
                    "The card chosen for reader '" + reader.Name + "' came without a card serial (it could not be read when the card "
                    + "was listed), so FinCardPin cannot make sure the code goes to that card. Nothing was sent to the card.",
                    "Run Get-CardReader again and pipe its output, or name the reader with -ReaderName instead of piping.") { ReaderName = reader.Name };
            }
        }

        private static bool TryReadCode(object? value, out PinCode code)
        {
            var raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (raw)
            {
                case PinCode typed:
                    code = typed;
                    return true;
                case string name:
                    return PinCodeNames.TryParse(name, out code);
                default:
                    code = default;
                    return false;
            }
        }

        /// <summary>The cmdlet's own work on the chosen reader, whose card kind the ATR told.</summary>
        internal abstract void Run(ReaderSnapshot reader, CardKind kind);

        internal string Describe(ReaderSnapshot reader) =>
            "the " + PinRules.DisplayName(SelectedCode) + " of the card " + (CardSerial == null ? string.Empty : CardSerial + " ") + "in reader '" + reader.Name + "'";

        /// <summary>The code given as a parameter, or asked for through the host; checked against the rules.</summary>
        internal PinBuffer Take(SecureString? given, CardKind kind, PinCode code, string role, string label)
        {
            PinBuffer buffer;
            if (given != null)
            {
                buffer = PinBuffer.FromSecureString(given); // the caller's SecureString: theirs to dispose
            }
            else
            {
                using var typed = new SecretPrompt(Host).Read(label);
                buffer = PinBuffer.FromSecureString(typed);
            }

            try
            {
                PinRules.Check(kind, code, buffer, role);
                return buffer;
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }

        /// <summary>
        /// The new code: the parameter, or asked twice through the host (a mismatch is refused). Checked against the
        /// rules and against the code it replaces.
        /// </summary>
        internal PinBuffer TakeNew(SecureString? given, CardKind kind, PinBuffer? current)
        {
            var name = PinRules.DisplayName(SelectedCode);
            PinBuffer next;
            if (given != null)
            {
                next = Take(given, kind, SelectedCode, "new", "New " + name);
            }
            else
            {
                var prompt = new SecretPrompt(Host);
                prompt.Say("Choose a new " + name + " of " + PinRules.LengthOf(kind, SelectedCode)
                    + ". The DVV recommends that PIN1 and PIN2 are not the same digits.");
                next = Take(null, kind, SelectedCode, "new", "New " + name);
                try
                {
                    using var typedAgain = prompt.Read("Repeat the new " + name);
                    using var again = PinBuffer.FromSecureString(typedAgain);
                    if (!next.SameDigitsAs(again))
                    {
                        throw new FinCardPinException(ErrorIds.PinConfirmationMismatch, FailureKind.InvalidArgument,
                            "The two entries of the new " + name + " differ. Nothing was sent to the card.",
                            "Run the command again and type the same new code twice.");
                    }
                }
                catch
                {
                    next.Dispose();
                    throw;
                }
            }

            if (current != null && next.SameDigitsAs(current))
            {
                next.Dispose();
                throw CardErrors.SameAsCurrent(SelectedCode);
            }

            WarnIfWeak(next);
            return next;
        }

        /// <summary>
        /// Opens the chosen card and runs <paramref name="work"/> on it, with every wait bounded and PowerShell's stop
        /// honoured (the session ends on the worker thread, resetting the card if a code was sent).
        /// </summary>
        internal T OnSession<T>(ReaderSnapshot reader, Func<FineidSession, T> work)
        {
            var trace = Trace;
            var serial = CardSerial;
            var eventCount = ReaderEventCount;

            // Where the PIN rules came from (the card's PKCS#15 data or the built-in profile) is learnt on the worker
            // thread; it reaches the verbose stream from this one.
            var explanations = new ConcurrentQueue<string>();
            try
            {
                return OnCard(() =>
                {
                    using var session = FineidSession.Open(Context, reader, serial, trace, eventCount);
                    session.Explain = explanations.Enqueue;
                    return work(session);
                });
            }
            finally
            {
                while (explanations.TryDequeue(out var line))
                {
                    WriteVerbose(line);
                }
            }
        }

        /// <summary>
        /// A warning, not a refusal, before anything is sent: a new code anyone would try first, or a new PIN1 equal
        /// to the PIN2 set on this card in this session (or the other way round). The warning never shows the code.
        /// </summary>
        private void WarnIfWeak(PinBuffer next)
        {
            var name = PinRules.DisplayName(SelectedCode);
            if (GuessableCodes.IsGuessable(next))
            {
                WriteWarning("The new " + name + " is easy to guess: all one digit, or digits in a straight run. "
                    + "Anyone who finds the card would try it first; consider choosing another code.");
            }

            if (_chosenReader != null
                && NewCodeMemory.MatchesOtherCode(NewCodeMemory.CardKey(_chosenReader.Name, CardSerial), SelectedCode, next))
            {
                var other = PinRules.DisplayName(SelectedCode == PinCode.Pin1 ? PinCode.Pin2 : PinCode.Pin1);
                WriteWarning("The new " + name + " is the same as the new " + other + " set on this card in this session. "
                    + "The DVV recommends that PIN1 and PIN2 are not the same digits.");
            }
        }

        /// <summary>
        /// Opens the chosen card, runs the change, and writes the code's new status when asked to. The new code is
        /// remembered (as a fingerprint) to warn when the other code is set to the same digits.
        /// </summary>
        internal void ApplyOnCard(ReaderSnapshot reader, Action<FineidSession> change, string done, bool passThru, PinBuffer newCode)
        {
            var code = SelectedCode;
            var after = OnSession(reader, session =>
            {
                change(session);
                var info = passThru ? session.Card.ReadStatus(code) : null;
                return (session.ReaderName, session.Serial, Status: info == null ? null : new PinStatus(session.ReaderName, session.Identity.Kind, session.Serial, info, CardErrors.NextStep(info)));
            });
            NewCodeMemory.Remember(after.ReaderName, after.Serial, code, newCode);
            WriteVerbose("The " + PinRules.DisplayName(code) + " was " + done + " on the card in reader '" + after.ReaderName + "'.");
            if (after.Status != null)
            {
                WriteObject(after.Status);
            }
        }
    }
}
