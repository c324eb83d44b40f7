namespace FinCardPin.Engine.Fineid.Diagnostics
{
    /// <summary>
    /// The notes of a diagnostics report: a key, then ": " and a detail where there is one. The report is read by
    /// maintainers whatever the user's language, so it holds keys; the cmdlet words them for the user's summary.
    /// </summary>
    internal static class DiagnosticNotes
    {
        public const string NoCard = "NoCard";
        public const string Contactless = "Contactless";
        public const string NotFineid = "NotFineid";
        public const string NoOdf = "NoOdf";
        public const string NoAodf = "NoAodf";
        public const string AodfUnreadable = "AodfUnreadable";
        public const string Pkcs15NotUnderstood = "Pkcs15NotUnderstood";
        public const string Stopped = "Stopped";
    }
}
