using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Interop;

namespace FinCardPin.UnitTests.Fakes
{
    /// <summary>
    /// A scripted <see cref="IPcscApi"/>: records every call (and every transmitted command as hex, read at the
    /// moment of the call) and answers from scripts. An unscripted command throws, so a test never passes on an
    /// answer it did not write.
    /// </summary>
    internal sealed class ScriptedPcscApi : IPcscApi
    {
        public static readonly IntPtr CardHandleValue = new IntPtr(0x5000);

        private readonly List<AnswerRule> _exactRules = new List<AnswerRule>();
        private readonly List<AnswerRule> _prefixRules = new List<AnswerRule>();
        private long _nextContext = 0x100;

        public string Name => "scripted fake";

        /// <summary>Every call in order, e.g. "EstablishContext -> 0x100", "Transmit 00 A4 …", "EndTransaction LeaveCard".</summary>
        public List<string> Calls { get; } = new List<string>();

        /// <summary>Every command given to Transmit, as hex, read during the call.</summary>
        public List<string> Sent { get; } = new List<string>();

        /// <summary>The send arrays themselves, to check afterwards that the engine zeroed them.</summary>
        public List<byte[]> SendBuffers { get; } = new List<byte[]>();

        /// <summary>The protocol passed with each transmit.</summary>
        public List<Protocols> TransmitProtocols { get; } = new List<Protocols>();

        public List<IntPtr> ReleasedContexts { get; } = new List<IntPtr>();

        public List<IntPtr> EstablishedContexts { get; } = new List<IntPtr>();

        // ---- scripts -----------------------------------------------------------------------------------------

        /// <summary>Results of the next EstablishContext calls; Success once empty.</summary>
        public Queue<PcscResult> EstablishResults { get; } = new Queue<PcscResult>();

        /// <summary>Answers of the next ListReaders calls; once empty, the readers of <see cref="Readers"/>.</summary>
        public Queue<(PcscResult Result, string[] Readers)> ListReadersReplies { get; } = new Queue<(PcscResult, string[])>();

        /// <summary>Results of the next GetStatusChange calls; once empty, answered from <see cref="Readers"/>.</summary>
        public Queue<PcscResult> GetStatusChangeResults { get; } = new Queue<PcscResult>();

        /// <summary>The readers that exist, with their state and ATR.</summary>
        public Dictionary<string, (ReaderStates States, byte[] Atr)> Readers { get; } =
            new Dictionary<string, (ReaderStates, byte[])>(StringComparer.Ordinal);

        public Queue<PcscResult> ConnectResults { get; } = new Queue<PcscResult>();

        public Protocols ConnectProtocol { get; set; } = Protocols.T1;

        /// <summary>The event counter every reader reports (the high word of its state).</summary>
        public int EventCount { get; set; } = 1;

        public PcscResult ReconnectResult { get; set; } = PcscResult.Success;

        public Protocols ReconnectProtocol { get; set; } = Protocols.T1;

        public Queue<PcscResult> BeginTransactionResults { get; } = new Queue<PcscResult>();

        public PcscResult EndTransactionResult { get; set; } = PcscResult.Success;

        public bool EndTransactionThrows { get; set; }

        /// <summary>
        /// Results of the next transmits, one per transmit: a failure refuses that transmit; Success lets it be
        /// answered by the rules or the queue. Once empty, every transmit is answered.
        /// </summary>
        public Queue<PcscResult> TransmitResults { get; } = new Queue<PcscResult>();

        /// <summary>Answers (hex, SW included) used when no rule matches.</summary>
        public Queue<string> Answers { get; } = new Queue<string>();

        /// <summary>Answers this exact command (hex); the answers are used in order, the last one repeats. A later rule for the same command replaces an earlier one.</summary>
        public ScriptedPcscApi On(string commandHex, params string[] answers)
        {
            _exactRules.Add(new AnswerRule(Normalize(commandHex), answers));
            return this;
        }

        /// <summary>Answers every command starting with this hex; exact rules win.</summary>
        public ScriptedPcscApi OnPrefix(string commandPrefixHex, params string[] answers)
        {
            _prefixRules.Add(new AnswerRule(Normalize(commandPrefixHex), answers));
            return this;
        }

