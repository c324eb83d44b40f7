using System;
using System.IO;
using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.PinPad;
using FinCardPin.UnitTests.Engine;
using FinCardPin.VirtualCard;
using Xunit;

namespace FinCardPin.UnitTests.PinPad
{
    /// <summary>
    /// The engine's keypad paths against the virtual card behind a virtual keypad reader whose script stands in for the
    /// holder: what the card counted and holds afterwards (its saved state and APDU log), and what the reader was asked.
    /// </summary>
    public sealed class PinPadSessionTests : IDisposable
    {
        private const string Pin1 = "1793";
        private const string Pin2 = "179385";
        private const string ActivationCode = "17938524";

        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        private sealed class Rig : IDisposable
        {
            public Rig(string path, string log, VirtualPinPad pad)
            {
                Path = path;
                Log = log;
                Pad = pad;
                Api = new VirtualPcscApi(1);
                Api.Insert(0, path, log);
                Api.AttachPinPad(0, pad);
                Context = new PcscContext(Api);
            }

            public string Path { get; }

            public string Log { get; }

            public VirtualPinPad Pad { get; }

            public VirtualPcscApi Api { get; }

            public PcscContext Context { get; }

            public VirtualCardState State => VirtualCardState.Load(Path);

            public string[] CodeCommands => File.Exists(Log) ? File.ReadAllLines(Log).Where(l => l.Contains("redacted", StringComparison.Ordinal)).ToArray() : Array.Empty<string>();

            public string[] LogLines => File.Exists(Log) ? File.ReadAllLines(Log) : Array.Empty<string>();

            public T Run<T>(CardKind kind, PinPadOperation operation, PinCode code, Func<FineidSession, PinPadPlan, T> work)
            {
                // As the cmdlets do: the keypad is read before the session takes the card's transaction.
                var pad = Context.ReadPinPad(VirtualPcscApi.ReaderName(0), hasCard: true);
                var plan = PinPadPlanner.Plan(pad, kind, operation, code, VirtualPcscApi.ReaderName(0));
                using var session = FineidSession.Open(Context, VirtualPcscApi.ReaderName(0), null, null);
                plan.LanguageId = 0x040B;
                return work(session, plan);
            }

            public void Dispose() => Context.Dispose();
        }

        private Rig Make(VirtualCardProfile profile, VirtualPinPadModel model, params string[] script) =>
            Make(VirtualCardState.Activated(profile, Pin1, Pin2, ActivationCode, "999000777"), model, script);

        private Rig Make(VirtualCardState state, VirtualPinPadModel model, params string[] script)
        {
            var name = Guid.NewGuid().ToString("N");
            var path = _folder.Save(state, name + ".json");
            return new Rig(path, System.IO.Path.Combine(_folder.Path, name + ".log"), new VirtualPinPad(model, script));
        }

        private static FinCardPinException Fails(Action action) => Assert.IsAssignableFrom<FinCardPinException>(Record.Exception(action));

        [Fact]
        public void Identity_RightCodeOnAFixedLengthKeypad_VerifiedAndTheSessionEndsWithAReset()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, Pin1);

