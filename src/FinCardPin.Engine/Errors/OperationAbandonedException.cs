namespace FinCardPin.Engine.Errors
{
    /// <summary>
    /// Thrown on the worker thread when a call would start on a context that was given up; the waiting thread has
    /// already reported why, so nobody sees this one.
    /// </summary>
    internal sealed class OperationAbandonedException : FinCardPinException
    {
        public OperationAbandonedException()
            : base(ErrorIds.OperationCancelled, FailureKind.OperationStopped, ErrorIds.OperationCancelled + ".GivenUp")
        {
        }
    }
}
