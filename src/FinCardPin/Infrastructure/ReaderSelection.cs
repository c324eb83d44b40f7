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
    /// Picks the readers a cmdlet works on, from the readers' state alone (no APDU): by name with wildcards, or
    /// every reader that holds a FINEID card. An operation that risks a try never guesses between several cards.
    /// </summary>
    internal static class ReaderSelection
    {
        /// <summary>
        /// The readers whose names match; a name without wildcards that matches nothing is reported as not found.
        /// Null patterns select every reader.
        /// </summary>
        public static IReadOnlyList<ReaderSnapshot> Match(IReadOnlyList<ReaderSnapshot> readers, string[]? patterns, Action<FinCardPinException> reportMissing)
        {
            if (patterns == null || patterns.Length == 0)
            {
                return readers;
            }

            var selected = new List<ReaderSnapshot>();
            foreach (var pattern in patterns)
            {
                var wildcard = Pattern(pattern);
                var matches = readers.Where(r => wildcard.IsMatch(r.Name)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    reportMissing(NotFound(pattern, readers.Count));
                }

                selected.AddRange(matches.Where(m => !selected.Contains(m)));
            }

            return selected;
        }

        public static bool HoldsFineid(ReaderSnapshot reader) => reader.HasCard && AtrCatalog.Identify(reader.Atr).IsFineid;

        /// <summary>More than one reader holds a FINEID card (a command without -ReaderName would be refused).</summary>
        public static bool SeveralFineid(PcscContext context) => context.GetReaders().Count(HoldsFineid) > 1;

        /// <summary>
        /// The one reader an operation that checks or changes a code works on. Refuses, before any APDU, when the
        /// choice is not certain: no FINEID card, several of them, or a named reader without one.
        /// </summary>
        public static ReaderSnapshot SingleFineid(PcscContext context, string? readerName)
        {
            var readers = context.GetReaders();
            List<ReaderSnapshot> candidates;
            if (readerName != null)
            {
                var wildcard = Pattern(readerName);
                candidates = readers.Where(r => wildcard.IsMatch(r.Name)).ToList();
                if (candidates.Count == 0)
                {
                    throw NoneMatched(new[] { readerName }, readers.Count);
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

            var fineid = candidates.Where(HoldsFineid).ToList();
            if (fineid.Count == 1)
            {
                return fineid[0];
            }

            if (fineid.Count > 1)
            {
                throw new FinCardPinException(ErrorIds.MultipleFineidCards, FailureKind.InvalidArgument)
                    .With("count", fineid.Count)
                    .With("readers", string.Join(", ", fineid.Select(r => "'" + r.Name + "'")));
            }

            throw NoFineid(readers);
        }

        /// <summary>Refuses a reader without a card, or with another kind of card, from its state alone.</summary>
        public static ReaderSnapshot RequireFineid(ReaderSnapshot reader)
        {
            if (!reader.HasCard)
            {
                throw PcscErrorMap.ToException(PcscResult.NoSmartCard, reader.Name, CardOperation.ChooseCard);
            }

            var identity = AtrCatalog.Identify(reader.Atr);
            if (!identity.IsFineid)
            {
                throw CardErrors.NotFineid(reader.Name);
            }

            return reader;
        }

        public static FinCardPinException NoFineid(IReadOnlyList<ReaderSnapshot> readers) =>
            readers.Count == 0
                ? new FinCardPinException(ErrorIds.NoFineidCard, FailureKind.ObjectNotFound, ErrorIds.NoFineidCard + ".NoReaders")
                : new FinCardPinException(ErrorIds.NoFineidCard, FailureKind.ObjectNotFound);

        /// <summary>Names or patterns that matched no reader at all (rather than "no FINEID card").</summary>
        public static FinCardPinException NoneMatched(string[] patterns, int readerCount) =>
            patterns.Length == 1 && !WildcardPattern.ContainsWildcardCharacters(patterns[0])
                ? NotFound(patterns[0], readerCount)
                : new ReaderNotFoundException(PcscResult.UnknownReader, ErrorIds.ReaderNotFound,
                        ErrorIds.ReaderNotFound + (readerCount == 0 ? ".PatternsNoReaders" : ".Patterns"))
                    .With("patterns", string.Join(", ", patterns.Select(p => "'" + p + "'")));

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
                throw new FinCardPinException(ErrorIds.InvalidReaderNamePattern, FailureKind.InvalidArgument, innerException: e)
                    .With("pattern", pattern)
                    .With("detail", e.Message);
            }
        }

        private static FinCardPinException NotFound(string name, int readerCount) =>
            readerCount == 0
                ? new ReaderNotFoundException(PcscResult.UnknownReader, ErrorIds.ReaderNotFound, ErrorIds.ReaderNotFound + ".NoReaders") { ReaderName = name }
                : PcscErrorMap.ToException(PcscResult.UnknownReader, name, CardOperation.ChooseReader);
    }
}
