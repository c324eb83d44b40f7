using System.Globalization;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// Turns every PC/SC return code into a typed exception: the stable error id, the kind, and the facts the cmdlet
    /// assembly words for a non-expert (the reader, what was being done, the native code where it says anything).
    /// </summary>
    internal static class PcscErrorMap
    {
        /// <summary>Codes after which the context itself is gone and must be established again.</summary>
        public static bool MeansContextLost(PcscResult result) =>
            result == PcscResult.NoService
            || result == PcscResult.ServiceStopped
            || result == PcscResult.InvalidHandle
            || result == PcscResult.Win32InvalidHandle;

        public static PcscException ToException(PcscResult result, string? readerName, CardOperation operation)
        {
            PcscException error;
            switch (result)
            {
                case PcscResult.NoService:
                case PcscResult.ServiceStopped:
                case PcscResult.Win32BrokenPipe:
                    error = new SmartCardServiceException(result, ErrorIds.ServiceNotRunning, ErrorIds.ServiceNotRunning + "." + Platform());
                    break;
                case PcscResult.SecurityViolation:
                case PcscResult.Win32AccessDenied:
                    error = new PcscException(result, ErrorIds.AccessDenied, FailureKind.PermissionDenied,
                        ErrorIds.AccessDenied + "." + (IsWindows() ? "Windows" : "Unix"));
                    break;
                case PcscResult.UnknownReader when readerName == null:
                case PcscResult.ReaderUnavailable when readerName == null:
                    var id = result == PcscResult.UnknownReader ? ErrorIds.ReaderNotFound : ErrorIds.ReaderUnavailable;
                    error = new ReaderNotFoundException(result, id, id + ".ReadersChanging");
                    break;
                case PcscResult.UnknownReader:
                    error = new ReaderNotFoundException(result, ErrorIds.ReaderNotFound);
                    break;
                case PcscResult.ReaderUnavailable:
                    error = new ReaderNotFoundException(result, ErrorIds.ReaderUnavailable);
                    break;
                case PcscResult.NoSmartCard:
                    error = new NoCardException(result);
                    break;
                case PcscResult.RemovedCard:
                case PcscResult.NotTransacted:
                    error = new CardRemovedException(result);
                    break;
                case PcscResult.ResetCard:
                    error = new PcscException(result, ErrorIds.CardReset, FailureKind.OperationStopped);
                    break;
                case PcscResult.SharingViolation:
                    error = new ReaderBusyException(result);
                    break;
                case PcscResult.UnresponsiveCard:
                case PcscResult.UnpoweredCard:
                case PcscResult.UnsupportedCard:
                case PcscResult.CardUnsupported:
                case PcscResult.InvalidAtr:
                case PcscResult.CommunicationError:
                case PcscResult.ProtocolMismatch:
                    error = new PcscException(result, ErrorIds.CardNotResponding, FailureKind.DeviceError);
                    break;
                case PcscResult.Timeout:
                case PcscResult.WaitedTooLong:
                    error = new PcscException(result, ErrorIds.SmartCardTimeout, FailureKind.OperationTimeout);
                    break;
                case PcscResult.Cancelled:
                case PcscResult.SystemCancelled:
                    error = new PcscException(result, ErrorIds.OperationCancelled, FailureKind.OperationStopped);
                    break;
                default:
                    error = new PcscException(result, ErrorIds.SmartCardError, FailureKind.DeviceError)
                        .With("status", "0x" + ((uint)result).ToString("X8", CultureInfo.InvariantCulture))
                        .With("result", result.ToString());
                    break;
            }

            error.ReaderName = readerName;
            return error.With("operation", operation);
        }

        private static string Platform()
        {
            if (IsWindows())
            {
                return "Windows";
            }

            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "MacOS" : "Linux";
        }

        private static bool IsWindows() => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    }
}
