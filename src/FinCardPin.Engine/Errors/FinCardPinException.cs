using System;

namespace FinCardPin.Engine.Errors
{
    /// <summary>
    /// Every failure the engine reports to a user: a stable error id (it becomes the ErrorRecord's
    /// FullyQualifiedErrorId, so scripts can match it), a kind, a message a non-expert understands, and
    /// where possible the next step. Messages never contain a PIN.
    /// </summary>
    public class FinCardPinException : Exception
    {
        public FinCardPinException(string errorId, FailureKind kind, string message, string? recommendedAction = null, Exception? innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Kind = kind;
            RecommendedAction = recommendedAction;
        }

        /// <summary>Stable across versions: scripts and tests match on it.</summary>
        public string ErrorId { get; }

        public FailureKind Kind { get; }

        /// <summary>What the user can do next, or null when there is nothing sensible to suggest.</summary>
        public string? RecommendedAction { get; }

        /// <summary>The reader the failure concerns, when there is one.</summary>
        public string? ReaderName { get; set; }
    }
}