            var result = rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false));

            Assert.True(result.Verified);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
            var block = Assert.Single(rig.Pad.Seen);
            Assert.StartsWith("1E1E820C00080402010B04", block, StringComparison.Ordinal); // 12-byte frame, 4-8 digits (the CT700's range), fi
            Assert.EndsWith("0020001" + "10C000000000000000000000000", block, StringComparison.Ordinal);
            Assert.Single(rig.CodeCommands);
            Assert.Contains("# reset", rig.LogLines); // nothing stays verified
        }

        [Fact]
        public void Identity_WrongCode_OneTrySpentAndReported()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, "9731");

            var result = rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false));

            Assert.False(result.Verified);
            Assert.Equal(4, result.TriesLeft);
            Assert.Equal(4, rig.State.Pin1.TriesLeft);
            Assert.Single(rig.Pad.Seen);
            Assert.Single(rig.CodeCommands);
        }

        [Theory]
        [InlineData("cancel", ErrorIds.PinPadCancelled)]
        [InlineData("timeout", ErrorIds.PinPadTimeout)]
        [InlineData("12", ErrorIds.PinPadLengthWrong)]
        [InlineData("123456789", ErrorIds.PinPadLengthWrong)]
        [InlineData("disabled", ErrorIds.PinPadDisabled)]
        public void Identity_TheReadersOwnAnswer_ItsOwnIdAndNoTrySpent(string entry, string errorId)
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, entry);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
            Assert.Empty(rig.CodeCommands);
            Assert.Single(rig.Pad.Seen); // asked once, never again
        }

        [Fact]
        public void ReaderAnswering6B80_RequestRejectedNothingSpent()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.RejectsStructure, Pin1);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.PinPadRequestRejected, error.ErrorId);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Identity_ChangeOnTheKeypad_ThreePromptsAndTheNewCodeHeld()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, Pin1, "2468", "2468");

            rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; });

            Assert.Equal("2468", rig.State.Pin1.Value);
            Assert.StartsWith("1E1E820C00000C08040302030B04000102", Assert.Single(rig.Pad.Seen), StringComparison.Ordinal);
            Assert.Single(rig.CodeCommands);
            Assert.Empty(rig.Pad.ScriptLeft);
        }

        [Fact]
        public void Identity_ConfirmationDiffers_OwnIdNothingChangedNothingSpent()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, Pin1, "2468", "2469");

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinPadConfirmationMismatch, error.ErrorId);
            Assert.Equal(Pin1, rig.State.Pin1.Value);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
            Assert.Empty(rig.CodeCommands);
        }

        [Fact]
        public void ReaderAnsweringModifyNotTransacted_OutcomeUnknownNeverNothingSent()
        {
            // pcscd reports a reader without MODIFY and a transfer error after the codes reached the card alike: the
            // engine cannot tell them apart, so it does not claim that no code was sent.
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.ModifyNotTransacted, Pin1, "2468", "2468");

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            var cause = Assert.IsType<FinCardPinException>(error.InnerException);
            Assert.Equal(ErrorIds.PinPadCannotChange + ".NotTransacted", cause.MessageKey);
            Assert.Single(rig.Pad.Seen); // asked once, never again
            Assert.Equal(Pin1, rig.State.Pin1.Value);
        }

        [Fact]
        public void VerifyOnlyReader_ChangeRefusedBeforeAnything()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.VerifyOnly, Pin1, "2468", "2468");

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinPadCannotChange, error.ErrorId);
            Assert.Empty(rig.Pad.Seen);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(Pin1, rig.State.Pin1.Value);
        }

        [Fact]
        public void FalseClaim_NoKeypadToPlanWith()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FalseClaim, Pin1);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.PinPadNotAvailable, error.ErrorId);
            Assert.Empty(rig.Pad.Seen);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Identity_UnblockOnTheKeypad_ActivationCodeFirstThenTheNewCodeTwice()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, "999000778");
            state.Pin1.TriesLeft = 0;
            using var rig = Make(state, VirtualPinPadModel.FixedLength, ActivationCode, "24681357", "24681357");

            rig.Run(CardKind.IdentityCard, PinPadOperation.Unblock, PinCode.Pin1, (s, p) => { s.UnblockPinOnPinPad(PinCode.Pin1, p, false); return 0; });

            Assert.Equal("24681357", rig.State.Pin1.Value);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
            Assert.Contains("002C0011180000", Assert.Single(rig.Pad.Seen), StringComparison.Ordinal);
            Assert.StartsWith("00 2C 00 11 [code redacted] -> 90 00", Assert.Single(rig.CodeCommands), StringComparison.Ordinal);
        }

        // The reader has one length range for every entry of a block: it is the lengths every entry allows, so an
        // entry the keyboard path would refuse never reaches the card and costs no try.
        [Theory]
        [InlineData("123456", "24681357")] // 6 digits: a new PIN2's length, never an activation code's (7-8)
        [InlineData(ActivationCode, "2468")] // a new PIN1 of 4 digits: the activation code's range does not take it
        public void Identity_UnblockOnTheKeypad_AnEntryShorterThanTheActivationCode_RefusedByTheReaderNoTrySpent(string activationCode, string next)
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, "999000781");
            state.Pin1.TriesLeft = 0;
            using var rig = Make(state, VirtualPinPadModel.FixedLength, activationCode, next, next);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Unblock, PinCode.Pin1, (s, p) => { s.UnblockPinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinPadLengthWrong, error.ErrorId);
            // The range every entry had, not the activation code's rule: the entry that was wrong may be the new code.
            Assert.Equal(ErrorIds.PinPadLengthWrong + ".EveryEntry", error.MessageKey);
            Assert.Equal((7, 8), ((int)error.Facts["min"]!, (int)error.Facts["max"]!));
            Assert.False(error.Facts.ContainsKey("code"));
            Assert.Equal(5, rig.State.ActivationCode.TriesLeft);
            Assert.Equal(0, rig.State.Pin1.TriesLeft);
            Assert.Empty(rig.CodeCommands);
            Assert.Single(rig.Pad.Seen);
        }

        [Fact]
        public void Identity_ChangeOnTheKeypad_ANewCodeLongerThanTheDvvRule_RefusedByTheReader()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.VariableLength, Pin1, "246813579", "246813579");

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinPadLengthWrong, error.ErrorId);
            Assert.Equal(ErrorIds.PinPadLengthWrong + ".EveryEntry", error.MessageKey);
            Assert.Equal((4, 8), ((int)error.Facts["min"]!, (int)error.Facts["max"]!));
            Assert.Equal(Pin1, rig.State.Pin1.Value);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
            Assert.Empty(rig.CodeCommands);
        }

        [Fact]
        public void LastTry_RefusedBeforeTheKeypadIsAsked()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, "999000779");
            state.Pin1.TriesLeft = 1;
            using var rig = Make(state, VirtualPinPadModel.FixedLength, Pin1);
            var announced = 0;

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) =>
            {
                p.Announce = (_, _, _) => announced++;
                return s.TestPinOnPinPad(PinCode.Pin1, p, false);
            }));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Empty(rig.Pad.Seen);
            Assert.Equal(0, announced);
            Assert.Equal(1, rig.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Announcement_ComesJustBeforeTheKeypadWithItsTime()
        {
            using var rig = Make(VirtualCardProfile.IdentityThalesV5, VirtualPinPadModel.FixedLength, Pin1, "2468", "2468");
            var said = new System.Collections.Generic.List<(PinPadStep, PinCode, TimeSpan)>();

            rig.Run(CardKind.IdentityCard, PinPadOperation.Change, PinCode.Pin1, (s, p) =>
            {
                p.Announce = (step, code, time) => { said.Add((step, code, time)); Assert.Empty(rig.Pad.Seen); };
                s.ChangePinOnPinPad(PinCode.Pin1, p, false);
                return 0;
            });

            Assert.Equal((PinPadStep.Change, PinCode.Pin1, TimeSpan.FromSeconds(180)), Assert.Single(said));
        }

        [Theory]
        [InlineData(VirtualPinPadModel.FixedLength)]
        [InlineData(VirtualPinPadModel.RejectsStructure)]
        internal void Organisation_PinVerifyOnAFixedLengthReader_RefusedNamingTheKeyboard(VirtualPinPadModel model)
        {
            using var rig = Make(VirtualCardProfile.OrganisationIdemiaIdMe, model, Pin1);

            var error = Fails(() => rig.Run(CardKind.OrganisationOrSoteCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.PinPadNotForThisCard, error.ErrorId);
            Assert.Equal(ErrorIds.PinPadNotForThisCard + ".FixedOnly", error.MessageKey);
            Assert.Empty(rig.Pad.Seen);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
        }

        [Fact]
        public void Organisation_ChangeOnAKeypad_AlwaysRefused()
        {
            using var rig = Make(VirtualCardProfile.OrganisationIdemiaIdMe, VirtualPinPadModel.VariableLength, Pin1, "2468", "2468");

            var error = Fails(() => rig.Run(CardKind.OrganisationOrSoteCard, PinPadOperation.Change, PinCode.Pin1, (s, p) => { s.ChangePinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.PinPadNotForThisCard, error.ErrorId);
            Assert.Equal(ErrorIds.PinPadNotForThisCard + ".Change", error.MessageKey);
            Assert.Empty(rig.Pad.Seen);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(Pin1, rig.State.Pin1.Value);
        }

        [Fact]
        public void Organisation_PinVerifyOnAVariableLengthReader_UnpaddedAndVerified()
        {
            using var rig = Make(VirtualCardProfile.OrganisationIdemiaIdMe, VirtualPinPadModel.VariableLength, Pin1);

            var result = rig.Run(CardKind.OrganisationOrSoteCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false));

            Assert.True(result.Verified);
            Assert.EndsWith("05000000002000" + "0300", Assert.Single(rig.Pad.Seen), StringComparison.Ordinal); // Cherry: Lc 00
            Assert.Single(rig.CodeCommands);
        }

        [Fact]
        public void Organisation_UnblockOnAVariableLengthReader_ActivationCodeAsEightDigitsThenTheNewCode()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, "999000780");
            state.Pin1.TriesLeft = 0;
            using var rig = Make(state, VirtualPinPadModel.VariableLength, ActivationCode, "2468", "2468");

            rig.Run(CardKind.OrganisationOrSoteCard, PinPadOperation.Unblock, PinCode.Pin1, (s, p) => { s.UnblockPinOnPinPad(PinCode.Pin1, p, false); return 0; });

            Assert.Equal("2468", rig.State.Pin1.Value);
            Assert.Equal(2, rig.Pad.Seen.Count);
            Assert.StartsWith("1E1E82080008080201", rig.Pad.Seen[0], StringComparison.Ordinal);
            Assert.StartsWith("1E1E8200000000080401020", rig.Pad.Seen[1], StringComparison.Ordinal);
            Assert.EndsWith("002C020300", rig.Pad.Seen[1], StringComparison.Ordinal);
            Assert.Equal(new[] { "00 20 00 12 [code redacted] -> 90 00", "00 2C 02 03 [code redacted] -> 90 00" }, rig.CodeCommands);
        }

        [Fact]
        public void Organisation_UnblockWithAWrongActivationCode_NoSecondStep()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, Pin1, Pin2, ActivationCode, "999000781");
            state.Pin1.TriesLeft = 0;
            using var rig = Make(state, VirtualPinPadModel.VariableLength, "87654321", "2468", "2468");

            var error = Fails(() => rig.Run(CardKind.OrganisationOrSoteCard, PinPadOperation.Unblock, PinCode.Pin1, (s, p) => { s.UnblockPinOnPinPad(PinCode.Pin1, p, false); return 0; }));

            Assert.Equal(ErrorIds.WrongActivationCode, error.ErrorId);
            Assert.Single(rig.Pad.Seen);
            Assert.Equal(4, rig.State.ActivationCode.TriesLeft);
            Assert.StartsWith("00 20 00 12 [code redacted] -> 63 C4", Assert.Single(rig.CodeCommands), StringComparison.Ordinal);
            Assert.Equal(0, rig.State.Pin1.TriesLeft); // still blocked: no RESET RETRY COUNTER went out
            Assert.Equal(Pin1, rig.State.Pin1.Value);
        }

        // --- The card misbehaving behind the keypad: the reader sent the typed code, the card did not answer usefully. ---

        private Rig WithFaults(string serial, Action<VirtualCardFaults> faults, int pin1TriesLeft, params string[] script)
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, Pin1, Pin2, ActivationCode, serial);
            state.Pin1.TriesLeft = pin1TriesLeft;
            faults(state.Faults);
            return Make(state, VirtualPinPadModel.FixedLength, script);
        }

        [Fact]
        public void CardRemovedOnTheKeypadVerify_OutcomeUnknownAskedOnceNeverResent()
        {
            using var rig = WithFaults("999000782", f => f.RemoveOnInstruction = "20", 5, Pin1, Pin1);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Single(rig.Pad.Seen);
            Assert.Equal("00 20 00 11 [code redacted] -> (card removed)", Assert.Single(rig.CodeCommands));
            Assert.Equal(new[] { Pin1 }, rig.Pad.ScriptLeft); // the holder was not asked a second time
            Assert.False(rig.Api.HasCard(0)); // the reader shows it gone, as pcscd would
        }

        [Fact]
        public void CardAsksForAResendOfTheKeypadVerify_SentOnceNothingClaimed()
        {
            using var rig = WithFaults("999000783", f =>
            {
                f.AnswerInstruction = "20";
                f.AnswerStatusWord = "6C0C";
                f.AnswerOnlyCommandsWithData = true;
            }, 5, Pin1, Pin1);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId); // as on the keyboard path: a code is never sent again
            Assert.Single(rig.Pad.Seen);
            Assert.Equal("00 20 00 11 [code redacted] -> 6C 0C", Assert.Single(rig.CodeCommands));
            Assert.Equal(new[] { Pin1 }, rig.Pad.ScriptLeft);
        }

        [Theory]
        [InlineData(PinPadOperation.Change, "24", Pin1, "00 24 00 11")]
        [InlineData(PinPadOperation.Unblock, "2C", ActivationCode, "00 2C 00 11")]
        internal void AnswerLostOnTheKeypadModify_OutcomeUnknownNeverReportedAsDoneOrNot(PinPadOperation operation, string instruction, string firstEntry, string header)
        {
            using var rig = WithFaults("999000784", f => f.LoseAnswerOnInstruction = instruction, operation == PinPadOperation.Unblock ? 0 : 5, firstEntry, "24681357", "24681357");

            var error = Fails(() => rig.Run(CardKind.IdentityCard, operation, PinCode.Pin1, (s, p) =>
            {
                if (operation == PinPadOperation.Change)
                {
                    s.ChangePinOnPinPad(PinCode.Pin1, p, false);
                }
                else
                {
                    s.UnblockPinOnPinPad(PinCode.Pin1, p, false);
                }

                return 0;
            }));

            Assert.Equal(ErrorIds.PinOutcomeUnknown, error.ErrorId);
            Assert.Single(rig.Pad.Seen);
            Assert.Equal(header + " [code redacted] -> (card removed)", Assert.Single(rig.CodeCommands));
            Assert.Equal("24681357", rig.State.Pin1.Value); // the card did it: "not changed" would have been false
            Assert.False(rig.Api.HasCard(0));
        }

        [Fact]
        public void ImpossibleCounterOnTheKeypadPath_GuardedLikeALastTry()
        {
            // As on the keyboard path (UnhappyCard.Tests.ps1, 'a counter the card cannot have'): 9 of 5 is no count.
            using var rig = WithFaults("999000785", f => f.ReportedTriesLeft = 9, 5, Pin1);

            var error = Fails(() => rig.Run(CardKind.IdentityCard, PinPadOperation.Verify, PinCode.Pin1, (s, p) => s.TestPinOnPinPad(PinCode.Pin1, p, false)));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Empty(rig.Pad.Seen);
            Assert.Empty(rig.CodeCommands);
            Assert.Equal(5, rig.State.Pin1.TriesLeft);
        }
    }
}
