using System;
using System.Globalization;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>Turns every PC/SC return code into a typed exception with a message a non-expert understands.</summary>
    public static class PcscErrorMap
    {
        /// <summary>Codes after which the context itself is gone and must be established again.</summary>
        public static bool MeansContextLost(PcscResult result) =>
            result == PcscResult.NoService
            || result == PcscResult.ServiceStopped
            || result == PcscResult.InvalidHandle
            || result == PcscResult.Win32InvalidHandle;

        /// <summary>Codes that say the card is no longer the one we were talking to.</summary>
        public static bool MeansCardGone(PcscResult result) =>
            result == PcscResult.RemovedCard || result == PcscResult.NoSmartCard;

        public static PcscException ToException(PcscResult result, string? readerName, string operation)
        {
            var reader = readerName == null ? "the card reader" : "reader '" + readerName + "'";
            PcscException error;
            switch (result)
            {
                case PcscResult.NoService:
                case PcscResult.ServiceStopped:
                case PcscResult.Win32BrokenPipe:
                    error = new SmartCardServiceException(result, ErrorIds.ServiceNotRunning, ServiceMessage(), ServiceAction());
                    break;
                case PcscResult.SecurityViolation:
                case PcscResult.Win32AccessDenied:
                    error = new PcscException(result, ErrorIds.AccessDenied, FailureKind.PermissionDenied,
                        "This session is not allowed to use the smart card service.",
                        RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
                            ? "Run as the signed-in user or as SYSTEM; other service accounts cannot reach smart cards."
                            : "Run from the local desktop session, or allow this user in pcsc-lite's polkit rules.");
                    break;
                case PcscResult.UnknownReader when readerName == null:
                case PcscResult.ReaderUnavailable when readerName == null:
                    error = new ReaderNotFoundException(result, result == PcscResult.UnknownReader ? ErrorIds.ReaderNotFound : ErrorIds.ReaderUnavailable,
                        "The card readers kept changing while FinCardPin was reading them (a reader was plugged in or out).",
                        "Wait until the card readers are connected and try again.");
                    break;
                case PcscResult.UnknownReader:
                    error = new ReaderNotFoundException(result, ErrorIds.ReaderNotFound,
                        "There is no card reader named '" + readerName + "'.", "List the readers with Get-CardReader.");
                    break;
                case PcscResult.ReaderUnavailable:
                    error = new ReaderNotFoundException(result, ErrorIds.ReaderUnavailable,
                        "The card reader '" + readerName + "' is not available: it may have been unplugged.",
                        "Reconnect the reader and run Get-CardReader to check it is listed.");
                    break;
                case PcscResult.NoSmartCard:
                    error = new NoCardException(result, "There is no card in " + reader + ".", "Insert the card, chip first, and try again.");
                    break;
                case PcscResult.RemovedCard:
                case PcscResult.NotTransacted:
                    error = new CardRemovedException(result,
                        "The card was removed from " + reader + " while FinCardPin was using it.",
                        "Insert the card again and check its codes with Get-CardPinStatus before you retry.");
                    break;
                case PcscResult.ResetCard:
                    error = new PcscException(result, ErrorIds.CardReset, FailureKind.OperationStopped,
                        "Another program reset the card in " + reader + " while FinCardPin was using it.",
                        "Close other smart card programs and try again.");
                    break;
                case PcscResult.SharingViolation:
                    error = new ReaderBusyException(result,
                        "Another program is using the card in " + reader + " exclusively.",
                        "Close the other smart card program (for example a signing application) and try again.");
                    break;
                case PcscResult.UnresponsiveCard:
                case PcscResult.UnpoweredCard:
                case PcscResult.UnsupportedCard:
                case PcscResult.CardUnsupported:
                case PcscResult.InvalidAtr:
                case PcscResult.CommunicationError:
                case PcscResult.ProtocolMismatch:
                    error = new PcscException(result, ErrorIds.CardNotResponding, FailureKind.DeviceError,
                        "The card in " + reader + " does not respond.",
                        "Take the card out, check it goes in chip first, and insert it again.");
                    break;
                case PcscResult.Timeout:
                case PcscResult.WaitedTooLong:
                    error = new PcscException(result, ErrorIds.SmartCardTimeout, FailureKind.OperationTimeout,
                        "The smart card service did not answer in time.", "Try again.");
                    break;
                case PcscResult.Cancelled:
                case PcscResult.SystemCancelled:
                    error = new PcscException(result, ErrorIds.OperationCancelled, FailureKind.OperationStopped,
                        "The smart card operation was cancelled.", null);
                    break;
                default:
                    error = new PcscException(result, ErrorIds.SmartCardError, FailureKind.DeviceError,
                        "The smart card service reported error 0x" + ((uint)result).ToString("X8", CultureInfo.InvariantCulture)
                        + " (" + result + ") during " + operation + ".",
                        "Reconnect the reader and try again.");
                    break;
            }

            error.ReaderName = readerName;
            return error;
        }

        private static string ServiceMessage()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "The Windows Smart Card service is not running.";
            }

            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? "The macOS smart card service is not answering."
                : "The PC/SC daemon (pcscd) is not running.";
        }

        private static string ServiceAction()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "Attach a card reader: Windows starts the Smart Card service when a reader is connected.";
            }

            return RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? "Reconnect the card reader; if it persists, restart the Mac."
                : "Start it with 'sudo systemctl start pcscd.socket' (install the 'pcscd' package if it is missing).";
        }
    }
}
