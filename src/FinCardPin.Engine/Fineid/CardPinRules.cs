using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Fineid.Pkcs15;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// What the card's own PKCS#15 PIN objects say, held against the built-in profile. Where the card agrees with the
    /// profile on how a code is addressed and encoded, its length limits narrow the DVV's rule (they never widen it:
    /// the DVV's rule is what holders are told). Where it names another reference or another padding, sending the code
    /// the profile's way could cost a try on the wrong object or with the wrong bytes, so the operation is refused.
    /// Without usable data the built-in profile applies, and <see cref="Notes"/> says so.
    /// </summary>
    public sealed class CardPinRules
    {
        private readonly CardKind _kind;
        private readonly FineidProfile _profile;
        private readonly IReadOnlyList<PinObject>? _objects;
        private readonly List<string> _notes = new List<string>();
        private readonly Action<string>? _explain;

        internal CardPinRules(CardKind kind, FineidProfile profile, IReadOnlyList<PinObject>? objects, string? whyNone, Action<string>? explain)
        {
            _kind = kind;
            _profile = profile;
            _objects = objects;
            _explain = explain;
            if (objects == null)
            {
                Note("The card gives no PIN rules of its own (" + whyNone + "): FinCardPin's built-in rules for this card type apply.");
            }
            else
            {
                Note("The card's PKCS#15 PIN objects: " + string.Join("; ", objects.Select(o => o.ToString())) + ".");
            }
        }

        /// <summary>True when the card's PIN objects were read and understood.</summary>
        public bool FromCard => _objects != null;

        /// <summary>The card's PIN objects, or empty when it gave none.</summary>
        public IReadOnlyList<PinObject> Objects => _objects ?? Array.Empty<PinObject>();

        /// <summary>What was learnt or assumed, for -Verbose.</summary>
        public IReadOnlyList<string> Notes => _notes;

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
                var sameRole = _objects.Where(o => o.IsUnblockingPin == isUnblocking).ToList();
                if (sameRole.Count == 0)
                {
                    Note("The card lists no PIN object for the " + PinRules.DisplayName(code) + ": the built-in rules apply to it.");
                    return null;
                }

                throw CardErrors.RulesMismatch(readerName, code, "FinCardPin addresses it as reference " + Hex2(reference)
                    + ", but the card's PIN objects use " + string.Join(", ", sameRole.Select(o => Hex2(o.Reference ?? 0))) + ".");
            }

            if (match.IsUnblockingPin != isUnblocking)
            {
                throw CardErrors.RulesMismatch(readerName, code, "the card says reference " + Hex2(reference) + " is "
                    + (match.IsUnblockingPin ? "an unblocking code" : "not an unblocking code") + ".");
            }

            if (_profile.PadsToTwelve)
            {
                // The identity card's padding is confirmed by five implementations: only a card that names another pad
                // byte or another stored length contradicts it (a missing needs-padding flag alone does not).
                var padChar = match.PadChar ?? 0x00;
                if (match.StoredLength != 12 || padChar != 0x00)
                {
                    throw CardErrors.RulesMismatch(readerName, code, "FinCardPin sends it padded with 00 to 12 bytes, but the card says "
                        + Encoding(match) + ".");
                }
            }
            else if (match.NeedsPadding)
            {
                throw CardErrors.RulesMismatch(readerName, code, "FinCardPin sends it unpadded at its own length, but the card says "
                    + Encoding(match) + ".");
            }

            return match;
        }

        /// <summary>The length rule for a code: the built-in rule, narrowed by the card's own minimum and maximum.</summary>
        public LengthRule LengthOf(string readerName, PinCode code)
        {
            var builtIn = PinRules.LengthOf(_kind, code);
            var card = Require(readerName, code);
            if (card == null)
            {
                return builtIn;
            }

            var cardMaximum = card.MaxLength ?? (card.NeedsPadding ? builtIn.Maximum : card.StoredLength);
            var minimum = Math.Max(builtIn.Minimum, card.MinLength);
            var maximum = Math.Min(builtIn.Maximum, cardMaximum);
            if (minimum > maximum)
            {
                Note("The card's length rule for the " + PinRules.DisplayName(code) + " (" + card.MinLength + "-" + cardMaximum
                    + ") leaves no length the DVV allows: the built-in rule applies.");
                return builtIn;
            }

            if (minimum == builtIn.Minimum && maximum == builtIn.Maximum)
            {
                return new LengthRule(minimum, maximum);
            }

            Note("The card's own rule for the " + PinRules.DisplayName(code) + ": " + minimum + "-" + maximum + " digits.");
            return new LengthRule(minimum, maximum, "this card's own rule");
        }

        /// <summary>Refuses a code whose length the card's rule does not allow: nothing is sent, no try is spent.</summary>
        public void CheckLength(string readerName, PinCode code, PinBuffer value, string role)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var rule = LengthOf(readerName, code);
            if (!rule.Allows(value.Length))
            {
                var what = string.IsNullOrEmpty(role) ? PinRules.DisplayName(code) : role + " " + PinRules.DisplayName(code);
                throw new Errors.FinCardPinException(Errors.ErrorIds.InvalidPinLength, Errors.FailureKind.InvalidArgument,
                    "The card in reader '" + readerName + "' takes a " + what + " of " + rule + ". No code was sent to the card.",
                    "Enter a code of " + rule + ".") { ReaderName = readerName };
            }
        }

        private void Note(string note)
        {
            if (!_notes.Contains(note))
            {
                _notes.Add(note);
                _explain?.Invoke(note);
            }
        }

        private static string Encoding(PinObject pin) =>
            pin.NeedsPadding
                ? "padded with " + Hex2(pin.PadChar ?? 0) + " to " + pin.StoredLength.ToString(CultureInfo.InvariantCulture) + " bytes"
                : "unpadded";

        private static string Hex2(int value) => value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
