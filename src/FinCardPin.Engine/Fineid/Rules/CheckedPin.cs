using System;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// A code that has passed the input rules (<see cref="PinRules"/>) for one code, one entry and one kind of card.
    /// The only way to make one is <see cref="Check"/> (the constructor is private), and every method that sends a code to a card takes one, so a
    /// code whose length or characters were never checked cannot reach a card: the compiler, not a comment, holds
    /// the caller to "input rules first". It owns the buffer: disposing it zeroes the digits.
    /// </summary>
    internal sealed class CheckedPin : IDisposable
    {
        private CheckedPin(CardKind kind, PinCode code, CodeRole role, PinBuffer value)
        {
            Kind = kind;
            Code = code;
            Role = role;
            Value = value;
        }

        /// <summary>The kind of card the rules were those of.</summary>
        public CardKind Kind { get; }

        /// <summary>The code the rules were those of (PIN1, PIN2 or the activation code).</summary>
        public PinCode Code { get; }

        /// <summary>Which entry it is: a code checked as a new code is not a current one.</summary>
        public CodeRole Role { get; }

        /// <summary>The digits.</summary>
        public PinBuffer Value { get; }

        /// <summary>
        /// Throws a clear refusal when <paramref name="value"/> breaks the rules for that code on that kind of card;
        /// otherwise the checked code, which then owns <paramref name="value"/>. A refused value stays the caller's.
        /// </summary>
        /// <param name="role">Which entry the value is (the message names it).</param>
        internal static CheckedPin Check(CardKind kind, PinCode code, PinBuffer value, CodeRole role)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var variant = role == CodeRole.Given ? string.Empty : "." + role;
            if (!value.IsAllAsciiDigits)
            {
                throw new FinCardPinException(ErrorIds.InvalidPinCharacters, FailureKind.InvalidArgument, ErrorIds.InvalidPinCharacters + variant)
                    .With("code", code);
            }

            var rule = PinRules.LengthOf(kind, code, role);
            if (!rule.Allows(value.Length))
            {
                throw new FinCardPinException(ErrorIds.InvalidPinLength, FailureKind.InvalidArgument, ErrorIds.InvalidPinLength + variant)
                    .With("code", code)
                    .With("rule", rule);
            }

            return new CheckedPin(kind, code, role, value);
        }

        /// <summary>
        /// Refuses a code checked for another card kind, code or entry than the one it is about to be sent as (a
        /// programming error, found before anything is sent).
        /// </summary>
        internal void RequireFor(CardKind kind, PinCode code, CodeRole role, string parameter)
        {
            if (Kind != kind || Code != code || Role != role)
            {
                throw new ArgumentException(
                    "Checked as " + Role + " " + Code + " of " + Kind + ", sent as " + role + " " + code + " of " + kind + ".", parameter);
            }
        }

        public void Dispose() => Value.Dispose();
    }
}
