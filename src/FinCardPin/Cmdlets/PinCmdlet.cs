using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.PinPad;
using FinCardPin.Engine.Secrets;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

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
        [PinCodeTransformation(PinCode.Pin1, PinCode.Pin2)]
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
        [ArgumentCompleter(typeof(CardSerialCompleter))]
        public string? CardSerial { get; set; }

        /// <summary>Allows spending a code's last try.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The piped object itself: what it names (its code, its card) is checked against the command line.</summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>
        /// Where the codes are typed: Auto (the default) uses the reader's keypad when it has one for this card and
        /// operation, no code was given as a parameter and a person can answer; PinPad requires the keypad; Keyboard never
        /// uses it.
        /// </summary>
        [Parameter]
        public PinEntry PinEntry { get; set; } = PinEntry.Auto;

        /// <summary>The parameter of the new code (Set-CardPin and Unlock-CardPin).</summary>
        private const string NewCodeParameter = "NewPin";

        /// <summary>True when a code (PIN, new PIN, activation code) was given as a parameter rather than prompted for.</summary>
        internal abstract bool HasCodeParameter { get; }

        private bool _codeOnCommandLine;

        private bool _readerNameOnCommandLine;

        private ReaderSnapshot? _chosenReader;

        // The card (by the serial read from it) a code given as a parameter is for: the first piped record's card.
        private OneCard? _cardOfTheCode;

        protected override void BeginProcessing()
        {
            // Only what the command line bound is bound before the first piped object arrives.
            _codeOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Code));
            _readerNameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(ReaderName));
            var refused = SecretTransformationAttribute.RefusalFor(MyInvocation)
                ?? (_codeOnCommandLine ? PinCodeTransformationAttribute.RefusalFor(new[] { Code }, GetType()) : null);
            if (refused != null)
            {
                ThrowTerminatingError(ErrorRecords.From(refused, null));
            }

            base.BeginProcessing();
        }

        protected override void ProcessRecord() => Guarded(() =>
        {
            _sameAsOtherWarned = false;
            var badName = PinCodeTransformationAttribute.RefusalFor(new[] { Code }, GetType());
            if (badName != null)
            {
                throw badName;
            }

            CheckCodeChoice();
            if (!PinCodeTransformationAttribute.AcceptedBy(GetType()).Contains(SelectedCode))
            {
                throw new FinCardPinException(ErrorIds.CodeNotApplicable, FailureKind.InvalidArgument)
                    .With("command", MyInvocation.MyCommand.Name);
            }

            CheckOneCard();

            // A piped string is a reader's name; a name bound from a piped object is never a pattern.
            var name = ReaderName ?? (InputObject?.BaseObject as string);
            var literal = name != null && !_readerNameOnCommandLine;
            var reader = OnCard(() => ReaderSelection.SingleFineid(Context, name, literal));
            WarnIfVirtualReaders();
            CheckCardBinding(reader);
            _chosenReader = reader;
            Run(reader, AtrCatalog.Identify(reader.Atr).Kind);
        }, UserInput.Target(ReaderName));

        /// <summary>
        /// One code parameter, one card: the code is meant for the card of the first piped record that reached a
        /// card. A later record that names another card is refused here, before anything is sent to it; one whose
        /// card is known only once its serial is read is refused in the session, before any code goes out.
        /// </summary>
        private void CheckOneCard()
        {
            var card = ThisRecordsCard();
            if (card != null && card.Serial != null && CardSerial != null && !string.Equals(card.Serial, CardSerial, StringComparison.Ordinal))
            {
                throw card.Refuse(CardSerial, null);
            }
        }

        // The card a code parameter is bound to, when this record came from the pipeline and a code is a parameter.
        private OneCard? ThisRecordsCard() => InputObject != null && HasCodeParameter ? _cardOfTheCode ??= new OneCard() : null;

        private bool _virtualReadersWarned;

        /// <summary>
        /// Once per call, before any code is asked for or sent: a real card's code typed while virtual readers are in
        /// use would end up in a test card's file, in clear.
        /// </summary>
        private void WarnIfVirtualReaders()
        {
            if (UsesVirtualReaders && !_virtualReadersWarned)
            {
                _virtualReadersWarned = true;
                WriteWarning(Texts.Get("Warning.VirtualReaders"));
            }
        }

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
                    throw new FinCardPinException(ErrorIds.CodeNotNamed, FailureKind.InvalidArgument);
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
                var known = TryReadCode(piped.Value, out var other);
                throw new FinCardPinException(ErrorIds.PipedCodeMismatch, FailureKind.InvalidArgument,
                        known ? ErrorIds.PipedCodeMismatch : ErrorIds.PipedCodeMismatch + ".OtherCode")
                    .With("piped", known ? other : (PinCode?)null)
                    .With("code", SelectedCode)
                    .With("codeId", SelectedCode.ToString());
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
                throw new FinCardPinException(ErrorIds.CardSerialUnknown, FailureKind.InvalidArgument) { ReaderName = reader.Name };
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

        /// <summary>
        /// ShouldProcess, except where it would have to ask and nobody can answer (pwsh -NonInteractive, a job,
        /// Intune): that is refused with its own id and the advice to add -Confirm:$false, before anything is sent,
        /// instead of prompting into the void or failing inside PowerShell's prompt.
        /// </summary>
        internal bool ShouldChange(string target, string action)
        {
            if (Confirmation.WouldAsk(this) && !new SecretPrompt(Host).CanAsk)
            {
                throw ConfirmationNotAvailable(null);
            }

            try
            {
                return ShouldProcess(ConfirmationTexts.Description(action, target), ConfirmationTexts.Question(action, target), ConfirmationTexts.Caption());
            }
            catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException))
            {
                // pwsh -NonInteractive's host refuses the prompt with its own exception; any host that cannot ask ends here.
                throw ConfirmationNotAvailable(e);
            }
        }

        private FinCardPinException ConfirmationNotAvailable(Exception? inner) =>
            new FinCardPinException(ErrorIds.ConfirmationNotAvailable, FailureKind.InvalidOperation, null, inner)
                .With("command", MyInvocation.MyCommand.Name);

        /// <summary>The cmdlet's own work on the chosen reader, whose card kind the ATR told.</summary>
        internal abstract void Run(ReaderSnapshot reader, CardKind kind);

        internal string Describe(ReaderSnapshot reader) =>
            CardSerial == null
                ? Texts.Get("Confirm.Target", "code", SelectedCode, "reader", reader.Name)
                : Texts.Get("Confirm.TargetWithSerial", "code", SelectedCode, "serial", CardSerial, "reader", reader.Name);

        /// <summary>The code given as a parameter, or asked for through the host; checked against the rules.</summary>
        /// <param name="parameter">The parameter that carries this code (named when nobody can be asked).</param>
        internal CheckedPin Take(SecureString? given, CardKind kind, PinCode code, CodeRole role, string label, string parameter)
        {
            PinBuffer buffer;
            if (given != null)
            {
                buffer = PinBuffer.FromSecureString(given); // the caller's SecureString: theirs to dispose
            }
            else
            {
                var prompt = new SecretPrompt(Host);
                SayWhichCard(prompt);
                using var typed = prompt.Read(label, "-" + parameter);
                buffer = PinBuffer.FromSecureString(typed);
            }

            try
            {
                return CheckedPin.Check(kind, code, buffer, role);
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }

        // Piped records are asked for one by one: each prompt first says which card it is for.
        private void SayWhichCard(SecretPrompt prompt)
        {
            if (InputObject != null && _chosenReader != null)
            {
                prompt.Say(Texts.Get("Prompt.ForCard", "target", Describe(_chosenReader)));
            }
        }

        /// <summary>How many times a prompted new code is asked for before a bad entry ends the command.</summary>
        internal const int NewCodeEntries = 3;

        /// <summary>
        /// The new code: the parameter, or asked twice through the host. Checked against the rules and against the code
        /// it replaces. A parameter that breaks them is refused at once; a prompted entry that does (too short or long,
        /// not digits, the two entries differing, the same as the current code, or a guessable code the holder chooses
        /// not to keep) is asked for again, up to <see cref="NewCodeEntries"/> times, so that the codes typed before it
        /// need not be typed again. Nothing has reached the card while this asks.
        /// </summary>
        internal CheckedPin TakeNew(SecureString? given, CardKind kind, CheckedPin? current)
        {
            if (given != null)
            {
                var chosen = Take(given, kind, SelectedCode, CodeRole.New, string.Empty, NewCodeParameter);
                try
                {
                    RefuseSameAsCurrent(chosen, current);
                }
                catch
                {
                    chosen.Dispose();
                    throw;
                }

                WarnIfWeak(chosen);
                return chosen;
            }

            var prompt = new SecretPrompt(Host);
            prompt.Say(Texts.Get("Prompt.ChooseNewCode", "code", SelectedCode, "rule", PinRules.LengthOf(kind, SelectedCode)));
            for (var entry = 1; ; entry++)
            {
                try
                {
                    var next = AskNew(prompt, kind, current, entry == NewCodeEntries);
                    WarnIfWeak(next);
                    return next;
                }
                catch (FinCardPinException e) when (entry < NewCodeEntries && IsBadNewEntry(e))
                {
                    prompt.Say(Texts.Get("Prompt.NewCodeAgain", "reason", e, "code", SelectedCode, "entry", entry + 1, "entries", NewCodeEntries));
                }
            }
        }

        // One round of asking: the new code, then again; each refusal disposes what was typed.
        private CheckedPin AskNew(SecretPrompt prompt, CardKind kind, CheckedPin? current, bool lastEntry)
        {
            var next = Take(null, kind, SelectedCode, CodeRole.New, Texts.Get("Prompt.NewCode", "code", SelectedCode), NewCodeParameter);
            try
            {
                using (var typedAgain = prompt.Read(Texts.Get("Prompt.RepeatNewCode", "code", SelectedCode), "-" + NewCodeParameter))
                using (var again = PinBuffer.FromSecureString(typedAgain))
                {
                    if (!next.Value.SameDigitsAs(again))
                    {
                        // Before the last entry, the message is the reason for asking again (".Again": no "run it again").
                        throw new FinCardPinException(ErrorIds.PinConfirmationMismatch, FailureKind.InvalidArgument,
                                lastEntry ? ErrorIds.PinConfirmationMismatch : ErrorIds.PinConfirmationMismatch + ".Again")
                            .With("code", SelectedCode);
                    }
                }

                RefuseSameAsCurrent(next, current);
                if (GuessableCodes.IsGuessable(next.Value) && !Force.IsPresent && !KeepsGuessable())
                {
                    throw new FinCardPinException(ErrorIds.GuessablePinNotKept, FailureKind.OperationStopped,
                            lastEntry ? ErrorIds.GuessablePinNotKept : ErrorIds.GuessablePinNotKept + ".Again")
                        .With("code", SelectedCode);
                }

                return next;
            }
            catch
            {
                next.Dispose();
                throw;
            }
        }

        // What a second entry can put right: the entry itself, not the host or the card.
        private static bool IsBadNewEntry(FinCardPinException e) =>
            e.ErrorId == ErrorIds.InvalidPinLength
            || e.ErrorId == ErrorIds.InvalidPinCharacters
            || e.ErrorId == ErrorIds.PinConfirmationMismatch
            || e.ErrorId == ErrorIds.NewPinSameAsCurrent
            || e.ErrorId == ErrorIds.GuessablePinNotKept;

        // The caller disposes the new code when this refuses it.
        internal void RefuseSameAsCurrent(CheckedPin next, CheckedPin? current)
        {
            if (current != null && next.Value.SameDigitsAs(current.Value))
            {
                throw CardErrors.SameAsCurrent(SelectedCode);
            }
        }

        /// <summary>
        /// Asks the holder whether to keep a guessable new code; No is the default (Enter). A host that can read a
        /// code but not a choice keeps today's behaviour: the code is kept, with the warning.
        /// </summary>
        private bool KeepsGuessable()
        {
            var choices = new Collection<ChoiceDescription>
            {
                new ChoiceDescription(Texts.Get("Choice.Yes"), Texts.Get("Choice.KeepGuessable.Yes", "code", SelectedCode)),
                new ChoiceDescription(Texts.Get("Choice.No"), Texts.Get("Choice.KeepGuessable.No", "code", SelectedCode)),
            };
            try
            {
                return Host.UI.PromptForChoice(
                    Texts.Get("Choice.KeepGuessable.Caption", "code", SelectedCode),
                    Texts.Get("Warning.GuessableCode", "code", SelectedCode) + " " + Texts.Get("Choice.KeepGuessable.Question", "code", SelectedCode),
                    choices,
                    1) == 0;
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is NotSupportedException)
            {
                return true;
            }
        }

        // How long -PinEntry Auto waits for a card another program holds before it reads the keypad without it.
        private static readonly TimeSpan AutoBusyBound = TimeSpan.FromSeconds(2);

        /// <summary>
        /// The keypad plan for this operation, or null for the keyboard. Asked before any code is prompted for and before
        /// the session takes the card (the reader's features are read on a connection of their own, spending nothing).
        /// With -PinEntry PinPad a reader or card that cannot do it is an error; with Auto it only means the keyboard.
        /// </summary>
        internal PinPadPlan? ChoosePinPad(ReaderSnapshot reader, CardKind kind, PinPadOperation operation, PinCode code)
        {
            if (PinEntry == PinEntry.Keyboard)
            {
                return null;
            }

            if (PinEntry == PinEntry.Auto && (HasCodeParameter || !new SecretPrompt(Host).CanAsk))
            {
                return null;
            }

            if (HasCodeParameter)
            {
                throw new FinCardPinException(ErrorIds.PinPadNotAvailable, FailureKind.InvalidArgument, ErrorIds.PinPadNotAvailable + ".CodeGiven") { ReaderName = reader.Name };
            }

            PinPadInfo pad;
            try
            {
                // Auto waits only briefly for a card another program holds (as a listing does): the session that follows
                // waits its full bound anyway, and an unread keypad only means the keyboard.
                var bounds = PinEntry == PinEntry.Auto && AutoBusyBound < Bounds.CardBusy ? Bounds.WithCardBusy(AutoBusyBound) : Bounds;
                pad = OnCard(() => Context.ReadPinPad(reader.Name, hasCard: true), bounds);
            }
            catch (FinCardPinException e) when (PinEntry == PinEntry.Auto && !(e is OperationStoppedException) && !StopSignal.IsCancellationRequested)
            {
                WriteVerbose(Texts.Get("Verbose.PinPadNotUsed", "reader", reader.Name, "why", e.Message));
                return null;
            }

            PinPadPlan plan;
            try
            {
                plan = PinPadPlanner.Plan(pad, kind, operation, code, reader.Name);
            }
            catch (FinCardPinException e) when (PinEntry == PinEntry.Auto)
            {
                if (pad.Capability != PinPadCapability.None)
                {
                    WriteVerbose(Texts.Get("Verbose.PinPadNotUsed", "reader", reader.Name, "why", e.Message));
                }

                return null;
            }

            var readerName = reader.Name;
            plan.LanguageId = PinPadBlocks.LanguageIdFor(System.Globalization.CultureInfo.CurrentUICulture.Name);
            plan.Announce = (step, typed, time) => SayFromCard(Texts.Get("PinPad." + step, "code", typed, "reader", readerName, "seconds", (int)time.TotalSeconds));
            return plan;
        }

        /// <summary>
        /// Opens the chosen card and runs <paramref name="work"/> on it, with every wait bounded and PowerShell's stop
        /// honoured (the session ends on the worker thread, resetting the card if a code was sent).
        /// </summary>
        internal T OnSession<T>(ReaderSnapshot reader, Func<FineidSession, T> work)
        {
            var trace = Trace;
            var serial = CardSerial;
            var oneCard = ThisRecordsCard();

            // Where the PIN rules came from (the card's PKCS#15 data or the built-in profile) is learnt on the worker
            // thread; it reaches the verbose stream from this one.
            var explanations = new ConcurrentQueue<CardNote>();
            try
            {
                return OnCard(() =>
                {
                    // The serial is read from the card before anything that carries a code, whatever was piped.
                    using var session = FineidSession.Open(Context, reader, serial, trace);
                    oneCard?.Check(session.Serial, session.ReaderName);
                    session.Explain = explanations.Enqueue;
                    if (session.SerialNote != null)
                    {
                        explanations.Enqueue(session.SerialNote);
                    }

                    return work(session);
                });
            }
            finally
            {
                while (explanations.TryDequeue(out var note))
                {
                    WriteVerbose(Texts.Format("Note." + note.Key, note.Facts, null));
                }
            }
        }

        /// <summary>
        /// A warning, not a refusal, before anything is sent: a new code anyone would try first, or a new PIN1 equal
        /// to the PIN2 set on this card in this session (or the other way round). The warning never shows the code.
        /// </summary>
        private void WarnIfWeak(CheckedPin checkedNext)
        {
            var next = checkedNext.Value;
            if (GuessableCodes.IsGuessable(next))
            {
                WriteWarning(Texts.Get("Warning.GuessableCode", "code", SelectedCode));
            }

            // The memory is by the card's serial only. A serial piped with the record is known now (the session makes
            // sure the card has it before anything is sent); otherwise the session reads it from the card and the
            // check is made there, before the change.
            _sameAsOtherWarned = CardSerial != null && NewCodeMemory.MatchesOtherCode(CardSerial, SelectedCode, next);
            if (_sameAsOtherWarned)
            {
                WarnSameAsOtherCode();
            }
        }

        // Whether this record's new code already drew the "same as the other code" warning.
        private bool _sameAsOtherWarned;

        private void WarnSameAsOtherCode()
        {
            var other = SelectedCode == PinCode.Pin1 ? PinCode.Pin2 : PinCode.Pin1;
            WriteWarning(Texts.Get("Warning.SameAsOtherCode", "code", SelectedCode, "other", other));
        }

        /// <summary>
        /// Opens the chosen card, runs the change, and writes the code's new status when asked to. The new code is
        /// remembered (as a fingerprint) to warn when the other code is set to the same digits. Once the card has
        /// answered the change with success, the call reports that success: a failure after it (the status read,
        /// the end of the session) becomes a warning that says the change was made, never an error that would send
        /// the user back to try the old code.
        /// </summary>
        /// <param name="doneKey">The verbose text saying what was done ("Verbose.CodeChanged", "Verbose.CodeUnblocked").</param>
        /// <param name="newCode">The new code, or null when it was typed on the reader's keypad (the module never saw it).</param>
        internal void ApplyOnCard(ReaderSnapshot reader, Action<FineidSession> change, string doneKey, bool passThru, PinBuffer? newCode)
        {
            var code = SelectedCode;
            var checkMemory = !_sameAsOtherWarned && newCode != null;
            var made = new ChangeMade();
            FinCardPinException? later = null;
            PinStatus? status = null;
            try
            {
                status = OnSession(reader, session =>
                {
                    // The serial was read from the card when the session opened: the memory is asked about this very card.
                    made.SameAsOther = checkMemory && session.Serial != null && NewCodeMemory.MatchesOtherCode(session.Serial, code, newCode!);
                    change(session);
                    made.Record(session.ReaderName, session.Serial);
                    var info = passThru ? session.ReadStatus(code) : null;
                    var advice = info == null ? PinAdvice.None : NextStep.For(info);
                    var severalCards = NextCommands.HasCommand(advice) && ReaderSelection.SeveralFineid(Context);
                    return info == null ? null : new PinStatus(session.ReaderName, session.Identity.Kind, session.Serial, info, advice, severalCards);
                });
            }
            catch (FinCardPinException e) when (made.Done && !(e is OperationStoppedException) && !StopSignal.IsCancellationRequested)
            {
                later = e;
            }

            if (made.SameAsOther)
            {
                WarnSameAsOtherCode();
            }

            if (made.Serial != null && newCode != null)
            {
                NewCodeMemory.Remember(made.Serial, code, newCode);
            }

            WriteVerbose(Texts.Get(doneKey, "code", code, "reader", made.ReaderName));
            if (later != null)
            {
                WriteWarning(Texts.Get(doneKey == "Verbose.CodeUnblocked" ? "Warning.UnblockedButLaterFailed" : "Warning.ChangedButLaterFailed",
                    "code", code, "reader", made.ReaderName, "detail", later.Message));
            }
            else if (status != null)
            {
                WriteObject(status);
            }
        }

        /// <summary>Set on the worker thread the moment the card has answered the change with success; read on the cmdlet's.</summary>
        private sealed class ChangeMade
        {
            private volatile bool _done;

            public bool Done => _done;

            public string? ReaderName { get; private set; }

            public string? Serial { get; private set; }

            /// <summary>Whether, before the change, the new code matched the other code's remembered new code on this card.</summary>
            public bool SameAsOther { get; set; }

            public void Record(string readerName, string? serial)
            {
                ReaderName = readerName;
                Serial = serial;
                _done = true;
            }
        }
    }
}
