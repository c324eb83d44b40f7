namespace FinCardPin.Engine.Errors
{
    /// <summary>
    /// What kind of failure an engine exception is, in terms the cmdlet layer maps one-to-one onto PowerShell's
    /// ErrorCategory (the engine itself has no PowerShell dependency).
    /// </summary>
    public enum FailureKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidOperation,
        ObjectNotFound,
        ResourceUnavailable,
        ResourceBusy,
        DeviceError,
        ProtocolError,
        AuthenticationError,
        PermissionDenied,
        SecurityError,
        OperationStopped,
        OperationTimeout,
        NotInstalled,
        InvalidData,
    }
}
