using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;
using FinCardPin.Infrastructure;
using FinCardPin.Localization;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// Makes a virtual FINEID card file, for trying the module and testing admin scripts without a card: point
    /// FINCARDPIN_VIRTUAL_CARDS at it, or run a script block with Use-VirtualCard. The card keeps its codes and
    /// counters in the file (in clear: it is a test card — never give it a real card's codes).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "VirtualCard", DefaultParameterSetName = ActivatedSet, SupportsShouldProcess = true)]
    [OutputType(typeof(VirtualCardFile))]
    public sealed class NewVirtualCardCommand : PSCmdlet
    {
        static NewVirtualCardCommand() => ErrorTexts.Install();

        private const string ActivatedSet = "Activated";
        private const string NotActivatedSet = "NotActivated";

        /// <summary>Where to write the card file (a .json file).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Identity, organisation or SOTE card.</summary>
        [Parameter]
        public VirtualCardKind CardKind { get; set; } = VirtualCardKind.IdentityCard;

        /// <summary>The basic code (PIN1) of an activated card.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ActivatedSet)]
        [SecretTransformation]
        public SecureString? Pin1 { get; set; }

        /// <summary>The signature code (PIN2) of an activated card.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ActivatedSet)]
        [SecretTransformation]
        public SecureString? Pin2 { get; set; }

        /// <summary>
        /// The activation code (PUK) from the code letter: 8 digits; a not-activated identity card with a 7-digit code
        /// is one issued from 13.1.2026 (its PINs preset to the code), with 8 digits one issued before (PINs blocked).
        /// </summary>
        [Parameter(Mandatory = true)]
        [Alias("Puk")]
        [SecretTransformation]
        public SecureString? ActivationCode { get; set; }

        /// <summary>Makes a card that has not been activated yet.</summary>
        [Parameter(Mandatory = true, ParameterSetName = NotActivatedSet)]
        public SwitchParameter NotActivated { get; set; }

        /// <summary>Tries left on PIN1 (0 = blocked); 5 by default.</summary>
        [Parameter]
        [ValidateRange(0, PinRules.MaxTries)]
        public int Pin1TriesLeft { get; set; }

        /// <summary>Tries left on PIN2 (0 = blocked); 5 by default.</summary>
        [Parameter]
        [ValidateRange(0, PinRules.MaxTries)]
        public int Pin2TriesLeft { get; set; }

        /// <summary>Tries left on the activation code (0 = used up); 5 by default.</summary>
        [Parameter]
        [ValidateRange(0, PinRules.MaxTries)]
        public int ActivationCodeTriesLeft { get; set; }

        /// <summary>The card's serial number (digits), as Get-CardReader shows it; a random one when not given, so that two cards differ.</summary>
        [Parameter]
        [ValidatePattern(@"^[0-9]{1,16}$")]
        public string? Serial { get; set; }

        /// <summary>Overwrites an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void BeginProcessing()
        {
            var plainCode = SecretTransformationAttribute.RefusalFor(MyInvocation);
            if (plainCode != null)
            {
                ThrowTerminatingError(ErrorRecords.From(plainCode, null));
            }
        }

        protected override void ProcessRecord()
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (File.Exists(path) && !Force)
            {
                var exists = Texts.Get("Error.VirtualCardFileExists", "path", path);
                ThrowTerminatingError(new ErrorRecord(new IOException(exists), ErrorIds.VirtualCardFileExists, ErrorCategory.ResourceExists, path)
                {
                    ErrorDetails = new ErrorDetails(exists) { RecommendedAction = Texts.Get("Action.VirtualCardFileExists") },
                });
            }

            var kind = CardKind == VirtualCardKind.IdentityCard ? Engine.Fineid.CardKind.IdentityCard : Engine.Fineid.CardKind.OrganisationOrSoteCard;
            var request = new VirtualCardFiles.Request { Kind = CardKind, Serial = Serial ?? VirtualCardFiles.NewSerial(), Activated = !NotActivated };
            try
            {
                request.ActivationCode = Take(ActivationCode!, kind, PinCode.ActivationCode);
                if (NotActivated && request.ActivationCode.Length == 7 && CardKind != VirtualCardKind.IdentityCard)
                {
                    throw new FinCardPinException(ErrorIds.InvalidPinLength, FailureKind.InvalidArgument, ErrorIds.InvalidPinLength + ".SevenDigitActivationCode");
                }

                if (!NotActivated)
                {
                    request.Pin1 = Take(Pin1!, kind, PinCode.Pin1);
                    request.Pin2 = Take(Pin2!, kind, PinCode.Pin2);
                    if (CardKind == VirtualCardKind.OrganisationCard && request.Pin2.Length < 6)
                    {
                        // The module cannot tell organisation and SOTE cards apart and allows 4-8; the card itself does.
                        throw new FinCardPinException(ErrorIds.InvalidPinLength, FailureKind.InvalidArgument, ErrorIds.InvalidPinLength + ".OrganisationPin2");
                    }
                }

                request.Pin1TriesLeft = Given(nameof(Pin1TriesLeft), Pin1TriesLeft);
                request.Pin2TriesLeft = Given(nameof(Pin2TriesLeft), Pin2TriesLeft);
                request.ActivationCodeTriesLeft = Given(nameof(ActivationCodeTriesLeft), ActivationCodeTriesLeft);
                var action = Texts.Get("Confirm.WriteVirtualCard", "kind", CardKind.ToString());
                if (!ShouldProcess(ConfirmationTexts.Description(action, path), ConfirmationTexts.Question(action, path), ConfirmationTexts.Caption()))
                {
                    return;
                }

                try
                {
                    VirtualCardFiles.Write(path, request);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    ThrowTerminatingError(new ErrorRecord(e, ErrorIds.VirtualCardFileNotWritten, ErrorCategory.WriteError, path)
                    {
                        ErrorDetails = new ErrorDetails(Texts.Get("Error.VirtualCardFileNotWritten", "path", path, "detail", FileFailures.Of(e)))
                        {
                            RecommendedAction = Texts.Get("Action.VirtualCardFileNotWritten"),
                        },
                    });
                }

                WriteObject(new VirtualCardFile(path, CardKind, request.Serial, request.Activated));
            }
            catch (FinCardPinException e)
            {
                ThrowTerminatingError(ErrorRecords.From(e, path));
            }
            finally
            {
                request.ActivationCode?.Dispose();
                request.Pin1?.Dispose();
                request.Pin2?.Dispose();
            }
        }

        private int? Given(string name, int value) => MyInvocation.BoundParameters.ContainsKey(name) ? value : (int?)null;

        private static PinBuffer Take(SecureString given, Engine.Fineid.CardKind kind, PinCode code)
        {
            var buffer = PinBuffer.FromSecureString(given);
            try
            {
                // The virtual card stores the digits; the check is what matters here, the buffer stays ours.
                return CheckedPin.Check(kind, code, buffer, CodeRole.Given).Value;
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }
    }
}
