using System;
using System.Globalization;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using Xunit;
using static FinCardPin.UnitTests.Fakes.FakeCards;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// What real IDEMIA/Thales cards answer (DigiDoc4's and ReFineID's IDEMIA code, libelectronic-id's Cosmo X notes): IDEMIA's counter GET DATA,
    /// reads of at most 0xC0 bytes, the status words DigiDoc4 and ReFineID report, the card's own PKCS#15 rules.
    /// </summary>
    public class CardTruthTests
    {
        private const string SelectAodf = "00 A4 02 0C 02 44 01";
        private const string Odf = "A8 06 30 04 04 02 44 01";

        private static string IdemiaGetData(string reference) =>
            "00 CB 3F FF 0A 4D 08 70 06 BF 81 " + reference + " 02 A0 80 00";

        private static string IdemiaAnswer(string reference, int maximum, int remaining) =>
            "70 0C BF 81 " + reference + " 08 A0 06 9A 01 " + maximum.ToString("X2", CultureInfo.InvariantCulture) + " 9B 01 " + remaining.ToString("X2", CultureInfo.InvariantCulture) + " 90 00";

        [Fact]
        public void ReadStatus_IdemiaGetData_GivesTheCardsOwnMaximumAndTries()
        {
            var api = Organisation().On(IdemiaGetData("12"), IdemiaAnswer("12", 3, 2));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.ActivationCode);

            Assert.Equal(new[] { IdemiaGetData("12") }, opened.SentSinceOpen);
            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(2, status.TriesLeft);
            Assert.Equal(3, status.MaxTries);
            Assert.Equal(3, opened.Card.MaxTriesOf(PinCode.ActivationCode));
        }

        [Fact]
        public void ReadStatus_IdemiaT0_SendsNoLeAndCollectsTheAnswer()
        {
            var api = Organisation(Protocols.T0);
            api.On("00 CB 3F FF 0A 4D 08 70 06 BF 81 03 02 A0 80", "61 0E");
            api.On("00 C0 00 00 0E", IdemiaAnswer("03", 5, 0));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Blocked, status.State);
            Assert.Equal(0, status.TriesLeft);
        }

        [Theory]
        [InlineData(5, 6)]
        [InlineData(3, 4)]
        public void ReadStatus_IdemiaRemainingAboveTheCardsMaximum_IsUnknown(int maximum, int remaining)
        {
            var api = Organisation().On(IdemiaGetData("04"), IdemiaAnswer("04", maximum, remaining));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin2);

            Assert.Equal(PinState.Unknown, status.State);
            Assert.Null(status.TriesLeft);
        }

        [Fact]
        public void ReadStatus_IdemiaMaximumAboveFive_IsBelievedUpToTheCardsMaximum()
        {
            // "Impossible" is relative to the card's own maximum: 7 of 10 is a count, not nonsense.
            var api = Organisation().On(IdemiaGetData("03"), IdemiaAnswer("03", 10, 7));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(7, status.TriesLeft);
            Assert.Equal(10, status.MaxTries);
        }

        [Theory]
        [InlineData("70 0C BF 81 04 08 A0 06 9A 01 05 9B 01 02 90 00")] // another object than asked for
        [InlineData("70 07 BF 81 03 03 A0 01 9A 90 00")] // truncated
        [InlineData("70 08 BF 81 03 04 A0 02 9A 00 90 00")] // no remaining count
        [InlineData("6A 88")]
        public void ReadStatus_IdemiaAnswerNotUsable_FallsBackToTheProbeOnceForTheSession(string answer)
        {
            var api = Organisation().On(IdemiaGetData("03"), answer);
            api.On("00 20 00 03", "63 C4");
            api.On("00 20 00 04", "63 C5");
            using var opened = Open(api);

            var pin1 = opened.Card.ReadStatus(PinCode.Pin1);
            var pin2 = opened.Card.ReadStatus(PinCode.Pin2);

            Assert.Equal(4, pin1.TriesLeft);
            Assert.Equal(5, pin2.TriesLeft);
            // The card that did not answer the GET DATA is not asked again for PIN2.
            Assert.Equal(new[] { IdemiaGetData("03"), "00 20 00 03", "00 20 00 04" }, opened.SentSinceOpen);
        }

        [Fact]
        public void ReadStatus_OrganisationProbe6300_IsUnknown()
        {
            var api = Organisation().On("00 20 00 03", "63 00");
            using var opened = Open(api);

            Assert.Equal(PinState.Unknown, opened.Card.ReadStatus(PinCode.Pin1).State);
        }

        [Fact]
        public void IdemiaObjectReference_DropsOnlyTheLocalBit()
        {
            Assert.Equal(0x05, FineidCommands.IdemiaObjectReference(0x85));
            Assert.Equal(0x12, FineidCommands.IdemiaObjectReference(0x12));
            Assert.Equal(0x03, FineidCommands.IdemiaObjectReference(0x03));
        }

        [Fact]
        public void ReadFile_Organisation_ReadsInPiecesOfC0UntilTheEncodedLength()
        {
            var content = Enumerable.Range(0, 0x150).Select(i => (byte)i).ToArray();
            content[0] = 0x30;
            content[1] = 0x82;
            content[2] = 0x01;
            content[3] = 0x4C; // 4 + 0x14C = 0x150 bytes
            var api = Organisation();
            api.On("00 A4 02 0C 02 50 33", "90 00");
            api.On("00 B0 00 00 C0", Hex.Format(content.Take(0xC0).ToArray()) + " 90 00");
            api.On("00 B0 00 C0 C0", Hex.Format(content.Skip(0xC0).ToArray()) + " 62 82");
            using var opened = Open(api);

            var read = opened.Card.ReadFile(new byte[] { 0x50, 0x33 }, null, TokenInfo.EncodedLength);

            Assert.Equal(content, read);
            Assert.Equal(new[] { "00 A4 02 0C 02 50 33", "00 B0 00 00 C0", "00 B0 00 C0 C0" }, opened.SentSinceOpen);
            Assert.All(opened.SentSinceOpen.Where(c => c.StartsWith("00 B0", StringComparison.Ordinal)), c => Assert.EndsWith("C0", c));
        }

        [Fact]
        public void ReadFile_ExactMultipleOfTheReadSize_StopsAtTheCardsOffsetError()
        {
            var api = Organisation();
            api.On("00 A4 02 0C 02 50 33", "90 00");
            api.On("00 B0 00 00 C0", string.Concat(Enumerable.Repeat("A8 ", 0xC0)) + "90 00");
            api.On("00 B0 00 C0 C0", "6B 00");
            using var opened = Open(api);

            var read = opened.Card.ReadFile(new byte[] { 0x50, 0x33 });

            Assert.Equal(0xC0, read!.Length);
        }

        [Fact]
        public void ReadFile_Identity_ReadsWholePiecesOf256()
        {
            var api = Identity(Protocols.T1);
            api.On("00 A4 02 0C 02 50 33", "90 00");
            api.On("00 B0 00 00 00", "01 02 03 90 00");

            // The same READ BINARY answers EF.TokenInfo at the opening, whose first bytes then say 4 bytes: the engine
            // reads on in the card's short pieces, and this card has no more.
            api.On("00 B0 00 03 03", "6B 00");
            using var opened = Open(api);

            Assert.Equal(new byte[] { 1, 2, 3 }, opened.Card.ReadFile(new byte[] { 0x50, 0x33 }));
        }

        [Fact]
        public void Open_TokenInfoLongerThanOneRead_StillGivesTheSerialFromTheFirstPiece()
        {
            var serial = Encoding.ASCII.GetBytes("9990007777");
            var body = Hex.Parse("02 01 00 04 0A").Concat(serial).Concat(Hex.Parse("0C 81 C8")).Concat(Enumerable.Repeat((byte)0x41, 0xC8)).ToArray();
            var file = new byte[] { 0x30, 0x81, (byte)body.Length }.Concat(body).ToArray();
            var api = Card(OrganisationAtr, Protocols.T1, "0");
            api.On(ReadTokenInfoIdemia, Hex.Format(file.Take(0xC0).ToArray()) + " 90 00");
            using var opened = Open(api);

            Assert.Equal("9990007777", opened.Session.Serial);
            Assert.DoesNotContain("00 B0 00 C0 C0", api.Sent);
        }

        [Fact]
        public void Unblock_OrganisationActivationCodeLengthRefused_SaysTheActivationCodeNotTheNewCode()
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C5");
            api.On("00 20 00 12 08 " + Ascii("12345678"), "67 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, "12345678", "2468", force: false));

            Assert.Equal(ErrorIds.CardRejectedActivationCode, error.ErrorId);
            Assert.Equal(ErrorIds.CardRejectedActivationCode, error.MessageKey);
            Assert.Equal(PinCode.ActivationCode, error.Facts["code"]);
            Assert.Empty(opened.ChangeOrUnblockSinceOpen);
        }

        [Theory]
        [InlineData("6A 80")]
        [InlineData("67 00")]
        public void Unblock_OrganisationActivationCodeVerifyRefused_IsTheActivationCodesError(string answer)
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C5");
            api.On("00 20 00 12 08 " + Ascii("12345678"), answer);
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin2, "12345678", "2468", force: false));

            Assert.Equal(ErrorIds.CardRejectedActivationCode, error.ErrorId);
        }

        [Fact]
        public void Unblock_ResetRetryCounterAnswered6A80_SaysTheNewCodeMayEqualTheCurrentOne()
        {
            var api = Organisation();
            api.On("00 20 00 12", "63 C5");
            api.On("00 20 00 12 08 " + Ascii("12345678"), "90 00");
            api.On("00 2C 02 03 04 " + Ascii("2468"), "6A 80");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Unblock(PinCode.Pin1, "12345678", "2468", force: false));

            Assert.Equal(ErrorIds.CardRejectedNewPin, error.ErrorId);
            Assert.Equal(ErrorIds.CardRejectedNewPin + ".OrSame", error.MessageKey);
        }

        [Fact]
        public void Test_VerifyAnswered6300_IsWrongWithoutACount()
        {
            var api = Organisation();
            api.On("00 20 00 03", "63 C5");
            api.On("00 20 00 03 04 " + Ascii("1793"), "63 00");
            using var opened = Open(api);

            var result = opened.Test(PinCode.Pin1, "1793", force: false);

            Assert.False(result.Verified);
            Assert.Null(result.TriesLeft);
            Assert.Equal(PinState.Unknown, result.State);
        }

        [Fact]
        public void Test_OrganisationProbe9000WithoutGetData_IsAlreadyVerifiedAndReady()
        {
            var api = Organisation().On("00 20 00 03", "90 00");
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(PinState.Ready, status.State);
            Assert.Equal(5, status.TriesLeft);
        }

        [Fact]
        public void Test_OrganisationAlreadyVerifiedWithGetData_TakesTheCounterFromGetData()
        {
            // A code verified by another program: IDEMIA's GET DATA tells its counter; no probe is needed.
            var api = Organisation().On(IdemiaGetData("03"), IdemiaAnswer("03", 5, 5));
            using var opened = Open(api);

            var status = opened.Card.ReadStatus(PinCode.Pin1);

            Assert.Equal(5, status.TriesLeft);
            Assert.DoesNotContain("00 20 00 03", opened.SentSinceOpen);
        }

        [Fact]
        public void Atr_IdMeContactlessPseudoAtr_IsContactlessNotOtherCard()
        {
            var identity = AtrCatalog.Identify(Hex.Parse("3B 89 80 01 80 57 43 49 54 49 5A 32 31 91"));

            Assert.True(identity.IsContactless);
            Assert.Equal(CardKind.OrganisationOrSoteCard, identity.Kind);
        }

        [Fact]
        public void Open_IdMeContactless_ThrowsContactlessNotSupportedBeforeAnyCommand()
        {
            var api = Card("3B 89 80 01 80 57 43 49 54 49 5A 32 31 91", Protocols.T1, Serial);
            using var context = new FinCardPin.Engine.PcSc.PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => FineidSession.Open(context, Reader, null, null));

            Assert.Equal(ErrorIds.ContactlessNotSupported, error.ErrorId);
            Assert.Empty(api.Sent);
        }

        // ---- the card's own PKCS#15 rules -------------------------------------------------------------------

        private static string OrganisationPin(string reference, int min, int max, bool unblocking = false, string padding = "") =>
            Pkcs15ObjectHex.Pin(reference, min, max, unblocking, padding);

        [Fact]
        public void Change_OrganisationCardSaysPin2IsSixToEight_RefusesAFiveDigitCodeBeforeAnyCommand()
        {
            var aodf = OrganisationPin("03", 4, 8) + " " + OrganisationPin("04", 6, 8) + " " + OrganisationPin("12", 8, 8, unblocking: true);
            var api = Organisation();
            ScriptAodfRead(api, aodf);
            using var opened = Open(api);
            var notes = new System.Collections.Generic.List<string>();
            opened.Session.Explain = Keys(notes);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin2, "246810", "13579", force: false));

            Assert.Equal(ErrorIds.InvalidPinLength, error.ErrorId);
            Assert.Equal((6, 8), FailureFacts.LengthOf(error));
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.DoesNotContain(opened.SentSinceOpen, c => c.StartsWith("00 20", StringComparison.Ordinal));
            Assert.Contains(notes, n => n.StartsWith("CardOwnRule ", StringComparison.Ordinal));
        }

        [Fact]
        public void Change_CardNamesAnotherReferenceAndNeitherHoldsACode_RefusesWithCardPinRulesMismatch()
        {
            var aodf = OrganisationPin("01", 4, 8) + " " + OrganisationPin("02", 4, 8) + " " + OrganisationPin("12", 8, 8, unblocking: true);
            var api = Organisation().On("00 20 00 01", "6A 88").On("00 20 00 03", "6A 88");
            ScriptAodfRead(api, aodf);
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, "2468", "1357", force: false));

            Assert.Equal(ErrorIds.CardPinRulesMismatch, error.ErrorId);
            Assert.Equal(RulesMismatch.Reference, error.Facts["mismatch"]);
            Assert.Equal("03", error.Facts["expected"]);
            Assert.Empty(opened.PinCommandsSinceOpen);
            Assert.Contains("00 20 00 01", opened.SentSinceOpen); // asked with an empty VERIFY first: no try at stake
            Assert.Contains("00 20 00 03", opened.SentSinceOpen);
        }

        [Theory]
        [InlineData("63 C5", "6A 88", "11")]
        [InlineData("63 C5", "63 C5", "11")] // both hold a code: the AODF's wins
        [InlineData("6A 88", "63 C5", "03")]
        [InlineData("90 00", "6A 88", "11")]
        public void Change_CardNamesAnotherReference_TheCardIsAskedAndTheReferenceHoldingACodeIsUsed(string atCard, string atBuiltIn, string used)
        {
            var aodf = OrganisationPin("11", 4, 8) + " " + OrganisationPin("95", 4, 8) + " " + OrganisationPin("12", 8, 8, unblocking: true);
            var api = Organisation().On("00 20 00 11", atCard).On("00 20 00 03", atBuiltIn);
            api.OnPrefix("00 20 00 " + used + " 04", "90 00");
            api.OnPrefix("00 24 00 " + used + " 08", "90 00");
            ScriptAodfRead(api, aodf);
            using var opened = Open(api);
            var notes = new System.Collections.Generic.List<string>();
            opened.Session.Explain = Keys(notes);

            opened.Change(PinCode.Pin1, "2468", "1357", force: false);

            Assert.Equal(new[] { "00 20 00 " + used + " 04 " + Ascii("2468"), "00 24 00 " + used + " 08 " + Ascii("2468") + " " + Ascii("1357") },
                opened.PinCommandsSinceOpen);
            Assert.Contains(notes, n => (n.StartsWith("ReferenceFromCard ", StringComparison.Ordinal) || n.StartsWith("ReferenceBuiltIn ", StringComparison.Ordinal))
                && n.Contains(" reference=" + used + " ", StringComparison.Ordinal));
        }

        [Fact]
        public void Test_OrganisationCardSaysCodesArePaddedWithFF_RefusesWithCardPinRulesMismatch()
        {
            var aodf = OrganisationPin("03", 4, 12, padding: "FF") + " " + OrganisationPin("04", 4, 12, padding: "FF");
            var api = Organisation();
            ScriptAodfRead(api, aodf);
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Test(PinCode.Pin1, "2468", force: false));

            Assert.Equal(ErrorIds.CardPinRulesMismatch, error.ErrorId);
            Assert.Equal("FF", error.Facts["pad"]);
            Assert.Equal(12, error.Facts["stored"]);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void Test_AodfNotUnderstood_FallsBackToTheBuiltInProfileAndSaysSo()
        {
            var api = Organisation();
            ScriptAodfRead(api, "30 06 30 00 30 00 02 00");
            api.On("00 20 00 03", "63 C5");
            api.On("00 20 00 03 04 " + Ascii("2468"), "90 00");
            using var opened = Open(api);
            var notes = new System.Collections.Generic.List<string>();
            opened.Session.Explain = note => notes.Add(note.Key);

            var result = opened.Test(PinCode.Pin1, "2468", force: false);

            Assert.True(result.Verified);
            Assert.Contains("NoCardRules." + nameof(NoCardRulesReason.NotUnderstood), notes);
        }

        [Theory]
        [InlineData("FF", 12)]
        [InlineData("00", 8)]
        public void Change_IdentityCardNamesAnotherPadding_RefusesWithCardPinRulesMismatch(string pad, int stored)
        {
            var pin1 = Pkcs15ObjectHex.Pin("11", 4, 8, false, pad);
            if (stored != 12)
            {
                pin1 = pin1.Replace("02 01 0C 02 01 08", "02 01 " + stored.ToString("X2", CultureInfo.InvariantCulture) + " 02 01 08");
            }

            var api = Identity(Protocols.T1);
            api.On(SelectOdf, "90 00");
            api.On(SelectAodf, "90 00");
            api.On(ReadTokenInfo, Hex.Format(TokenInfoTests.Build(Encoding.ASCII.GetBytes(Serial))) + " 90 00", Odf + " 90 00", pin1 + " 90 00");
            using var opened = Open(api);

            var error = Assert.Throws<FinCardPinException>(() => opened.Change(PinCode.Pin1, "2468", "1357", force: false));

            Assert.Equal(ErrorIds.CardPinRulesMismatch, error.ErrorId);
            Assert.Empty(opened.PinCommandsSinceOpen);
        }

        [Fact]
        public void CardRules_AreReadAtMostOncePerSession()
        {
            var aodf = OrganisationPin("03", 4, 8) + " " + OrganisationPin("04", 6, 8);
            var api = Organisation();
            ScriptAodfRead(api, aodf);
            using var opened = Open(api);

            opened.Session.CardRules();
            opened.Session.CardRules();

            Assert.Equal(1, opened.SentSinceOpen.Count(c => c == SelectOdf));
            Assert.Equal(1, opened.SentSinceOpen.Count(c => c == SelectAodf));
        }

        [Fact]
        public void Test_IdentityCard_ReadsNoPkcs15Data()
        {
            var api = Identity().OnPinInfo(0x11, (5, true));
            api.OnPrefix("00 20 00 11 0C", "90 00");
            using var opened = Open(api);

            opened.Test(PinCode.Pin1, "2468", force: false);

            Assert.DoesNotContain(SelectOdf, opened.SentSinceOpen);
        }

        /// <summary>
        /// The same READ BINARY reads EF.TokenInfo at the opening, then EF.ODF, then the AODF, each after its SELECT:
        /// the fake answers them in that order.
        /// </summary>
        private static void ScriptAodfRead(ScriptedPcscApi api, string aodf)
        {
            api.On(SelectOdf, "90 00");
            api.On(SelectAodf, "90 00");
            api.On(ReadTokenInfoIdemia, Hex.Format(TokenInfoTests.Build(Encoding.ASCII.GetBytes(Serial))) + " 90 00", Odf + " 62 82", aodf + " 62 82");
        }

        // The engine notes keys and facts (the cmdlet assembly words them): the key and facts of each, in one line.
        private static Action<CardNote> Keys(System.Collections.Generic.List<string> notes) => note => notes.Add(note.ToString());
    }

    /// <summary>Builds PKCS#15 PinAuthObjects for tests, byte by byte (independent of the virtual card's builder).</summary>
    internal static class Pkcs15ObjectHex
    {
        public static string Pin(string reference, int min, int max, bool unblocking, string padding)
        {
            var padded = padding.Length > 0;
            var flags = (byte)(0x08 | (padded ? 0x04 : 0) | (unblocking ? 0x02 : 0));
            var attributes = Tlv(0x03, new byte[] { 0x01, flags })
                .Concat(Tlv(0x0A, new byte[] { 0x01 }))
                .Concat(Tlv(0x02, new[] { (byte)min }))
                .Concat(Tlv(0x02, new[] { (byte)(padded ? 12 : max) }))
                .Concat(Tlv(0x02, new[] { (byte)max }))
                .Concat(Tlv(0x80, Hex.Parse(reference)))
                .Concat(padded ? Tlv(0x04, Hex.Parse(padding)) : Array.Empty<byte>())
                .ToArray();
            var body = Tlv(0x30, Tlv(0x0C, Encoding.ASCII.GetBytes("code " + reference)))
                .Concat(Tlv(0x30, Tlv(0x04, Hex.Parse(reference))))
                .Concat(Tlv(0xA1, Tlv(0x30, attributes)))
                .ToArray();
            return Hex.Format(Tlv(0x30, body));
        }

        private static byte[] Tlv(byte tag, byte[] value) => new[] { tag, (byte)value.Length }.Concat(value).ToArray();
    }
}
