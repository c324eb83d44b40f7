using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid.Pkcs15;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// What the card's own PKCS#15 PIN objects say, held against the built-in profile. Where the card agrees with the
    /// profile on how a code is addressed and encoded, its length limits narrow the DVV's rule (they never widen it:
    /// the DVV's rule is what holders are told). Where it names another reference or another padding, sending the code
    /// the profile's way could cost a try on the wrong object or with the wrong bytes, so the operation is refused.
    /// Without usable data the built-in profile applies, and a note (for -Verbose) says so.
    /// </summary>
    internal sealed class CardPinRules
    {
        private readonly CardKind _kind;
        private readonly FineidProfile _profile;
        private readonly IReadOnlyList<PinObject>? _objects;
        // Each note is told once (for -Verbose), however often the same thing is learnt again.
        private readonly List<CardNote> _notes = new List<CardNote>();
        private readonly Action<CardNote>? _explain;

        internal CardPinRules(CardKind kind, FineidProfile profile, IReadOnlyList<PinObject>? objects, CardNote? whyNone, Action<CardNote>? explain)
        {
            _kind = kind;
            _profile = profile;
            _objects = objects;
            _explain = explain;
            if (objects == null)
            {
                Note(whyNone ?? new CardNote("NoCardRules." + NoCardRulesReason.NotUnderstood));
            }
            else
            {
                Note(new CardNote("CardPinObjects", "objects", string.Join("; ", objects.Select(o => o.ToString()))));
            }
        }

        /// <summary>An empty VERIFY to a reference (spends no try); null: the card is not asked and a mismatch is refused.</summary>
        internal Func<byte, Apdu.StatusWord>? Probe { get; set; }

        /// <summary>Tells the card which reference a code is to be addressed by when the card's own data named another.</summary>
        internal Action<PinCode, byte>? UseReference { get; set; }

        private readonly Dictionary<PinCode, PinObject?> _resolved = new Dictionary<PinCode, PinObject?>();

        /// <summary>The card's object for a code, matched by the profile's reference; null when the card gave no data.</summary>
        /// <exception cref="Errors.FinCardPinException">CardPinRulesMismatch when the card describes the code differently.</exception>
        public PinObject? Require(string readerName, PinCode code)
        {
            if (_objects == null)
            {
                return null;
            }

            var reference = _profile.ReferenceOf(code);
            var isUnblocking = code == PinCode.ActivationCode;
            var match = _objects.FirstOrDefault(o => o.Reference == reference);
            if (match == null)
            {
                if (_resolved.TryGetValue(code, out var resolved))
                {
                    return resolved;
                }

                var sameRole = _objects.Where(o => o.IsUnblockingPin == isUnblocking).ToList();
                if (sameRole.Count == 0)
                {
                    Note(new CardNote("NoPinObject", "code", code));
                    return null;
                }

                match = AskTheCard(readerName, code, reference, sameRole);
                _resolved[code] = match;
                if (match == null)
                {
                    return null;
                }
            }

            if (match.IsUnblockingPin != isUnblocking)
            {
                throw CardErrors.RulesMismatch(readerName, code, match.IsUnblockingPin ? RulesMismatch.Unblocking : RulesMismatch.NotUnblocking)
                    .With("reference", Hex2(reference));
            }

            if (_profile.PadsToTwelve)
            {
                // The identity card's padding is confirmed by five implementations: only a card that names another pad
                // byte or another stored length contradicts it (a missing needs-padding flag alone does not).
                var padChar = match.PadChar ?? 0x00;
                if (match.StoredLength != 12 || padChar != 0x00)
                {
                    throw Encoded(CardErrors.RulesMismatch(readerName, code,
                        match.NeedsPadding ? RulesMismatch.PaddedButCardPads : RulesMismatch.PaddedButCardUnpadded), match);
                }
            }
            else if (match.NeedsPadding)
            {
                throw Encoded(CardErrors.RulesMismatch(readerName, code, RulesMismatch.UnpaddedButCardPads), match);
            }

            return match;
        }

        /// <summary>
        /// The length rule for one entry. A new code: the DVV's rule narrowed by the card's own limits. A code the holder
        /// already has: up to the card's own maximum where its PKCS#15 data gave one (what the card holds decides, not
        /// what holders are told to choose), otherwise up to what the card family stores.
        /// </summary>
        private LengthRule LengthOf(string readerName, PinCode code, CodeRole role)
        {
            var builtIn = PinRules.LengthOf(_kind, code, role);
            var card = Require(readerName, code);
            if (card == null)
            {
                return builtIn;
            }

            var cardMaximum = card.MaxLength ?? (card.NeedsPadding ? builtIn.Maximum : card.StoredLength);
            var minimum = Math.Max(builtIn.Minimum, card.MinLength);
            var maximum = role == CodeRole.New ? Math.Min(builtIn.Maximum, cardMaximum) : HeldMaximum(cardMaximum);
            if (minimum > maximum)
            {
                Note(new CardNote("CardRuleUnusable", "code", code, "min", card.MinLength, "max", cardMaximum));
                return builtIn;
            }

            if (minimum == builtIn.Minimum && maximum == builtIn.Maximum)
            {
                return new LengthRule(minimum, maximum);
            }

            var narrowed = new LengthRule(minimum, maximum, LengthNote.CardsOwnRule);
            Note(new CardNote("CardOwnRule", "code", code, "rule", new LengthRule(minimum, maximum)));
            return narrowed;
        }

        // A padded code never has more digits than the 12 bytes it is padded to, whatever the card's data says.
        private int HeldMaximum(int cardMaximum) => _profile.PadsToTwelve ? Math.Min(cardMaximum, 12) : cardMaximum;

        /// <summary>Refuses a code whose length the card's rule does not allow: nothing is sent, no try is spent.</summary>
        public void CheckLength(string readerName, PinCode code, PinBuffer value, CodeRole role)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var rule = LengthOf(readerName, code, role);
            if (!rule.Allows(value.Length))
            {
                var variant = role == CodeRole.Given ? string.Empty : "." + role;
                throw new Errors.FinCardPinException(Errors.ErrorIds.InvalidPinLength, Errors.FailureKind.InvalidArgument,
                    Errors.ErrorIds.InvalidPinLength + ".CardRule" + variant) { ReaderName = readerName }
                    .With("code", code)
                    .With("rule", rule);
            }
        }

        /// <summary>
        /// The card's AODF names another reference than the built-in profile (nobody public has shown an organisation
        /// card's AODF; the specification's sample uses other references than ReFineID's tables). Before refusing, the
        /// card is asked without spending a try: an empty VERIFY to each candidate. The reference answering 63Cx or 9000
        /// holds a code; the AODF's wins when both do; neither: refused. The AODF object for a code is taken by its place
        /// among the objects of its role (PIN1 first, then PIN2), the order FINEID AODFs list them in.
        /// </summary>
        private PinObject? AskTheCard(string readerName, PinCode code, byte profileReference, List<PinObject> sameRole)
        {
            var index = code == PinCode.Pin2 ? 1 : 0;
            var candidate = index < sameRole.Count ? sameRole[index] : null;
            if (Probe == null || candidate?.Reference == null || candidate.Reference.Value < 0 || candidate.Reference.Value > 0xFF)
            {
                throw CardErrors.RulesMismatch(readerName, code, RulesMismatch.Reference)
                    .With("expected", Hex2(profileReference))
                    .With("found", string.Join(", ", sameRole.Select(o => Hex2(o.Reference ?? 0))));
            }

            var cardReference = (byte)candidate.Reference.Value;
            var cardAnswer = Probe(cardReference);
            var profileAnswer = Probe(profileReference);
            if (HoldsACode(cardAnswer))
            {
                UseReference?.Invoke(code, cardReference);
                Note(new CardNote("ReferenceFromCard", "code", code, "reference", Hex2(cardReference), "answer", cardAnswer.ToString(),
                    "builtIn", Hex2(profileReference), "builtInAnswer", profileAnswer.ToString()));
                return candidate;
            }

            if (HoldsACode(profileAnswer))
            {
                Note(new CardNote("ReferenceBuiltIn", "code", code, "reference", Hex2(profileReference), "answer", profileAnswer.ToString(),
                    "card", Hex2(cardReference), "cardAnswer", cardAnswer.ToString()));
                return null;
            }

            throw CardErrors.RulesMismatch(readerName, code, RulesMismatch.Reference)
                .With("expected", Hex2(profileReference))
                .With("found", string.Join(", ", sameRole.Select(o => Hex2(o.Reference ?? 0))));
        }

        private static bool HoldsACode(Apdu.StatusWord sw) => sw.IsTriesLeft || sw.IsSuccess;

        private void Note(CardNote note)
        {
            if (!_notes.Any(n => n.ToString() == note.ToString()))
            {
                _notes.Add(note);
                _explain?.Invoke(note);
            }
        }

        private static Errors.FinCardPinException Encoded(Errors.FinCardPinException error, PinObject pin) =>
            error.With("pad", Hex2(pin.PadChar ?? 0)).With("stored", pin.StoredLength);

        private static string Hex2(int value) => value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
