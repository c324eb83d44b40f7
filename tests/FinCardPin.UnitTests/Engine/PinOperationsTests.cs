using System;
using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>The guarded operations: counters read first, blocked codes and the last try refused before the card sees a code.</summary>
    public class PinOperationsTests
    {
        private const string Pin = "179385";
        private const string NewPin = "971358";
        private const string ActivationCode = "17938524";

        // ---- Test --------------------------------------------------------------------------------------------

        [Fact]
        public void Test_IdentityRightCode_IsVerified()
        {
            var verify = "00 20 00 11 0C " + Padded(Pin);
            var api = Identity().OnPinInfo(0x11, (4, true));
            api.On(verify, "90 00");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, Pin, force: false);

            Assert.True(result.Verified);
            Assert.Equal(PinState.Ready, result.State);
            Assert.Equal(5, result.TriesLeft);
            Assert.Equal(new[] { GetData(0x11, Protocols.T0), verify }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Test_IdentityWrongCode_IsAResultWithTriesLeft()
        {
            var api = Identity().OnPinInfo(0x82, (4, true));
            api.OnPrefix("00 20 00 82 0C", "63 C3");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin2, Pin, force: false);

            Assert.False(result.Verified);
            Assert.Equal(3, result.TriesLeft);
            Assert.Equal(PinState.Ready, result.State);
        }

        [Fact]
        public void Test_WrongCodeOnSecondLastTry_IsBlocked()
        {
            var api = Organisation();
            api.On("00 20 00 03", "63 C2");
            api.OnPrefix("00 20 00 03 06", "63 C0");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, Pin, force: false);

            Assert.False(result.Verified);
            Assert.Equal(PinState.Blocked, result.State);
            Assert.Equal(0, result.TriesLeft);
        }

        [Fact]
        public void Test_IdentityBlocked_SendsNoCode()
        {
            var api = Identity().OnPinInfo(0x11, (0, true));
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, Pin, force: true);

            Assert.False(result.Verified);
            Assert.Equal(PinState.Blocked, result.State);
            Assert.Equal(0, result.TriesLeft);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Theory]
        [InlineData("69 83", PinState.Blocked)]
        [InlineData("69 84", PinState.BlockedOrNotActivated)]
        [InlineData("63 C0", PinState.Blocked)]
        public void Test_OrganisationBlocked_SendsNoCode(string probeAnswer, PinState expected)
        {
            var api = Organisation();
            api.On("00 20 00 04", probeAnswer);
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin2, Pin, force: true);

            Assert.Equal(expected, result.State);
            Assert.Equal(new[] { "00 20 00 04" }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Test_IdentityLastTryWithoutForce_ThrowsAndSendsNoCode()
        {
            var api = Identity().OnPinInfo(0x11, (1, true));
            api.OnPrefix("00 20 00 11 0C", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Test(PinCode.Pin1, Pin, force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Equal(Reader, error.ReaderName);
            Assert.Equal(ErrorIds.LastTryProtected, error.MessageKey);
            Assert.Equal(PinCode.Pin1, error.Facts["code"]);
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.Equal(new[] { GetData(0x11, Protocols.T0) }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Unblock_ActivationCodeTriesNotReported_RefusedWithoutForceAndSendsNoCode()
        {
            // The card answers GET DATA for the activation code without a tries field: the counter is unknown.
            var api = Identity().OnPinInfo(0x82, (0, true));
            api.On(GetData(0x83, Protocols.T0), "A0 05 83 01 83 DF 2F 01 01 90 00");
            api.OnPrefix("00 2C 00 82", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin2, "12345678", "654321", force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Equal(ErrorIds.LastTryProtected + ".TriesUnknown", error.MessageKey);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Test_VerifyAnsweredWrongData_IsTheCheckedCodesLengthRefused()
        {
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.OnPrefix("00 20 00 11 0C", "6A 80");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Test(PinCode.Pin1, Pin, force: false));

            // A VERIFY carries only the code being checked: 6A80 refuses that code's form, there is no new code.
            Assert.Equal(ErrorIds.CardRejectedPinLength, error.ErrorId);
            Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void Test_IdentityLastTryWithForce_SendsTheCode()
        {
            var verify = "00 20 00 11 0C " + Padded(Pin);
            var api = Identity().OnPinInfo(0x11, (1, true));
            api.On(verify, "90 00");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, Pin, force: true);

            Assert.True(result.Verified);
            Assert.Equal(new[] { verify }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Test_OrganisationLastTryWithoutForce_SendsOnlyTheProbe()
        {
            var api = Organisation();
            api.On("00 20 00 03", "63 C1");
            api.OnPrefix("00 20 00 03 06", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Test(PinCode.Pin1, Pin, force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Equal(new[] { "00 20 00 03" }, opened.PinTrafficSinceOpen);
        }

        // ---- Change ------------------------------------------------------------------------------------------

        [Fact]
        public void Change_IdentitySuccess_ReadsTheCounterThenSendsChange()
        {
            var change = "00 24 00 82 18 " + Padded(Pin) + " " + Padded(NewPin);
            var api = Identity(Protocols.T1).OnPinInfo(0x82, (3, true));
            api.On(change, "90 00");
            using var opened = Open(api);

            opened.Change(PinCode.Pin2, Pin, NewPin, force: false);

            Assert.Equal(new[] { GetData(0x82, Protocols.T1), change }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Change_IdentityNotActivated2026Card_ChangesWithTheActivationCodeAsCurrent()
        {
            var change = "00 24 00 11 18 " + Padded("1793852") + " " + Padded("9713");
            var api = Identity().OnPinInfo(0x11, (5, false));
            api.On(change, "90 00");
            using var opened = Open(api);

            opened.Change(PinCode.Pin1, "1793852", "9713", force: false);

            Assert.Equal(new[] { GetData(0x11, Protocols.T0), change }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Change_WrongCurrentCode_ThrowsWrongPinWithTriesLeft()
        {
            var api = Identity().OnPinInfo(0x11, (4, true));
            api.OnPrefix("00 24 00 11 18", "63 C3");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, Pin, NewPin, force: false));

            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
            Assert.Equal(FailureKind.AuthenticationError, error.Kind);
            Assert.Equal(ErrorIds.WrongPin + ".TriesLeft", error.MessageKey);
            Assert.Equal(3, error.Facts["triesLeft"]);
            Assert.DoesNotContain(Pin, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(NewPin, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Change_WrongCurrentCodeOneLeft_SaysOneTry()
        {
            var api = Organisation();
            api.On("00 20 00 03", "63 C2");
            api.OnPrefix("00 20 00 03 ", "63 C1");
            using var opened = Open(api);
            using var current = PinSecrets.Pin(Pin);
            using var next = PinSecrets.Pin(NewPin);

            var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Change(opened.Session, PinCode.Pin1, current, next, force: false));

            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
            Assert.Equal(ErrorIds.WrongPin + ".OneTryLeft", error.MessageKey);
            Assert.Empty(api.SentWithData(0x24)); // the wrong current code was caught by VERIFY: no CHANGE went out
        }

        [Fact]
        public void Change_OrganisationCurrentCodeOfAnotherLength_IsCheckedByVerifyAndNeverSplitIntoTheNewCode()
        {
            // Stored PIN1 1234; the holder types 12345 as the current code and 6789 as the new one. CHANGE alone would
            // carry 123456789, which the card splits after four digits: current 1234 (right), new 56789 (nobody's).
            var api = Organisation();
            api.On("00 20 00 03", "63 C5");
            api.On("00 20 00 03 05 " + Ascii("12345"), "63 C4");
            using var opened = Open(api);
            using var current = PinSecrets.Pin("12345");
            using var next = PinSecrets.Pin("6789");

            var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Change(opened.Session, PinCode.Pin1, current, next, force: false));

            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
            Assert.Equal(new[] { "00 20 00 03 05 " + Ascii("12345") }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_OrganisationRightCurrentCode_VerifiesThenChangesOnce()
        {
            var change = "00 24 00 03 0A " + Ascii("1234") + " " + Ascii("567890");
            var api = Organisation();
            api.On("00 20 00 03", "63 C5");
            api.On("00 20 00 03 04 " + Ascii("1234"), "90 00");
            api.On(change, "90 00");
            using var opened = Open(api);

            opened.Change(PinCode.Pin1, "1234", "567890", force: false);

            Assert.Equal(new[] { "00 20 00 03 04 " + Ascii("1234"), change }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_WrongCurrentCodeNowBlocked_SaysBlocked()
        {
            var api = Identity().OnPinInfo(0x11, (2, true));
            api.OnPrefix("00 24 00 11 18", "63 C0");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, Pin, NewPin, force: false));

            Assert.Equal(ErrorIds.WrongPin, error.ErrorId);
            Assert.Equal(ErrorIds.WrongPin + ".NowBlocked", error.MessageKey);
            Assert.Equal(0, error.Facts["triesLeft"]);
        }

        [Fact]
        public void Change_Blocked_ThrowsPinBlockedAndSendsNoChange()
        {
            var api = Identity().OnPinInfo(0x82, (0, true));
            api.OnPrefix("00 24", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin2, Pin, NewPin, force: true));

            Assert.Equal(ErrorIds.PinBlocked, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.Empty(opened.ChangeOrUnblockSinceOpen);
        }

        [Fact]
        public void Change_OrganisationBlocked_ThrowsPinBlockedAfterTheProbeOnly()
        {
            var api = Organisation();
            api.On("00 20 00 04", "69 83");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin2, Pin, NewPin, force: true));

            Assert.Equal(ErrorIds.PinBlocked, error.ErrorId);
            Assert.Equal(new[] { "00 20 00 04" }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Change_NotActivatedWithNoTries_ThrowsPinNotActivatedAndSendsNoChange()
        {
            var api = Identity().OnPinInfo(0x11, (0, false));
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, Pin, NewPin, force: false));

            Assert.Equal(ErrorIds.PinNotActivated, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_LastTryWithoutForce_ThrowsAndSendsNoChange()
        {
            var api = Identity().OnPinInfo(0x82, (1, true));
            api.OnPrefix("00 24", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin2, Pin, NewPin, force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_LastTryWithForce_SendsTheChange()
        {
            var change = "00 24 00 82 18 " + Padded(Pin) + " " + Padded(NewPin);
            var api = Identity().OnPinInfo(0x82, (1, true));
            api.On(change, "90 00");
            using var opened = Open(api);

            opened.Change(PinCode.Pin2, Pin, NewPin, force: true);

            Assert.Equal(new[] { change }, opened.PinCommandsSinceOpen);
        }

        [Theory]
        [InlineData("6A 80")]
        [InlineData("67 00")]
        public void Change_OrganisationNewPin2Rejected_ThrowsCardRejectedNewPin(string answer)
        {
            var change = "00 24 00 04 0A " + Ascii("1793") + " " + Ascii("971358");
            var verify = "00 20 00 04 04 " + Ascii("1793");
            var api = Organisation();
            api.On("00 20 00 04", "63 C5");
            api.On(verify, "90 00");
            api.On(change, answer);
            using var opened = Open(api);
            using var current = PinSecrets.Pin("1793");
            using var next = PinSecrets.Pin("971358");

            var error = Assert.Throws<FinCardPinException>(() => SessionPinCalls.Change(opened.Session, PinCode.Pin2, current, next, force: false));

            Assert.Equal(ErrorIds.CardRejectedNewPin, error.ErrorId);
            // 6700 is the length; 6A80 may also be "the same as the current one" (DigiDoc4): the message says both.
            Assert.Equal(answer == "67 00" ? ErrorIds.CardRejectedNewPin + ".OrganisationPin2" : ErrorIds.CardRejectedNewPin + ".OrSame.OrganisationPin2", error.MessageKey);
            Assert.Equal(PinCode.Pin2, error.Facts["code"]);
            Assert.Equal(8, error.Facts["max"]);
            Assert.DoesNotContain("971358", error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { verify, change }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Change_SameAsCurrent_ThrowsNewPinSameAsCurrent()
        {
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.OnPrefix("00 24 00 11 18", "69 85");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, Pin, Pin, force: false));

            Assert.Equal(ErrorIds.NewPinSameAsCurrent, error.ErrorId);
        }

        [Fact]
        public void Change_SecurityStatusNotSatisfied_ThrowsUnexpectedCardAnswer()
        {
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.OnPrefix("00 24 00 11 18", "69 82");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, Pin, NewPin, force: false));

            Assert.Equal(ErrorIds.UnexpectedCardAnswer, error.ErrorId);
            Assert.Equal(FailureKind.PermissionDenied, error.Kind);
        }

        // ---- Unblock -----------------------------------------------------------------------------------------

        [Fact]
        public void Unblock_Identity_ReadsTheActivationCodeCounterThenSendsResetRetryCounter()
        {
            var reset = "00 2C 00 11 18 " + Padded(ActivationCode) + " " + Padded(NewPin);
            var api = Identity().OnPinInfo(0x11, (0, true)).OnPinInfo(0x83, (5, true));
            api.On(reset, "90 00");
            using var opened = Open(api);

            opened.Unblock(PinCode.Pin1, ActivationCode, NewPin, force: false);

            // The PIN's own counter first: a 2026 card's preset code is refused there (Unblock_Preset... below).
            Assert.Equal(new[] { GetData(0x11, Protocols.T0), GetData(0x83, Protocols.T0), reset }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Unblock_IdentityActivationCodeOnLastTryWithoutForce_ThrowsAndSendsNoResetRetryCounter()
        {
            var api = Identity().OnPinInfo(0x82, (0, true)).OnPinInfo(0x83, (1, true));
            api.OnPrefix("00 2C", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin2, ActivationCode, NewPin, force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Equal(ErrorIds.LastTryProtected + ".ActivationCode", error.MessageKey);
            Assert.Empty(opened.ChangeOrUnblockSinceOpen);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Unblock_IdentityActivationCodeOnLastTryWithForce_SendsResetRetryCounter()
        {
            var reset = "00 2C 00 82 18 " + Padded(ActivationCode) + " " + Padded(NewPin);
            var api = Identity().OnPinInfo(0x82, (0, true)).OnPinInfo(0x83, (1, true));
            api.On(reset, "90 00");
            using var opened = Open(api);

            opened.Unblock(PinCode.Pin2, ActivationCode, NewPin, force: true);

            Assert.Equal(new[] { reset }, opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Unblock_ActivationCodeUsedUp_ThrowsActivationCodeBlockedAndSendsNothing()
        {
            var api = Identity().OnPinInfo(0x11, (0, true)).OnPinInfo(0x83, (0, true));
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, ActivationCode, NewPin, force: true));

            Assert.Equal(ErrorIds.ActivationCodeBlocked, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Unblock_WrongActivationCode_ThrowsWrongActivationCodeWithTriesLeft()
        {
            var api = Identity().OnPinInfo(0x11, (0, true)).OnPinInfo(0x83, (4, true));
            api.OnPrefix("00 2C 00 11 18", "63 C3");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, ActivationCode, NewPin, force: false));

            Assert.Equal(ErrorIds.WrongActivationCode, error.ErrorId);
            Assert.Equal(ErrorIds.WrongActivationCode + ".TriesLeft", error.MessageKey);
            Assert.Equal(3, error.Facts["triesLeft"]);
            Assert.DoesNotContain(ActivationCode, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Unblock_Organisation_ProbesActivationCodeVerifiesItThenResetsRetryCounterWithP1Is02()
        {
            var verifyActivationCode = "00 20 00 12 08 " + Ascii(ActivationCode);
            var reset = "00 2C 02 04 06 " + Ascii(NewPin);
            var api = Organisation();
            api.On("00 20 00 12", "63 C5");
            api.On(verifyActivationCode, "90 00");
            api.On(reset, "90 00");
            using var opened = Open(api);

            opened.Unblock(PinCode.Pin2, ActivationCode, NewPin, force: false);

            Assert.Equal(new[] { "00 20 00 12", verifyActivationCode, reset }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Unblock_OrganisationActivationCodeOnLastTryWithoutForce_SendsNoCode()
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C1");
            api.OnPrefix("00 20 00 12 08", "90 00");
            api.OnPrefix("00 2C", "90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, ActivationCode, NewPin, force: false));

            Assert.Equal(ErrorIds.LastTryProtected, error.ErrorId);
            Assert.Equal(new[] { "00 20 00 12" }, opened.PinTrafficSinceOpen);
        }

        [Fact]
        public void Unblock_OrganisationNewPin2Rejected_ThrowsCardRejectedNewPin()
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C5");
            api.On("00 20 00 12 08 " + Ascii(ActivationCode), "90 00");
            api.OnPrefix("00 2C 02 04", "6A 80");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin2, ActivationCode, "1793", force: false));

            Assert.Equal(ErrorIds.CardRejectedNewPin, error.ErrorId);
            Assert.Equal(ErrorIds.CardRejectedNewPin + ".OrSame.OrganisationPin2", error.MessageKey); // 6A 80 may also mean the new code equals the old
            Assert.Equal(PinCode.Pin2, error.Facts["code"]);
            Assert.Single(opened.PinTrafficSinceOpen, "00 2C 02 04 04 " + Ascii("1793"));
        }

        [Fact]
        public void Unblock_OrganisationWrongActivationCode_ThrowsWrongActivationCodeAndNoResetRetryCounter()
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C4");
            api.OnPrefix("00 20 00 12 08", "63 C3");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, ActivationCode, NewPin, force: false));

            Assert.Equal(ErrorIds.WrongActivationCode, error.ErrorId);
            Assert.Equal(ErrorIds.WrongActivationCode + ".TriesLeft", error.MessageKey);
            Assert.Equal(3, error.Facts["triesLeft"]);
            Assert.Empty(opened.ChangeOrUnblockSinceOpen);
        }

        [Fact]
        public void Operations_CodeCheckedForAnotherUse_AreRefusedBeforeAnyCommand()
        {
            // A checked code carries what it was checked as: PIN1's rules are not PIN2's, a current code's not a new
            // one's, an identity card's not an organisation card's. Sent as anything else, nothing goes out.
            var api = Identity();
            using var opened = Open(api);
            using var pin = PinSecrets.Pin("179385");
            using var next = PinSecrets.Pin("971358");
            var session = opened.Session;
            var asPin1 = CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, pin, CodeRole.Given);
            var asCurrentPin1 = CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, pin, CodeRole.Current);
            var asNewPin1 = CheckedPin.Check(CardKind.IdentityCard, PinCode.Pin1, next, CodeRole.New);
            var ofOrganisationCard = CheckedPin.Check(CardKind.OrganisationOrSoteCard, PinCode.Pin1, pin, CodeRole.Given);

            Assert.Throws<ArgumentException>(() => session.TestPin(PinCode.Pin2, asPin1, false));
            Assert.Throws<ArgumentException>(() => session.TestPin(PinCode.Pin1, asCurrentPin1, false));
            Assert.Throws<ArgumentException>(() => session.TestPin(PinCode.Pin1, ofOrganisationCard, false));
            Assert.Throws<ArgumentException>(() => session.ChangePin(PinCode.Pin1, asPin1, asNewPin1, false));
            Assert.Throws<ArgumentException>(() => session.ChangePin(PinCode.Pin1, asCurrentPin1, asCurrentPin1, false));
            Assert.Throws<ArgumentException>(() => session.UnblockPin(PinCode.Pin1, asPin1, asNewPin1, false));
            Assert.Throws<ArgumentNullException>(() => session.TestPin(PinCode.Pin1, null!, false));
            Assert.Empty(opened.SentSinceOpen);
        }
    }
}
