# A PowerShell host that answers the module's prompts: run as a child pwsh (interactive: no -NonInteractive), it runs
# $Command in a runspace whose host answers each ReadLineAsSecureString with the next line of the child's stdin, in
# the UI language $Culture (invariant when not given), and records what the cmdlet wrote to it. Prints one JSON line.
# A question with choices (PromptForChoice) takes the next line too: "choice:N" picks choice N, "choice:default" the
# question's default (Enter); any other line there fails the question, as a host that cannot ask does.
# Used by Secrets.Tests.ps1 and Language.Tests.ps1.
param([string] $Module, [string] $Command, [string] $Culture = '')
$uiCulture = if ($Culture) { [System.Globalization.CultureInfo]::GetCultureInfo($Culture) } else { [System.Globalization.CultureInfo]::InvariantCulture }
$answers = @([Console]::In.ReadToEnd() -split "`r?`n" | Where-Object { $_ })
Add-Type -TypeDefinition @"
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace FinCardPinTests
{
    public sealed class AnsweringUI : PSHostUserInterface
    {
        private readonly Queue<string> _answers;
        public AnsweringUI(string[] answers) { _answers = new Queue<string>(answers); }
        public StringBuilder Written { get; } = new StringBuilder();
        public int SecureReads { get; private set; }
        public int PlainReads { get; private set; }
        public int ChoiceReads { get; private set; }
        public override PSHostRawUserInterface RawUI => null;
        public override string ReadLine() { PlainReads++; throw new NotSupportedException("plain ReadLine"); }
        public override SecureString ReadLineAsSecureString()
        {
            SecureReads++;
            var secret = new SecureString();
            foreach (var c in _answers.Dequeue()) secret.AppendChar(c);
            secret.MakeReadOnly();
            return secret;
        }
        public override void Write(string value) => Written.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Written.Append(value);
        public override void WriteLine(string value) => Written.AppendLine(value);
        public override void WriteErrorLine(string value) => Written.AppendLine("ERROR: " + value);
        public override void WriteDebugLine(string message) => Written.AppendLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Written.AppendLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Written.AppendLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("Prompt");
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            ChoiceReads++;
            Written.AppendLine("CHOICE: " + caption + " | " + message + " | " + string.Join(" / ", System.Linq.Enumerable.Select(choices, c => c.Label)) + " | default " + defaultChoice);
            var answer = _answers.Dequeue();
            if (answer == "choice:default") return defaultChoice;
            if (answer.StartsWith("choice:", StringComparison.Ordinal)) return int.Parse(answer.Substring(7), CultureInfo.InvariantCulture);
            throw new NotSupportedException("PromptForChoice");
        }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
    }

    public sealed class AnsweringHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly CultureInfo _uiCulture;
        public AnsweringHost(string[] answers, CultureInfo uiCulture) { Answering = new AnsweringUI(answers); _uiCulture = uiCulture; }
        public AnsweringUI Answering { get; }
        public override string Name => "FinCardPinTestAnsweringHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => Answering;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => _uiCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
"@
$answering = [FinCardPinTests.AnsweringHost]::new([string[]] $answers, $uiCulture)
$runspace = [runspacefactory]::CreateRunspace($answering)
$runspace.Open()
$shell = [powershell]::Create()
$shell.Runspace = $runspace
# The pipeline's thread speaks the host's UI language ($PSUICulture), as in a console session set to it.
$null = $shell.AddScript("[System.Threading.Thread]::CurrentThread.CurrentUICulture = '$($uiCulture.Name)'; Import-Module '$Module'; $Command")
$output = $shell.Invoke()
[pscustomobject]@{
    Output      = @($output | ForEach-Object { if ($_.PSObject.Properties['TriesLeft']) { '{0} {1} {2}' -f $_.Code, $_.State, $_.TriesLeft } else { "$_" } })
    Errors      = @($shell.Streams.Error | ForEach-Object { $_.FullyQualifiedErrorId })
    Messages    = @($shell.Streams.Error | ForEach-Object { "$_" })
    Warnings    = @($shell.Streams.Warning | ForEach-Object { "$_" })
    SecureReads = $answering.Answering.SecureReads
    PlainReads  = $answering.Answering.PlainReads
    ChoiceReads = $answering.Answering.ChoiceReads
    Written     = $answering.Answering.Written.ToString()
} | ConvertTo-Json -Compress
