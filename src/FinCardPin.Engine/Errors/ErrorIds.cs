namespace FinCardPin.Engine.Errors
{
    /// <summary>
    /// The stable error ids, in one place so that the README, the tests and scripts can rely on them. Never rename
    /// one: scripts match on FullyQualifiedErrorId.
    /// </summary>
    public static class ErrorIds
    {
        // PC/SC and readers
        public const string ServiceNotRunning = "PcscServiceNotRunning";
        public const string PlatformNotSupported = "PlatformNotSupported";
        public const string AccessDenied = "SmartCardAccessDenied";
        public const string ReaderNotFound = "ReaderNotFound";
        public const string InvalidReaderNamePattern = "InvalidReaderNamePattern";
        public const string ReaderUnavailable = "ReaderUnavailable";
        public const string NoCardInReader = "NoCardInReader";
        public const string CardRemoved = "CardRemoved";
        public const string CardReset = "CardReset";
        public const string ReaderInExclusiveUse = "ReaderInExclusiveUse";
        public const string CardNotResponding = "CardNotResponding";
        public const string SmartCardTimeout = "SmartCardTimeout";
        public const string OperationCancelled = "OperationCancelled";
        public const string SmartCardError = "SmartCardError";
        public const string CardAnswerTooLong = "CardAnswerTooLong";
        public const string CardBusy = "CardBusy";
        public const string CardNotAnswering = "CardNotAnswering";
        public const string WaitForCardTimeout = "WaitForCardTimeout";
        public const string InvalidTimeoutSetting = "InvalidTimeoutSetting";
        public const string UnexpectedError = "UnexpectedError";

        // Virtual cards
        public const string VirtualCardFileInvalid = "VirtualCardFileInvalid";

        /// <summary>A command that carried a code got no usable answer; it is never sent again, so its effect is unknown.</summary>
        public const string PinOutcomeUnknown = "PinOutcomeUnknown";

        // Choosing the card
        public const string NotFineidCard = "NotFineidCard";
        public const string NoFineidCard = "NoFineidCard";
        public const string MultipleFineidCards = "MultipleFineidCards";
        public const string CardChanged = "CardChanged";
        public const string CardSerialUnknown = "CardSerialUnknown";
        public const string ContactlessNotSupported = "ContactlessNotSupported";
        public const string UnexpectedCardAnswer = "UnexpectedCardAnswer";

        // Codes
        public const string InvalidPinCharacters = "InvalidPinCharacters";
        public const string InvalidPinLength = "InvalidPinLength";
        public const string PinConfirmationMismatch = "PinConfirmationMismatch";
        public const string NewPinSameAsCurrent = "NewPinSameAsCurrent";

        /// <summary>A prompted new code was easy to guess and its holder chose, each time asked, not to keep it.</summary>
        public const string GuessablePinNotKept = "GuessablePinNotKept";

        public const string CodeNotApplicable = "CodeNotApplicable";

        /// <summary>-Code was given a name that is no code's name, or several names where one is taken (a value with digits is not repeated).</summary>
        public const string InvalidCodeName = "InvalidCodeName";

        /// <summary>A code parameter was given a plain value (-Pin 4826) instead of a SecureString; the value is never repeated.</summary>
        public const string CodeNotSecureString = "CodeNotSecureString";

        public const string CodeNotNamed = "CodeNotNamed";
        public const string PipedCodeMismatch = "PipedCodeMismatch";

        /// <summary>A code given as a parameter is for one card: a piped record for another card is refused, nothing sent to it.</summary>
        public const string CodeForOneCard = "CodeForOneCard";

        public const string WrongPin = "WrongPin";
        public const string WrongActivationCode = "WrongActivationCode";
        public const string PinBlocked = "PinBlocked";
        public const string ActivationCodeBlocked = "ActivationCodeBlocked";
        public const string PinNotActivated = "PinNotActivated";
        public const string LastTryProtected = "LastTryProtected";
        public const string CardRejectedNewPin = "CardRejectedNewPin";

        /// <summary>The card refused the length or form of the activation code in the first step of an unblock (6700/6A80).</summary>
        public const string CardRejectedActivationCode = "CardRejectedActivationCode";

        /// <summary>The card refused the length or form of the PIN being checked (6700/6A80 to VERIFY).</summary>
        public const string CardRejectedPinLength = "CardRejectedPinLength";

        /// <summary>The card's own PKCS#15 data names another reference or padding than the built-in profile: nothing is sent.</summary>
        public const string CardPinRulesMismatch = "CardPinRulesMismatch";

        // Diagnostics
        public const string DiagnosticWriteFailed = "DiagnosticWriteFailed";
        public const string PinPromptNotAvailable = "PinPromptNotAvailable";

        // Virtual cards (New-VirtualCard, Use-VirtualCard)
        public const string VirtualCardFileExists = "VirtualCardFileExists";
        public const string VirtualCardFileNotWritten = "VirtualCardFileNotWritten";

        // Asking the user
        /// <summary>A change needs a confirmation (-Confirm, or ConfirmImpact at $ConfirmPreference) that nobody can give here.</summary>
        public const string ConfirmationNotAvailable = "ConfirmationNotAvailable";

        /// <summary>Export-CardDiagnostic's file exists and -Force was not given: nothing is overwritten.</summary>
        public const string DiagnosticFileExists = "DiagnosticFileExists";

        // Codes typed on the reader's keypad (PC/SC Part 10). The reader's own answers say the card never saw a code.
        /// <summary>The reader's keypad time-out ran out (the reader answered 6400): no try spent.</summary>
        public const string PinPadTimeout = "PinPadTimeout";

        /// <summary>The holder pressed Cancel on the reader (6401): no try spent.</summary>
        public const string PinPadCancelled = "PinPadCancelled";

        /// <summary>The new code and its confirmation typed on the reader differ (6402): no try spent.</summary>
        public const string PinPadConfirmationMismatch = "PinPadConfirmationMismatch";

        /// <summary>The code typed on the reader was too short or too long (6403): no try spent.</summary>
        public const string PinPadLengthWrong = "PinPadLengthWrong";

        /// <summary>The reader has keypad entry switched off (6404, e.g. Gemalto's "firewall"): no try spent.</summary>
        public const string PinPadDisabled = "PinPadDisabled";

        /// <summary>The reader or its driver refused the keypad request (6B80, or "not supported"): no try spent.</summary>
        public const string PinPadRequestRejected = "PinPadRequestRejected";

        /// <summary>The reader cannot change or unblock a code on its keypad (no MODIFY, or it answered SCARD_E_NOT_TRANSACTED).</summary>
        public const string PinPadCannotChange = "PinPadCannotChange";

        /// <summary>-PinEntry PinPad, but the reader has no keypad the module can use for this card and operation.</summary>
        public const string PinPadNotAvailable = "PinPadNotAvailable";

        /// <summary>-PinEntry PinPad for what this card family cannot safely do on a keypad (organisation card change, or a reader without variable-length entry).</summary>
        public const string PinPadNotForThisCard = "PinPadNotForThisCard";
    }
}
