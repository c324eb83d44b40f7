using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.Secrets;
using Xunit;
using Xunit.Abstractions;
using FinCardPin.UnitTests.Fakes;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Every card operation (status, check, change, unblock; identity and organisation cards; T=0 and T=1) against
    /// random and mutated card answers and PC/SC failures (<see cref="FuzzingPcscApi"/>). For every operation it holds
    /// that: nothing but the engine's own typed errors escapes; no command carrying a code is sent twice; no
    /// impossible counter reads as Ready; no code (digits or hex) appears in a trace or error text; and a session that
    /// sent a code ends with a card reset. Seeded: FINCARDPIN_FUZZ_SEED repeats or varies a run.
    /// </summary>
    public class FuzzTests
    {
        private const int MinimumAnswers = 500_000;
        private const int DefaultSeed = 20261202;

        // Digits 0 and 5-9 only (the fuzzing card's serials use 1-4), distinct, and valid under the DVV rules.
        private const string Pin1 = "9075";
        private const string Pin2 = "857096";
        private const string NewPin = "760958";
        private const string ActivationCode = "69075806";

        private static readonly byte[] IdentityAtr = Hex.Parse("3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00");
        private static readonly byte[] OrganisationAtr = Hex.Parse("3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48");

        private readonly ITestOutputHelper _output;

        public FuzzTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private enum Operation
        {
            Status,
            Check,
            Change,
            Unblock,
        }

        [Fact]
        public void EveryOperation_AgainstRandomAndMutatedAnswers_KeepsEveryPromise()
        {
            var seedText = Environment.GetEnvironmentVariable("FINCARDPIN_FUZZ_SEED");
            var seed = string.IsNullOrEmpty(seedText) ? DefaultSeed : int.Parse(seedText, CultureInfo.InvariantCulture);
            var random = new Random(seed);
            var forbidden = ForbiddenTexts();
            var operations = new Dictionary<string, int>();
            var violations = new Dictionary<string, int>
            {
                ["untyped exception"] = 0,
                ["code sent twice"] = 0,
                ["impossible counter read as Ready"] = 0,
                ["code in trace or error"] = 0,
                ["code left verified"] = 0,
            };
            var examples = new List<string>();
            var typedErrors = 0;
            var answers = 0;
            var watch = Stopwatch.StartNew();

            while (answers < MinimumAnswers)
            {
                var identity = random.Next(2) == 0;
                var protocol = random.Next(2) == 0 ? Protocols.T0 : Protocols.T1;
                var operation = (Operation)random.Next(4);
                var api = new FuzzingPcscApi(random, identity ? IdentityAtr : OrganisationAtr, protocol);
                var lines = new List<string>();
                var name = operation + (identity ? " identity " : " organisation ") + protocol;
                operations[name] = operations.TryGetValue(name, out var count) ? count + 1 : 1;

                Exception? failure = null;
                IReadOnlyList<PinStatusInfo> statuses = Array.Empty<PinStatusInfo>();
                PinCheckResult? check = null;
                api.StartOperation();
                try
                {
                    using var context = new PcscContext(api);
                    using var session = FineidSession.Open(context, FuzzingPcscApi.ReaderName, null, lines.Add);
                    var code = random.Next(2) == 0 ? PinCode.Pin1 : PinCode.Pin2;
                    var force = random.Next(2) == 0;
                    switch (operation)
                    {
                        case Operation.Status:
                            statuses = session.ReadAllStatus();
                            break;
                        case Operation.Check:
                            using (var pin = PinSecrets.Pin(code == PinCode.Pin1 ? Pin1 : Pin2))
                            {
                                check = SessionPinCalls.Test(session, code, pin, force);
                            }

                            break;
                        case Operation.Change:
                            using (var current = PinSecrets.Pin(code == PinCode.Pin1 ? Pin1 : Pin2))
                            using (var next = PinSecrets.Pin(NewPin))
                            {
                                SessionPinCalls.Change(session, code, current, next, force);
                            }

                            break;
                        default:
                            using (var activationCode = PinSecrets.Pin(ActivationCode))
                            using (var next = PinSecrets.Pin(NewPin))
                            {
                                SessionPinCalls.Unblock(session, code, activationCode, next, force);
                            }

                            break;
                    }
                }
                catch (FinCardPinException typed)
                {
                    typedErrors++;
                    failure = typed;
                }
#pragma warning disable CA1031 // Any other exception is exactly what this test counts.
                catch (Exception untyped)
#pragma warning restore CA1031
                {
                    failure = untyped;
                    Count(violations, examples, "untyped exception", name + ": " + untyped.GetType().Name + ": " + untyped.Message);
                }

                answers += api.AnswersGiven;

                if (api.CodeCommands.Count != api.CodeCommands.Distinct(StringComparer.Ordinal).Count())
                {
                    Count(violations, examples, "code sent twice", name + ": " + string.Join(" | ", api.CodeCommands.Select(c => c.Substring(0, 11))));
                }

                if (api.CodeCommands.Count > 0 && !api.ResetAtEnd)
                {
                    Count(violations, examples, "code left verified", name);
                }

                // The maximum is the card's own where it told it (IDEMIA's 9A, at most 15), otherwise 5.
                var reported = statuses.Select(s => (s.State, s.TriesLeft, Max: s.MaxTries)).ToList();
                if (check != null)
                {
                    var checkMax = statuses.Count > 0 ? statuses.Max(s => s.MaxTries) : PinRules.MaxTries;
                    reported.Add((check.Verified ? PinState.Ready : check.State, check.TriesLeft, checkMax));
                }

                if (reported.Any(r => r.Max < 1 || r.Max > PinRules.MaxReportableTries
                    || (r.State == PinState.Ready && !(r.TriesLeft >= 1 && r.TriesLeft <= r.Max))
                    || (r.TriesLeft.HasValue && (r.TriesLeft < 0 || r.TriesLeft > r.Max))))
                {
                    Count(violations, examples, "impossible counter read as Ready", name + ": " + string.Join(", ", reported));
                }

                var texts = lines.Concat(ErrorTexts(failure)).ToList();
                var leak = texts.FirstOrDefault(text => forbidden.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)));
                if (leak != null)
                {
                    Count(violations, examples, "code in trace or error", name + ": " + leak);
                }
            }

            _output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "Fuzz (seed {0}): {1} card answers in {2} operations, {3:0.0} s; {4} ended in the engine's typed errors.",
                seed, answers, operations.Values.Sum(), watch.Elapsed.TotalSeconds, typedErrors));
            _output.WriteLine("Fuzz operations: " + string.Join(", ", operations.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Key + " " + o.Value)));
            _output.WriteLine("Fuzz violations: " + string.Join(", ", violations.Select(v => v.Key + " " + v.Value)));

            Assert.True(operations.Count == 16, "every operation on both families and both protocols ran: " + string.Join(", ", operations.Keys));
            Assert.True(violations.Values.All(v => v == 0), string.Join(Environment.NewLine, examples));
        }

        private static void Count(Dictionary<string, int> violations, List<string> examples, string property, string example)
        {
            violations[property]++;
            if (examples.Count < 10)
            {
                examples.Add(property + ": " + example);
            }
        }

        // Each code as digits and as ASCII hex, spaced and unspaced.
        private static string[] ForbiddenTexts() =>
            new[] { Pin1, Pin2, NewPin, ActivationCode }
                .SelectMany(code =>
                {
                    var hex = Hex.Format(Encoding.ASCII.GetBytes(code));
                    return new[] { code, hex, hex.Replace(" ", string.Empty) };
                })
                .ToArray();

        private static IEnumerable<string> ErrorTexts(Exception? failure)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                yield return e.Message;
                if (e is FinCardPinException typed && typed.RecommendedAction != null)
                {
                    yield return typed.RecommendedAction;
                }
            }
        }
    }
}
