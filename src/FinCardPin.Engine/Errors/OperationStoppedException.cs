namespace FinCardPin.Engine.Errors
{
    /// <summary>The operation was stopped by its caller (PowerShell's stop, Ctrl+C) while it waited for the card.</summary>
    public sealed class OperationStoppedException : FinCardPinException
    {
        public OperationStoppedException(string errorId, string? messageKey = null)
            : base(errorId, FailureKind.OperationStopped, messageKey)
        {
        }
    }
}
