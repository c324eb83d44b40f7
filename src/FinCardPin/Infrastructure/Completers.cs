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

            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            foreach (var name in names.Where(pattern.IsMatch))
            {
                yield return new CompletionResult("'" + name.Replace("'", "''") + "'", name, CompletionResultType.ParameterValue, name);
            }
        }
    }

    /// <summary>Tab completion of the code names for -Code.</summary>
    public sealed class PinCodeCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            PinCodeNames.Suggested
                .Where(name => name.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
                .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, name));
    }
}
