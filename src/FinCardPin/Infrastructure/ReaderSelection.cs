using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Picks the readers a cmdlet works on, from the readers' state alone (no APDU): by name, or every reader that
    /// holds a FINEID card. A name that equals a reader's name is that reader whatever characters it holds (pcsc-lite
    /// names CCID readers "… [interface] 00 00", and '[' is a wildcard character); a name bound from a piped object is
    /// always a name; only what a user typed and no reader is called is a wildcard pattern. An operation that risks a
    /// try never guesses between several cards.
    /// </summary>
    internal static class ReaderSelection
    {
        /// <summary>
        /// The readers the names select; a name that selects nothing and is no pattern is reported as not found.
        /// Null names select every reader.
        /// </summary>
        /// <param name="literal">The names came from piped objects: each is a reader's name, never a pattern.</param>
        public static IReadOnlyList<ReaderSnapshot> Match(IReadOnlyList<ReaderSnapshot> readers, string[]? names, bool literal, Action<FinCardPinException> reportMissing)
        {
            if (names == null || names.Length == 0)
            {
                return readers;
            }

            var selected = new List<ReaderSnapshot>();
            foreach (var name in names)
            {
                var matches = Named(readers, name, literal);
                if (matches.Count == 0 && !IsPattern(name, literal))
                {
                    reportMissing(NotFound(name, readers.Count));
                }

                selected.AddRange(matches.Where(m => !selected.Contains(m)));
            }

            return selected;
        }

        /// <summary>
        /// The readers one name selects: the reader of that very name (compared without case, as the wildcards do);
        /// otherwise, for a name a user typed that holds wildcard characters, the readers the pattern matches.
        /// </summary>
        public static List<ReaderSnapshot> Named(IReadOnlyList<ReaderSnapshot> readers, string name, bool literal)
        {
            var exact = readers.Where(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (exact.Count > 0 || !IsPattern(name, literal))
            {
                return exact;
            }

            var wildcard = Pattern(name);
            return readers.Where(r => wildcard.IsMatch(r.Name)).ToList();
        }

        /// <summary>
        /// Whether a name is taken as a wildcard pattern when no reader has it as its name: a typed name with wildcard
        /// characters, or with escapes (a name escaped as about_Wildcards shows, [WildcardPattern]::Escape, is still
        /// its reader).
        /// </summary>
        public static bool IsPattern(string name, bool literal) =>
            !literal && (WildcardPattern.ContainsWildcardCharacters(name) || name.IndexOf('`') >= 0);

        /// <summary>More than one reader holds a FINEID card (a command without -ReaderName would be refused).</summary>
        public static bool SeveralFineid(PcscContext context) => context.GetReaders().Count(UsableCard.HoldsFineid) > 1;

        /// <summary>
        /// The one reader an operation that checks or changes a code works on. Refuses, before any APDU, when the
        /// choice is not certain: no FINEID card, several of them, or a named reader without one.
        /// </summary>
        /// <param name="literal">The name came from a piped object: a reader's name, never a pattern.</param>
        public static ReaderSnapshot SingleFineid(PcscContext context, string? readerName, bool literal)
        {
            var readers = context.GetReaders();
            List<ReaderSnapshot> candidates;
            if (readerName != null)
            {
                candidates = Named(readers, readerName, literal);
                if (candidates.Count == 0)
                {
                    throw NoneMatched(new[] { readerName }, readers.Count, literal);
                }

                if (candidates.Count == 1)
                {
                    return RequireFineid(candidates[0]);
                }
            }
            else
            {
                candidates = readers.ToList();
            }

            var fineid = candidates.Where(UsableCard.HoldsFineid).ToList();
            if (fineid.Count == 1)
            {
                return RequireFineid(fineid[0]);
            }

            if (fineid.Count > 1)
            {
                throw new FinCardPinException(ErrorIds.MultipleFineidCards, FailureKind.InvalidArgument)
                    .With("count", fineid.Count)
                    .With("readers", string.Join(", ", fineid.Select(r => "'" + r.Name + "'")));
            }

            throw NoFineid(readers);
        }

        /// <summary>Refuses a reader without a usable FINEID card, from its state alone (<see cref="UsableCard.Require"/>).</summary>
        public static ReaderSnapshot RequireFineid(ReaderSnapshot reader)
        {
            UsableCard.Require(reader, CardOperation.ChooseCard);
            return reader;
        }

        public static FinCardPinException NoFineid(IReadOnlyList<ReaderSnapshot> readers) =>
            readers.Count == 0
                ? new FinCardPinException(ErrorIds.NoFineidCard, FailureKind.ObjectNotFound, ErrorIds.NoFineidCard + ".NoReaders")
                : new FinCardPinException(ErrorIds.NoFineidCard, FailureKind.ObjectNotFound);

        /// <summary>Names or patterns that matched no reader at all (rather than "no FINEID card").</summary>
        public static FinCardPinException NoneMatched(string[] patterns, int readerCount, bool literal) =>
            patterns.Length == 1 && !IsPattern(patterns[0], literal)
                ? NotFound(patterns[0], readerCount)
                : new ReaderNotFoundException(PcscResult.UnknownReader, ErrorIds.ReaderNotFound,
                        ErrorIds.ReaderNotFound + (readerCount == 0 ? ".PatternsNoReaders" : ".Patterns"))
                    .With("patterns", UserInput.Facts(patterns));

        /// <summary>A reader-name pattern, checked now: a malformed one ('[') is refused with its own id, not a raw exception.</summary>
        public static WildcardPattern Pattern(string pattern)
        {
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
            try
            {
                wildcard.IsMatch(string.Empty);
                return wildcard;
            }
            catch (WildcardPatternException e)
            {
                // PowerShell's own (English) detail repeats the pattern: the message is the module's, in each language,
                // and the detail stays inside only when the pattern holds no digit (it may be a code).
                throw new FinCardPinException(ErrorIds.InvalidReaderNamePattern, FailureKind.InvalidArgument, innerException: UserInput.HoldsDigits(pattern) ? null : e)
                    .With("pattern", UserInput.Fact(pattern));
            }
        }

        // The name is what the user typed (no reader has it): it is repeated only when it holds no digit.
        private static PcscException NotFound(string name, int readerCount)
        {
            var error = readerCount == 0
                ? new ReaderNotFoundException(PcscResult.UnknownReader, ErrorIds.ReaderNotFound, ErrorIds.ReaderNotFound + ".NoReaders")
                : PcscErrorMap.ToException(PcscResult.UnknownReader, name, CardOperation.ChooseReader);
            return error.With("reader", UserInput.Fact(name));
        }
    }
}
