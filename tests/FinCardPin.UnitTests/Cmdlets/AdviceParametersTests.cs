using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using FinCardPin.Cmdlets;
using FinCardPin.Engine.Errors;
using FinCardPin.Localization;
using Xunit;
using FinCardPin.UnitTests.Localization;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>
    /// Every next step a cmdlet can give names only parameters that exist: a bare "-Name" is a parameter of the cmdlet
    /// that reported the failure, and a "-Name" after another FinCardPin command ("Export-CardDiagnostic -Path") one of
    /// that command's. Walks every error id × every cmdlet that can raise it × every language.
    /// </summary>
    public class AdviceParametersTests
    {
        private static readonly string[] CommonParameters =
        {
            "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
            "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        };

        // Which cmdlets can raise which ids. What is not listed (the PC/SC service, readers, card answers) can come from
        // every cmdlet that talks to a card.
        private static readonly Dictionary<string, string[]> RaisedOnlyBy = new Dictionary<string, string[]>
        {
            [ErrorIds.WaitForCardTimeout] = new[] { "Get-CardReader" },
            [ErrorIds.DiagnosticWriteFailed] = new[] { "Export-CardDiagnostic" },
            [ErrorIds.DiagnosticFileExists] = new[] { "Export-CardDiagnostic" },
            [ErrorIds.VirtualCardFileExists] = new[] { "New-VirtualCard" },
            [ErrorIds.VirtualCardFileNotWritten] = new[] { "New-VirtualCard" },
            [ErrorIds.ConfirmationNotAvailable] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.PinConfirmationMismatch] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.NewPinSameAsCurrent] = new[] { "Set-CardPin" },
            [ErrorIds.GuessablePinNotKept] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.CardRejectedNewPin] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.CardRejectedActivationCode] = new[] { "Unlock-CardPin" },
            [ErrorIds.WrongActivationCode] = new[] { "Unlock-CardPin", "Set-CardPin" },
            [ErrorIds.InvalidPinCharacters] = new[] { "Set-CardPin", "Unlock-CardPin", "Test-CardPin", "New-VirtualCard" },
            [ErrorIds.InvalidPinLength] = new[] { "Set-CardPin", "Unlock-CardPin", "Test-CardPin", "New-VirtualCard" },
            [ErrorIds.CodeNotApplicable] = PinCmdlets,
            [ErrorIds.InvalidCodeName] = PinCmdlets.Concat(new[] { "Get-CardPinStatus" }).ToArray(),
            [ErrorIds.CodeNotSecureString] = PinCmdlets.Concat(new[] { "New-VirtualCard" }).ToArray(),
            [ErrorIds.CodeNotNamed] = PinCmdlets,
            [ErrorIds.PipedCodeMismatch] = PinCmdlets,
            [ErrorIds.WrongPin] = PinCmdlets,
            [ErrorIds.PinBlocked] = PinCmdlets,
            [ErrorIds.ActivationCodeBlocked] = PinCmdlets,
            [ErrorIds.PinNotActivated] = PinCmdlets,
            [ErrorIds.LastTryProtected] = PinCmdlets,
            [ErrorIds.CardRejectedPinLength] = PinCmdlets,
            [ErrorIds.CardPinRulesMismatch] = PinCmdlets,
            [ErrorIds.PinOutcomeUnknown] = PinCmdlets,
            [ErrorIds.PinPromptNotAvailable] = PinCmdlets,
            [ErrorIds.CardSerialUnknown] = PinCmdlets,
            [ErrorIds.PinPadTimeout] = PinCmdlets,
            [ErrorIds.PinPadCancelled] = PinCmdlets,
            [ErrorIds.PinPadConfirmationMismatch] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.PinPadLengthWrong] = PinCmdlets,
            [ErrorIds.PinPadDisabled] = PinCmdlets,
            [ErrorIds.PinPadRequestRejected] = PinCmdlets,
            [ErrorIds.PinPadCannotChange] = new[] { "Set-CardPin", "Unlock-CardPin" },
            [ErrorIds.PinPadNotAvailable] = PinCmdlets,
            [ErrorIds.PinPadNotForThisCard] = PinCmdlets,
            [ErrorIds.MultipleFineidCards] = new[] { "Set-CardPin", "Unlock-CardPin", "Test-CardPin", "Export-CardDiagnostic" },
            [ErrorIds.VirtualCardFileInvalid] = CardCmdlets.Concat(new[] { "Use-VirtualCard" }).ToArray(),
        };

        // Variants (message keys) that only some of the id's cmdlets raise.
        private static readonly Dictionary<string, string[]> VariantRaisedOnlyBy = new Dictionary<string, string[]>
        {
            [ErrorIds.InvalidPinLength + ".OrganisationPin2"] = new[] { "New-VirtualCard" },
            [ErrorIds.PinNotActivated + ".Preset"] = new[] { "Unlock-CardPin" },
        };

        private static string[] PinCmdlets => new[] { "Set-CardPin", "Unlock-CardPin", "Test-CardPin" };

        private static string[] CardCmdlets => new[] { "Get-CardReader", "Get-CardPinStatus", "Set-CardPin", "Unlock-CardPin", "Test-CardPin", "Export-CardDiagnostic" };

        // A command and the arguments that follow it: parameters, variables, quoted or bracketed values, numbers. The
        // verb may be ConvertTo/ConvertFrom ("ConvertTo-SecureString '…' -AsPlainText": -AsPlainText is its own).
        private static readonly Regex Invocation = new Regex(@"\b(?<command>[A-Z][a-z]+(?:To|From)?-[A-Z][A-Za-z]+)(?<arguments>(?:\s+(?:-[A-Za-z]+(?::\S+)?|[^\sa-z-]\S*))*)");

        private static readonly Regex ParameterToken = new Regex(@"(?<![\w-])-(?<name>[A-Z][A-Za-z]+)");

        public static IEnumerable<object[]> IdsCmdletsAndLanguages() =>
            from id in AllErrorIds()
            from cmdlet in CmdletsRaising(id)
            from language in Languages.All
            select new object[] { id, cmdlet, language };

        [Theory]
        [MemberData(nameof(IdsCmdletsAndLanguages))]
        public void EveryAdvice_NamesOnlyParametersTheCommandHas(string errorId, string cmdlet, string language)
        {
            var culture = Languages.Culture(language);
            var actions = Texts.OwnTexts(CultureInfo.InvariantCulture).Keys
                .Where(k => k == "Action." + errorId || k.StartsWith("Action." + errorId + ".", StringComparison.Ordinal))
                .Where(k => !VariantRaisedOnlyBy.TryGetValue(k.Substring("Action.".Length), out var only) || only.Contains(cmdlet));
            var wrong = new List<string>();
            foreach (var key in actions)
            {
                var text = Texts.Find(key, culture)!;
                foreach (var (command, parameter) in NamedParameters(text, cmdlet))
                {
                    if (Commands.TryGetValue(command, out var parameters) && !parameters.Contains(parameter))
                    {
                        wrong.Add(key + ": " + command + " has no -" + parameter + " (" + text + ")");
                    }
                }
            }

            Assert.Empty(wrong);
        }

        [Fact]
        public void TheWalk_FindsAParameterTheCommandLacks()
        {
            // -Pin advised from Set-CardPin (the admin's first day): the walk must see it.
            var found = NamedParameters("Pass the code as a SecureString parameter (for example -Pin (Read-Host -AsSecureString)).", "Set-CardPin").ToList();

            Assert.Contains(("Set-CardPin", "Pin"), found);
            Assert.DoesNotContain(Commands["Set-CardPin"], p => p == "Pin");
            Assert.Contains(("Read-Host", "AsSecureString"), found);
            Assert.Contains(("Export-CardDiagnostic", "Path"), NamedParameters("for example: Export-CardDiagnostic -Path $HOME/card-report.json", "Set-CardPin"));
            Assert.Contains(("ConvertTo-SecureString", "AsPlainText"), NamedParameters("-Pin (ConvertTo-SecureString '…' -AsPlainText -Force)", "Set-CardPin"));
            Assert.DoesNotContain(("Set-CardPin", "AsPlainText"), NamedParameters("-Pin (ConvertTo-SecureString '…' -AsPlainText -Force)", "Set-CardPin"));
        }

        private static IEnumerable<(string Command, string Parameter)> NamedParameters(string text, string reporting)
        {
            var owned = new HashSet<int>();
            foreach (Match call in Invocation.Matches(text))
            {
                var arguments = call.Groups["arguments"];
                foreach (Match parameter in ParameterToken.Matches(arguments.Value))
                {
                    owned.Add(arguments.Index + parameter.Index);
                    yield return (call.Groups["command"].Value, parameter.Groups["name"].Value);
                }
            }

            foreach (Match parameter in ParameterToken.Matches(text))
            {
                if (!owned.Contains(parameter.Index))
                {
                    yield return (reporting, parameter.Groups["name"].Value);
                }
            }
        }

        private static string[] CmdletsRaising(string id) => RaisedOnlyBy.TryGetValue(id, out var only) ? only : CardCmdlets;

        private static IEnumerable<string> AllErrorIds() =>
            typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

        // Every FinCardPin cmdlet by name, with its parameters, aliases and the common parameters.
        private static readonly Dictionary<string, HashSet<string>> Commands = typeof(PinCmdlet).Assembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(c => c.Attribute != null)
            .ToDictionary(c => c.Attribute!.VerbName + "-" + c.Attribute.NounName, c => ParametersOf(c.Type, c.Attribute!));

        private static HashSet<string> ParametersOf(Type type, CmdletAttribute attribute)
        {
            var names = new HashSet<string>(CommonParameters, StringComparer.OrdinalIgnoreCase);
            if (attribute.SupportsShouldProcess)
            {
                names.Add("WhatIf");
                names.Add("Confirm");
            }

            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
            {
                names.Add(property.Name);
                foreach (var alias in property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames))
                {
                    names.Add(alias);
                }
            }

            return names;
        }
    }
}
