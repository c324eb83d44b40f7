using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Infrastructure
{
    /// <summary>Tab completion of the readers attached now (quoted when the name has spaces, as most do).</summary>
    public sealed class ReaderNameCompleter : IArgumentCompleter
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
    /// Tab completion of -Code: the names people know the codes by, each with a tooltip saying which code it is, and
    /// on Test/Set/Unlock-CardPin only PIN1 and PIN2. -Code is string-typed so that PowerShell asks this completer
    /// (for an enum-typed parameter it completes the enum's names itself and never calls a custom completer).
    /// </summary>
    public sealed class PinCodeCompleter : IArgumentCompleter
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
