using System;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.Errors
{
    /// <summary>A PC/SC call failed; <see cref="Result"/> is the native return code.</summary>
    public class PcscException : FinCardPinException
    {
        public PcscException(PcscResult result, string errorId, FailureKind kind, string? messageKey = null, Exception? innerException = null)
            : base(errorId, kind, messageKey, innerException)
        {
            Result = result;
        }

        public PcscResult Result { get; }
    }

    /// <summary>The smart card service (pcscd, or the Windows Smart Card service) is not there to talk to.</summary>
    public sealed class SmartCardServiceException : PcscException
    {
        public SmartCardServiceException(PcscResult result, string errorId, string messageKey, Exception? innerException = null)
            : base(result, errorId, FailureKind.ResourceUnavailable, messageKey, innerException)
        {
        }
    }

    /// <summary>The reader holds no card.</summary>
    public sealed class NoCardException : PcscException
    {
        public NoCardException(PcscResult result, string? messageKey = null)
            : base(result, ErrorIds.NoCardInReader, FailureKind.ObjectNotFound, messageKey)
        {
        }
    }

    /// <summary>The card left the reader while the engine was talking to it.</summary>
    public sealed class CardRemovedException : PcscException
    {
        public CardRemovedException(PcscResult result, string? messageKey = null)
            : base(result, ErrorIds.CardRemoved, FailureKind.OperationStopped, messageKey)
        {
        }
    }

    /// <summary>Another program holds the reader exclusively.</summary>
    public sealed class ReaderBusyException : PcscException
    {
        public ReaderBusyException(PcscResult result, string? messageKey = null)
            : base(result, ErrorIds.ReaderInExclusiveUse, FailureKind.ResourceBusy, messageKey)
        {
        }
    }

    /// <summary>The named reader is not (or no longer) attached.</summary>
    public sealed class ReaderNotFoundException : PcscException
    {
        public ReaderNotFoundException(PcscResult result, string errorId, string? messageKey = null)
            : base(result, errorId, FailureKind.ObjectNotFound, messageKey)
        {
        }
    }
}
