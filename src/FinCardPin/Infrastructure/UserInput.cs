using System.Linq;

namespace FinCardPin.Infrastructure
{
    /// <summary>Stands in a message for what a user typed when it is not repeated (see <see cref="UserInput"/>).</summary>
    internal enum WithheldInput
    {
        /// <summary>The value held digits: it may have been a code typed in the wrong place.</summary>
        HoldsDigits,
    }

    /// <summary>
    /// What a user typed is repeated in an error, warning or verbose text only when it holds no digit: a code typed in
    /// the wrong place (Test-CardPin 4826, -ReaderName 4826) would otherwise reach $Error, transcripts and management
    /// logs. A message then names it by <see cref="WithheldInput"/> instead, worded in the user's language.
    /// </summary>
    internal static class UserInput
    {
        public static bool HoldsDigits(string? value) => value != null && value.Any(char.IsDigit);

        /// <summary>The value as a message fact: itself, or <see cref="WithheldInput.HoldsDigits"/>.</summary>
        public static object? Fact(string? value) => HoldsDigits(value) ? WithheldInput.HoldsDigits : (object?)value;

        /// <summary>Several values as one fact ('a', 'b'), withheld as a whole when any of them holds a digit.</summary>
        public static object Facts(string[] values) =>
            values.Any(HoldsDigits) ? WithheldInput.HoldsDigits : (object)string.Join(", ", values.Select(v => "'" + v + "'"));

        /// <summary>The value as an ErrorRecord's target object: itself, or null (the record then names the reader found).</summary>
        public static string? Target(string? value) => HoldsDigits(value) ? null : value;
    }
}
