using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Something the engine learnt from a card or had to assume (for -Verbose), as a key and facts: the cmdlet
    /// assembly words it ("Note.&lt;key&gt;") in the user's language, like the failures.
    /// </summary>
    internal sealed class CardNote
    {
        private readonly Dictionary<string, object?> _facts = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        public CardNote(string key, params object?[] namesAndValues)
        {
            Key = key ?? throw new ArgumentNullException(nameof(key));
            if (namesAndValues == null)
            {
                return;
            }

            for (var i = 0; i + 1 < namesAndValues.Length; i += 2)
            {
                _facts[(string)namesAndValues[i]!] = namesAndValues[i + 1];
            }
        }

        /// <summary>Which note this is (e.g. "CardOwnRule").</summary>
        public string Key { get; }

        /// <summary>The facts the note is worded from, by name (names compare without case).</summary>
        public IReadOnlyDictionary<string, object?> Facts => _facts;

        /// <summary>The key and the facts in one line, for logs and for users of the engine alone.</summary>
        public override string ToString() =>
            Key + string.Concat(_facts.Select(f => " " + f.Key + "=" + Convert.ToString(f.Value, CultureInfo.InvariantCulture)));
    }
}
