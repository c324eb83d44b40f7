using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Infrastructure
{
    /// <summary>Tab completion of the readers attached now (quoted when the name has spaces, as most do).</summary>
    internal sealed class ReaderNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> names;
            try
            {
                using var context = new PcscContext(PcscProvider.Current(out _));
                names = context.ListReaders();
            }
#pragma warning disable CA1031 // Completion must never throw into the user's prompt: no service means no suggestions.
            catch (Exception)
#pragma warning restore CA1031
            {
                yield break;
            }

            // What was typed is the start of a name, brackets and all (pcsc-lite's "… [interface] 00 00"), or a pattern.
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            foreach (var name in names.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || Matches(pattern, n)))
            {
                yield return new CompletionResult("'" + name.Replace("'", "''") + "'", name, CompletionResultType.ParameterValue, name);
            }
        }

        private static bool Matches(WildcardPattern pattern, string name)
        {
            try
            {
                return pattern.IsMatch(name);
            }
            catch (WildcardPatternException)
            {
                return false; // a half-typed '[': only the names it starts are offered
            }
        }
    }

    /// <summary>
    /// Tab completion of -CardSerial: the serials of the FINEID cards in the readers now (read as Get-CardReader reads
    /// them: the application and its serial, no code), each with its reader as tooltip. A card another program holds
    /// or that does not answer within a short bound is left out; nothing is ever thrown into the prompt.
    /// </summary>
    internal sealed class CardSerialCompleter : IArgumentCompleter
    {
        private static readonly PcscBounds CompletionBounds = new PcscBounds(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var found = new List<(string Serial, string Reader)>();
            try
            {
                using var context = new PcscContext(PcscProvider.Current(out _), CompletionBounds);
                foreach (var reader in context.GetReaders().Where(UsableCard.HoldsFineid))
                {
                    try
                    {
                        var serial = context.Run(
                            () =>
                            {
                                using var session = FineidSession.Open(context, reader, null, null);
                                return session.Serial;
                            },
                            CancellationToken.None,
                            null,
                            CompletionBounds);
                        if (!string.IsNullOrEmpty(serial))
                        {
                            found.Add((serial!, reader.Name));
                        }
                    }
#pragma warning disable CA1031 // One card that cannot be read leaves only itself out of the suggestions.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            }
#pragma warning disable CA1031 // Completion must never throw into the user's prompt: no service means no suggestions.
            catch (Exception)
#pragma warning restore CA1031
            {
                yield break;
            }

            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (var (serial, reader) in found.Where(f => f.Serial.StartsWith(typed, StringComparison.Ordinal)))
            {
                yield return new CompletionResult(serial, serial, CompletionResultType.ParameterValue, reader);
            }
        }
    }

    /// <summary>
    /// Tab completion of -Code: the names people know the codes by, each with a tooltip saying which code it is, and
    /// on Test/Set/Unlock-CardPin only PIN1 and PIN2. -Code is string-typed so that PowerShell asks this completer
    /// (for an enum-typed parameter it completes the enum's names itself and never calls a custom completer).
    /// </summary>
    internal sealed class PinCodeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return PinCodeNames.SuggestedFor(commandName)
                .Where(s => s.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s.Name, s.Name, CompletionResultType.ParameterValue, s.Description));
        }
    }
}
