using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using FinCardPin.Engine.Apdu;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Looks for personal values in a text in every form a report could carry them: as text, as the hex of their
    /// ASCII/UTF-8 or UTF-16 bytes (upper and lower case, spaced or not) and as base64 at any alignment.
    /// </summary>
    internal static class PersonalData
    {
        public static void AssertAbsent(string text, params string[] values)
        {
            var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);
            foreach (var value in values)
            {
                foreach (var form in Forms(value))
                {
                    Assert.False(text.Contains(form, StringComparison.OrdinalIgnoreCase) || compact.Contains(form.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase),
                        "the report holds '" + value + "' as '" + form + "'");
                }
            }
        }

        public static IEnumerable<string> Forms(string value)
        {
            yield return value;
            foreach (var bytes in new[] { Encoding.UTF8.GetBytes(value), Encoding.Unicode.GetBytes(value), Encoding.BigEndianUnicode.GetBytes(value) })
            {
                yield return Hex.Format(bytes);
                for (var shift = 0; shift < 3; shift++)
                {
                    // The base64 of the value inside longer data: only the characters its own bytes decide at that alignment.
                    var padded = new byte[shift].Concat(bytes).ToArray();
                    var encoded = Convert.ToBase64String(padded);
                    var first = (shift * 4 + 2) / 3;
                    var last = (padded.Length / 3) * 4;
                    if (last - first >= 4)
                    {
                        yield return encoded.Substring(first, last - first);
                    }
                }
            }
        }
    }
}
