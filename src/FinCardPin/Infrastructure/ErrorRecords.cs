using System;
using System.Management.Automation;
using FinCardPin.Engine.Errors;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>Turns engine exceptions into ErrorRecords: stable id, category, target, and the next step.</summary>
    internal static class ErrorRecords
    {
        static ErrorRecords() => ErrorTexts.Install();

        public static ErrorRecord From(FinCardPinException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), target ?? exception.ReaderName);
            record.ErrorDetails = new ErrorDetails(ErrorTexts.MessageOf(exception, null)) { RecommendedAction = ErrorTexts.ActionOf(exception, null) };
            return record;
        }

        /// <summary>Failures that stop the whole call: nothing later in the pipeline can succeed either.</summary>
        public static bool EndsTheCall(FinCardPinException exception) =>
            exception.ErrorId == ErrorIds.ServiceNotRunning
            || exception.ErrorId == ErrorIds.AccessDenied
            || exception.ErrorId == ErrorIds.PlatformNotSupported
            || exception.ErrorId == ErrorIds.PinPromptNotAvailable
            || exception.ErrorId == ErrorIds.ConfirmationNotAvailable
            || exception.ErrorId == ErrorIds.InvalidTimeoutSetting
            || exception.ErrorId == ErrorIds.VirtualCardFileInvalid;

        public static ErrorCategory CategoryOf(FailureKind kind)
        {
            switch (kind)
            {
                case FailureKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case FailureKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case FailureKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case FailureKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                case FailureKind.DeviceError: return ErrorCategory.DeviceError;
                case FailureKind.ProtocolError: return ErrorCategory.ProtocolError;
                case FailureKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case FailureKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureKind.SecurityError: return ErrorCategory.SecurityError;
                case FailureKind.OperationStopped: return ErrorCategory.OperationStopped;
                case FailureKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case FailureKind.NotInstalled: return ErrorCategory.NotInstalled;
                case FailureKind.InvalidData: return ErrorCategory.InvalidData;
                case FailureKind.NotSpecified: return ErrorCategory.NotSpecified;
                default: throw new ArgumentOutOfRangeException(nameof(kind));
            }
        }
    }
}