        public ScriptedPcscApi Enqueue(params string[] answers)
        {
            foreach (var answer in answers)
            {
                Answers.Enqueue(answer);
            }

            return this;
        }

        public ScriptedPcscApi WithReader(string name, byte[] atr, ReaderStates states = ReaderStates.Present)
        {
            Readers[name] = (states, atr);
            return this;
        }

        /// <summary>Commands whose INS is <paramref name="ins"/> and that carry data (a PIN), in order.</summary>
        public IEnumerable<string> SentWithData(byte ins) =>
            Sent.Where(hex => Hex.Parse(hex).Length > 5 && Hex.Parse(hex)[1] == ins);

        public int CountCalls(string prefix) => Calls.Count(c => c.StartsWith(prefix, StringComparison.Ordinal));

        // ---- IPcscApi ------------------------------------------------------------------------------------------

        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            var result = EstablishResults.Count > 0 ? EstablishResults.Dequeue() : PcscResult.Success;
            if (result != PcscResult.Success)
            {
                context = IntPtr.Zero;
                Calls.Add("EstablishContext " + result);
                return result;
            }

            context = new IntPtr(_nextContext++);
            EstablishedContexts.Add(context);
            Calls.Add("EstablishContext -> " + Format(context));
            return result;
        }

        public PcscResult ReleaseContext(IntPtr context)
        {
            ReleasedContexts.Add(context);
            Calls.Add("ReleaseContext " + Format(context));
            return PcscResult.Success;
        }

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            Calls.Add("ListReaders " + Format(context));
            if (ListReadersReplies.Count > 0)
            {
                var (result, names) = ListReadersReplies.Dequeue();
                readers = names;
                return result;
            }

            readers = Readers.Keys.ToArray();
            return readers.Count == 0 ? PcscResult.NoReadersAvailable : PcscResult.Success;
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            Calls.Add("GetStatusChange " + Format(context) + " " + string.Join("|", readers.Select(r => r.ReaderName)));
            if (GetStatusChangeResults.Count > 0)
            {
                var scripted = GetStatusChangeResults.Dequeue();
                if (scripted != PcscResult.Success)
                {
                    return scripted;
                }
            }

            foreach (var query in readers)
            {
                if (!Readers.TryGetValue(query.ReaderName, out var state))
                {
                    return PcscResult.UnknownReader;
                }

                query.EventState = state.States | ReaderStates.Changed;
                query.Atr = state.Atr;
                query.EventCount = EventCount;
            }

