namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// A PC/SC return code, the same value on Windows, pcsc-lite and macOS (pcsc-lite's 64-bit LONG is truncated
    /// to its low 32 bits). Not [Flags]: the values overlap. Windows also returns plain Win32 codes (5, 6, 109, 122).
    /// </summary>
    public enum PcscResult : uint
    {
        Success = 0,
        Win32AccessDenied = 5,
        Win32InvalidHandle = 6,
        Win32BrokenPipe = 109,
        Win32InsufficientBuffer = 122,
        InternalError = 0x80100001,
        Cancelled = 0x80100002,
        InvalidHandle = 0x80100003,
        InvalidParameter = 0x80100004,
        InvalidTarget = 0x80100005,
        NoMemory = 0x80100006,
        WaitedTooLong = 0x80100007,
        InsufficientBuffer = 0x80100008,
        UnknownReader = 0x80100009,
        Timeout = 0x8010000A,
        SharingViolation = 0x8010000B,
        NoSmartCard = 0x8010000C,
        UnknownCard = 0x8010000D,
        CannotDispose = 0x8010000E,
        ProtocolMismatch = 0x8010000F,
        NotReady = 0x80100010,
        InvalidValue = 0x80100011,
        SystemCancelled = 0x80100012,
        CommunicationError = 0x80100013,
        UnknownError = 0x80100014,
        InvalidAtr = 0x80100015,
        NotTransacted = 0x80100016,
        ReaderUnavailable = 0x80100017,
        PciTooSmall = 0x80100019,
        ReaderUnsupported = 0x8010001A,
        DuplicateReader = 0x8010001B,
        CardUnsupported = 0x8010001C,
        NoService = 0x8010001D,
        ServiceStopped = 0x8010001E,
        /// <summary>pcsc-lite's SCARD_E_UNSUPPORTED_FEATURE shares this value.</summary>
        Unexpected = 0x8010001F,
        UnsupportedFeatureWindows = 0x80100022,
        NoReadersAvailable = 0x8010002E,
        UnsupportedCard = 0x80100065,
        UnresponsiveCard = 0x80100066,
        UnpoweredCard = 0x80100067,
        ResetCard = 0x80100068,
        RemovedCard = 0x80100069,
        SecurityViolation = 0x8010006A,
    }
}
