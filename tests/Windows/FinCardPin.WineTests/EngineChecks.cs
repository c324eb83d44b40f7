using System;
using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using static FinCardPin.WineTests.CheckRunner;
using FinCardPin.TestSupport;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// The engine's paths above the binding, as the cmdlets take them, on the native (Windows) PC/SC service:
    /// listing, card kind and serial, PIN status, a wrong and a right VERIFY, a change and an unblock. Each is
    /// checked against what the card logged and what its state file holds afterwards.
    /// </summary>
    internal static class EngineChecks
    {
        private const string IdentityNewPin2 = "246810";
        private const string OrganisationNewPin1 = "97531";

        public static void Run(CheckRunner checks, WorkFolder work)
        {
            using (var context = new PcscContext(PcscPlatform.Native))
            {
                Listing(checks, work, context);
                Status(checks, work, context);
                Verify(checks, work, context);
                Change(checks, work, context);
                Unblock(checks, work, context);
            }
        }

        private static void Listing(CheckRunner checks, WorkFolder work, PcscContext context)
        {
            checks.Check("engine: GetReaders lists both cards with ATR and event counter", () =>
            {
                var readers = context.GetReaders();
                Expect(readers.Select(r => r.Name).SequenceEqual(new[] { WorkFolder.IdentityReader, WorkFolder.OrganisationReader }),
                    "readers: " + string.Join(" | ", readers.Select(r => r.Name)));
                Expect(readers.All(r => r.HasCard && r.EventCount > 0), "a reader without a card or event count");
                Expect(readers[0].Atr.SequenceEqual(work.Identity.State().Atr) && readers[1].Atr.SequenceEqual(work.Organisation.State().Atr), "ATRs differ from the cards'");
            });

            checks.Check("engine: sessions identify the card kinds and read the serials", () =>
            {
                using (var identity = FineidSession.Open(context, WorkFolder.IdentityReader, null, null))
                {
                    Expect(identity.Identity.Kind == CardKind.IdentityCard, "identity card seen as " + identity.Identity.Kind);
                    Expect(identity.Serial == work.Identity.State().Serial, "identity serial " + identity.Serial);
                }

                using (var organisation = FineidSession.Open(context, WorkFolder.OrganisationReader, null, null))
                {
                    Expect(organisation.Identity.Kind == CardKind.OrganisationOrSoteCard, "organisation card seen as " + organisation.Identity.Kind);
                    Expect(organisation.Serial == work.Organisation.State().Serial, "organisation serial " + organisation.Serial);
                }
            });

            checks.Check("engine: a session bound to another serial refuses with CardChanged", () =>
            {
                var seen = work.Identity.Commands().Count;
                ExpectError(ErrorIds.CardChanged, () => FineidSession.Open(context, WorkFolder.IdentityReader, "9999999999", null).Dispose());
                Expect(work.Identity.CommandsSince(seen).All(line => !line.StartsWith("00 20", StringComparison.Ordinal)), "a VERIFY reached the card");
            });
        }

        private static void Status(CheckRunner checks, WorkFolder work, PcscContext context)
        {
            foreach (var card in new[] { (Reader: WorkFolder.IdentityReader, Files: work.Identity, Name: "identity (T=0)"), (Reader: WorkFolder.OrganisationReader, Files: work.Organisation, Name: "organisation (T=1)") })
            {
                checks.Check("engine: PIN status of the " + card.Name + " card matches its state and spends no try", () =>
                {
                    var state = card.Files.State();
                    var before = card.Files.StateText();
                    var seen = card.Files.Commands().Count;
                    using (var session = FineidSession.Open(context, card.Reader, null, null))
                    {
                        var status = session.ReadAllStatus();
                        Expect(status.Count == 3, status.Count + " codes");
                        Expect(Tries(status, PinCode.Pin1) == state.Pin1.TriesLeft && Tries(status, PinCode.Pin2) == state.Pin2.TriesLeft
                            && Tries(status, PinCode.ActivationCode) == state.ActivationCode.TriesLeft,
                            "tries " + string.Join(", ", status.Select(s => s.Code + "=" + s.TriesLeft)));
                        Expect(status.All(s => s.State == PinState.Ready), "states " + string.Join(", ", status.Select(s => s.Code + "=" + s.State)));
                    }

                    Expect(card.Files.StateText() == before, "the state file changed");
                    var sent = card.Files.CommandsSince(seen);
                    Expect(sent.All(line => !line.Contains("redacted")), "a command carrying a code reached the card");

                    // The identity card answers like a T=0 card (61xx): the engine must have fetched its PIN data.
                    Expect(!card.Files.State().T0 || sent.Any(line => line.StartsWith("00 C0 00 00", StringComparison.Ordinal)),
                        "no GET RESPONSE reached the T=0 card");
                });
            }
        }

        private static void Verify(CheckRunner checks, WorkFolder work, PcscContext context)
        {
            checks.Check("engine: a wrong PIN1 on the identity card costs exactly one try", () =>
            {
                var seen = work.Identity.Commands().Count;
                PinCheckResult result;
                using (var session = FineidSession.Open(context, WorkFolder.IdentityReader, null, null))
                using (var wrong = TestCodes.Buffer("9999"))
                {
                    result = SessionPinCalls.Test(session, PinCode.Pin1, wrong, false);
                }

                Expect(!result.Verified && result.TriesLeft == 4, "result verified=" + result.Verified + " tries=" + result.TriesLeft);
                Expect(work.Identity.State().Pin1.TriesLeft == 4, "card's PIN1 tries " + work.Identity.State().Pin1.TriesLeft);
                var verifies = work.Identity.CommandsSince(seen).Where(line => line.Contains("redacted")).ToArray();
                Expect(verifies.Length == 1 && IsVerify(verifies[0], "11", "63 C4"), "code commands: " + string.Join(" | ", verifies));
            });

            checks.Check("engine: the right PIN1 on the identity card verifies and restores the tries", () =>
            {
                var seen = work.Identity.Commands().Count;
                PinCheckResult result;
                using (var session = FineidSession.Open(context, WorkFolder.IdentityReader, null, null))
                using (var right = TestCodes.Buffer(TestCodes.IdentityPin1))
                {
                    result = SessionPinCalls.Test(session, PinCode.Pin1, right, false);
                }

                Expect(result.Verified, "not verified (tries " + result.TriesLeft + ")");
                Expect(work.Identity.State().Pin1.TriesLeft == 5, "card's PIN1 tries " + work.Identity.State().Pin1.TriesLeft);
                var verifies = work.Identity.CommandsSince(seen).Where(line => line.Contains("redacted")).ToArray();
                Expect(verifies.Length == 1 && IsVerify(verifies[0], "11", "90 00"), "code commands: " + string.Join(" | ", verifies));
            });

            checks.Check("engine: a wrong PIN2 on the organisation card (T=1) costs one try", () =>
            {
                var seen = work.Organisation.Commands().Count;
                PinCheckResult result;
                using (var session = FineidSession.Open(context, WorkFolder.OrganisationReader, null, null))
                using (var wrong = TestCodes.Buffer("999999"))
                {
                    result = SessionPinCalls.Test(session, PinCode.Pin2, wrong, false);
                }

                Expect(!result.Verified && result.TriesLeft == 4, "result verified=" + result.Verified + " tries=" + result.TriesLeft);
                Expect(work.Organisation.State().Pin2.TriesLeft == 4, "card's PIN2 tries " + work.Organisation.State().Pin2.TriesLeft);
                Expect(work.Organisation.CommandsSince(seen).Count(line => line.Contains("redacted")) == 1, "not exactly one command with a code");
            });
        }

        private static void Change(CheckRunner checks, WorkFolder work, PcscContext context)
        {
            checks.Check("engine: a change with a wrong current code is WrongPin and changes nothing", () =>
            {
                var before = work.Identity.State();
                using (var session = FineidSession.Open(context, WorkFolder.IdentityReader, null, null))
                using (var current = TestCodes.Buffer("111111"))
                using (var next = TestCodes.Buffer(IdentityNewPin2))
                {
                    ExpectError(ErrorIds.WrongPin, () => SessionPinCalls.Change(session, PinCode.Pin2, current, next, false));
                }

                var after = work.Identity.State();
                Expect(after.Pin2.Value == before.Pin2.Value, "PIN2 changed");
                Expect(after.Pin2.TriesLeft == before.Pin2.TriesLeft - 1, "PIN2 tries " + before.Pin2.TriesLeft + " -> " + after.Pin2.TriesLeft);
            });

            checks.Check("engine: PIN2 of the identity card changed with one CHANGE REFERENCE DATA", () =>
            {
                var seen = work.Identity.Commands().Count;
                using (var session = FineidSession.Open(context, WorkFolder.IdentityReader, null, null))
                using (var current = TestCodes.Buffer(TestCodes.IdentityPin2))
                using (var next = TestCodes.Buffer(IdentityNewPin2))
                {
                    SessionPinCalls.Change(session, PinCode.Pin2, current, next, false);
                }

                var state = work.Identity.State();
                Expect(state.Pin2.Value == IdentityNewPin2 && state.Pin2.TriesLeft == 5, "card's PIN2 is not the new one with 5 tries");
                var changes = work.Identity.CommandsSince(seen).Where(line => line.StartsWith("00 24", StringComparison.Ordinal)).ToArray();
                Expect(changes.Length == 1 && changes[0].EndsWith("-> 90 00", StringComparison.Ordinal), "changes: " + string.Join(" | ", changes));
            });
        }

        private static void Unblock(CheckRunner checks, WorkFolder work, PcscContext context)
        {
            checks.Check("engine: PIN1 of the organisation card (T=1) unblocked with the activation code", () =>
            {
                var seen = work.Organisation.Commands().Count;
                using (var session = FineidSession.Open(context, WorkFolder.OrganisationReader, null, null))
                using (var activationCode = TestCodes.Buffer(TestCodes.OrganisationActivationCode))
                using (var next = TestCodes.Buffer(OrganisationNewPin1))
                {
                    SessionPinCalls.Unblock(session, PinCode.Pin1, activationCode, next, false);
                }

                var state = work.Organisation.State();
                Expect(state.Pin1.Value == OrganisationNewPin1 && state.Pin1.TriesLeft == 5, "card's PIN1 is not the new one with 5 tries");
                Expect(state.ActivationCode.TriesLeft == 5, "activation code tries " + state.ActivationCode.TriesLeft);
                var unblocks = work.Organisation.CommandsSince(seen).Where(line => line.StartsWith("00 2C", StringComparison.Ordinal)).ToArray();
                Expect(unblocks.Length >= 1 && unblocks.All(line => line.EndsWith("-> 90 00", StringComparison.Ordinal)), "unblocks: " + string.Join(" | ", unblocks));
            });

            checks.Check("engine: the new PIN1 verifies on the organisation card, the old one no longer", () =>
            {
                using (var session = FineidSession.Open(context, WorkFolder.OrganisationReader, null, null))
                using (var old = TestCodes.Buffer(TestCodes.OrganisationPin1))
                {
                    Expect(!SessionPinCalls.Test(session, PinCode.Pin1, old, false).Verified, "the old PIN1 still verifies");
                }

                using (var session = FineidSession.Open(context, WorkFolder.OrganisationReader, null, null))
                using (var next = TestCodes.Buffer(OrganisationNewPin1))
                {
                    Expect(SessionPinCalls.Test(session, PinCode.Pin1, next, false).Verified, "the new PIN1 does not verify");
                }
            });
        }

        /// <summary>A logged VERIFY of this PIN reference with its code redacted, and the card's answer.</summary>
        private static bool IsVerify(string line, string reference, string answer) =>
            line.StartsWith("00 20 00 " + reference + " ", StringComparison.Ordinal) && line.Contains("redacted")
            && line.EndsWith(" -> " + answer, StringComparison.Ordinal);

        private static int? Tries(System.Collections.Generic.IReadOnlyList<PinStatusInfo> status, PinCode code) =>
            status.Single(s => s.Code == code).TriesLeft;
    }
}