            return PcscResult.Success;
        }

        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            Calls.Add("Connect " + Format(context) + " " + readerName + " " + shareMode + " " + preferredProtocols);
            var result = ConnectResults.Count > 0 ? ConnectResults.Dequeue() : PcscResult.Success;
            if (result != PcscResult.Success)
            {
                card = IntPtr.Zero;
                activeProtocol = Protocols.Undefined;
                return result;
            }

            card = CardHandleValue;
            activeProtocol = ConnectProtocol;
            return result;
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization,
            out Protocols activeProtocol)
        {
            Calls.Add("Reconnect " + shareMode + " " + preferredProtocols + " " + initialization);
            activeProtocol = ReconnectResult == PcscResult.Success ? ReconnectProtocol : Protocols.Undefined;
            return ReconnectResult;
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition)
        {
            Calls.Add("Disconnect " + disposition);
            return PcscResult.Success;
        }

        public PcscResult BeginTransaction(IntPtr card)
        {
            var result = BeginTransactionResults.Count > 0 ? BeginTransactionResults.Dequeue() : PcscResult.Success;
            Calls.Add("BeginTransaction " + result);
            return result;
        }

        public PcscResult EndTransaction(IntPtr card, Disposition disposition)
        {
            Calls.Add("EndTransaction " + disposition);
            if (EndTransactionThrows)
            {
                throw new InvalidOperationException("the fake's EndTransaction throws");
            }

            return EndTransactionResult;
        }

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            var hex = Hex.Format(send, 0, sendLength);
            Sent.Add(hex);
            SendBuffers.Add(send);
            TransmitProtocols.Add(protocol);
            Calls.Add("Transmit " + hex);

            var result = TransmitResults.Count > 0 ? TransmitResults.Dequeue() : PcscResult.Success;
            if (result != PcscResult.Success)
            {
                receiveLength = 0;
                return result;
            }

            var answer = Hex.Parse(FindAnswer(hex));
            if (answer.Length > receiveLength)
            {
                throw new InvalidOperationException("The engine gave " + receiveLength + " bytes of room for a " + answer.Length + "-byte answer.");
            }

            Buffer.BlockCopy(answer, 0, receive, 0, answer.Length);
            receiveLength = answer.Length;
            return PcscResult.Success;
        }

        public PcscResult Cancel(IntPtr context)
        {
            Calls.Add("Cancel " + Format(context));
            return PcscResult.Success;
        }

        /// <summary>Answers to control calls by control code, in order (the last one repeats); an unscripted code is "not supported".</summary>
        public Dictionary<uint, Queue<(PcscResult Result, string Answer)>> ControlAnswers { get; } =
            new Dictionary<uint, Queue<(PcscResult, string)>>();

        /// <summary>Every control call as "XXXXXXXX hex-of-what-was-sent", read during the call.</summary>
        public List<string> ControlsSent { get; } = new List<string>();

        public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

        /// <summary>Scripts a control code's next answer.</summary>
        public void AnswerControl(uint controlCode, string answer, PcscResult result = PcscResult.Success)
        {
            if (!ControlAnswers.TryGetValue(controlCode, out var queue))
            {
                queue = new Queue<(PcscResult, string)>();
                ControlAnswers[controlCode] = queue;
            }

            queue.Enqueue((result, answer));
        }

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive, ref int receiveLength)
        {
            var code = controlCode.ToString("X8", CultureInfo.InvariantCulture);
            var hex = Hex.Format(send, 0, sendLength);
            ControlsSent.Add((code + " " + hex).Trim());
            Calls.Add(("Control " + code + " " + hex).Trim());
            if (!ControlAnswers.TryGetValue(controlCode, out var queue) || queue.Count == 0)
            {
                receiveLength = 0;
                return PcscResult.Unexpected; // pcsc-lite's SCARD_E_UNSUPPORTED_FEATURE
            }

            var (result, answerHex) = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            if (result != PcscResult.Success)
            {
                receiveLength = 0;
                return result;
            }

            var answer = Hex.Parse(answerHex);
            if (answer.Length > receiveLength)
            {
                receiveLength = answer.Length;
                return PcscResult.InsufficientBuffer;
            }

            Buffer.BlockCopy(answer, 0, receive, 0, answer.Length);
            receiveLength = answer.Length;
            return PcscResult.Success;
        }

        private string FindAnswer(string hex)
        {
            var exact = _exactRules.LastOrDefault(r => r.Command == hex);
            if (exact != null)
            {
                return exact.Next();
            }

            var prefix = _prefixRules.Where(r => hex.StartsWith(r.Command, StringComparison.Ordinal))
                .Select((r, i) => (Rule: r, Index: i))
                .OrderByDescending(x => x.Rule.Command.Length).ThenByDescending(x => x.Index)
                .Select(x => x.Rule).FirstOrDefault();
            if (prefix != null)
            {
                return prefix.Next();
            }

            if (Answers.Count > 0)
            {
                return Answers.Dequeue();
            }

            throw new InvalidOperationException("The fake card has no answer scripted for: " + hex);
        }

        private static string Normalize(string hex) => Hex.Format(Hex.Parse(hex));

        private static string Format(IntPtr handle) => "0x" + handle.ToInt64().ToString("X", CultureInfo.InvariantCulture);

        private sealed class AnswerRule
        {
            private readonly string[] _answers;
            private int _used;

            public AnswerRule(string command, string[] answers)
            {
                if (answers.Length == 0)
                {
                    throw new ArgumentException("A rule needs at least one answer.", nameof(answers));
                }

                Command = command;
                _answers = answers;
            }

            public string Command { get; }

            public string Next() => _answers[Math.Min(_used++, _answers.Length - 1)];
        }
    }
}
