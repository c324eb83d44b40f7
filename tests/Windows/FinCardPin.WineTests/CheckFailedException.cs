using System;

namespace FinCardPin.WineTests
{
    /// <summary>A check's expectation that did not hold; its message is the check's "why".</summary>
    internal sealed class CheckFailedException : Exception
    {
        public CheckFailedException(string message)
            : base(message)
        {
        }
    }
}
