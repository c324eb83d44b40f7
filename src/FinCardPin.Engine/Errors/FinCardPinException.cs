using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FinCardPin.Engine.Errors
{
    /// <summary>
    /// Every failure the engine reports to a user, as data: a stable error id (it becomes the ErrorRecord's
    /// FullyQualifiedErrorId, so scripts can match it), a kind, a message key naming which variant of the failure it
    /// is, and the facts (reader, code, tries left, status word, seconds waited …). The engine holds no sentence: the
    /// cmdlet assembly words the message and the next step in the user's language (<see cref="Texts"/>). Facts never
    /// hold a PIN.
    /// </summary>
    public class FinCardPinException : Exception
    {
        private readonly Dictionary<string, object?> _facts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        public FinCardPinException(string errorId, FailureKind kind, string? messageKey = null, Exception? innerException = null)
            : base(errorId, innerException)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Kind = kind;
            MessageKey = messageKey ?? errorId;
        }

        /// <summary>
        /// Who words the failures: set by the cmdlet assembly. Without it (the engine used on its own) the message is
        /// the message key and the facts, e.g. "CardBusy reader='X' waited=15".
        /// </summary>
        internal static IErrorTexts? Texts { get; set; }

        /// <summary>Stable across versions and languages: scripts and tests match on it.</summary>
        public string ErrorId { get; }

        public FailureKind Kind { get; }

        /// <summary>Which variant of the failure this is (e.g. "WrongPin.TriesLeft"); the error id when there is one only.</summary>
        public string MessageKey { get; }

        /// <summary>The facts the message is worded from, by name (names compare without case).</summary>
        public IReadOnlyDictionary<string, object?> Facts => _facts;

        /// <summary>The reader the failure concerns, when there is one (also the fact "reader").</summary>
        public string? ReaderName
        {
            get => _facts.TryGetValue("reader", out var reader) ? reader as string : null;
            set => _facts["reader"] = value;
        }

        /// <summary>The worded message in the current UI language, or the facts when nobody words them.</summary>
        public override string Message => Texts?.Message(this) ?? FactLine();

        /// <summary>What the user can do next, worded; null when there is nothing sensible to suggest (or no wording).</summary>
        public string? RecommendedAction => Texts?.RecommendedAction(this);

        internal void SetFact(string name, object? value) => _facts[name] = value;

        /// <summary>The message key and the facts in one line, for logs and for users of the engine alone.</summary>
        public string FactLine() =>
            MessageKey + string.Concat(_facts.Select(f => " " + f.Key + "=" + Show(f.Value)));

        private static string Show(object? value)
        {
            switch (value)
            {
                case null:
                    return "null";
                case string text:
                    return "'" + text + "'";
                case TimeSpan span:
                    return span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
                case FinCardPinException inner:
                    return "(" + inner.FactLine() + ")";
                case IFormattable formattable:
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
                default:
                    return value.ToString() ?? string.Empty;
            }
        }
    }

    /// <summary>Adding facts to a failure as it is made.</summary>
    internal static class FinCardPinExceptionFacts
    {
        /// <summary>Adds a fact; returns the same exception, so that facts can follow the constructor.</summary>
        public static T With<T>(this T error, string name, object? value) where T : FinCardPinException
        {
            if (error == null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            error.SetFact(name, value);
            return error;
        }
    }

    /// <summary>Words an engine failure in the user's language (implemented by the cmdlet assembly).</summary>
    internal interface IErrorTexts
    {
        /// <summary>The message, or null to fall back to the facts.</summary>
        string? Message(FinCardPinException failure);

        /// <summary>The next step, or null when there is none.</summary>
        string? RecommendedAction(FinCardPinException failure);
    }
}
