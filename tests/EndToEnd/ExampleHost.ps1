# Runs documentation examples as a person at a console would, without a person: a child pwsh (interactive: no
# -NonInteractive, so that the module may ask) that runs each job of $JobFile in a runspace of its own whose host
# answers every masked entry (the module's prompts and the test's Read-Host stand-in) with the job's next answer,
# answers a confirmation with its default, echoes what a console shows (the prompt, one * per digit, the choices), and
# records everything written to it. Writes each job's report as JSON to the job's Result file (not to stdout, where
# the programs an example starts write too). Used by Examples.Tests.ps1.
#
# The answers are test codes of throw-away virtual cards; they become SecureStrings through ConvertTo-SecureString
# here, in the test, never in an example's text.
param([string] $JobFile, [string] $Module, [string] $PesterModule)
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @"
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace FinCardPinExamples
{
    public sealed class ExampleRawUI : PSHostRawUserInterface
    {
        private readonly int _width;
        public ExampleRawUI(int width) { _width = width; }
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(_width, 9000); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; }
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(_width, 50);
        public override Size MaxWindowSize => new Size(_width, 50);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(_width, 50); set { } }
        public override string WindowTitle { get; set; } = "";
        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("ReadKey");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }

    public sealed class ExampleUI : PSHostUserInterface
    {
        private readonly Queue<string> _answers;
        private readonly ExampleRawUI _raw;
        public ExampleUI(string[] answers, int width) { _answers = new Queue<string>(answers); _raw = new ExampleRawUI(width); }
        public StringBuilder Written { get; } = new StringBuilder();
        public int AnswersLeft => _answers.Count;
        public int Underflows { get; private set; }
        public int PlainReads { get; private set; }
        public override PSHostRawUserInterface RawUI => _raw;

        // The next answer as a SecureString, echoed as a console echoes a masked entry.
        public SecureString NextSecret()
        {
            if (_answers.Count == 0) { Underflows++; throw new InvalidOperationException("The example asked for more codes than the test answers."); }
            var digits = _answers.Dequeue();
            var secret = new SecureString();
            foreach (var c in digits) secret.AppendChar(c);
            secret.MakeReadOnly();
            Written.Append(new string('*', digits.Length)).AppendLine();
            return secret;
        }

        public override string ReadLine() { PlainReads++; throw new NotSupportedException("plain ReadLine"); }
        public override SecureString ReadLineAsSecureString() => NextSecret();
        public override void Write(string value) => Written.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Written.Append(value);
        public override void WriteLine(string value) => Written.AppendLine(value);
        public override void WriteErrorLine(string value) => Written.AppendLine(value);
        public override void WriteDebugLine(string message) => Written.AppendLine("DEBUG: " + message);
        public override void WriteVerboseLine(string message) => Written.AppendLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Written.AppendLine("WARNING: " + message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("Prompt");

        // As the console shows a confirmation; the answer is the default choice (Yes for ShouldProcess).
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Written.AppendLine(caption).AppendLine(message);
            var labels = new List<string>();
            string defaultKey = "";
            for (int i = 0; i < choices.Count; i++)
            {
                var label = choices[i].Label;
                int amp = label.IndexOf('&');
                string key = amp >= 0 && amp + 1 < label.Length ? label.Substring(amp + 1, 1).ToUpperInvariant() : label.Substring(0, 1);
                labels.Add("[" + key + "] " + label.Replace("&", ""));
                if (i == defaultChoice) defaultKey = key;
            }
            Written.Append(string.Join("  ", labels)).Append("  [?] Help (default is \"" + defaultKey + "\"): ").AppendLine(defaultKey.ToLowerInvariant());
            return defaultChoice;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
    }

    public sealed class ExampleHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly CultureInfo _uiCulture;
        public ExampleHost(string[] answers, CultureInfo uiCulture, int width) { Example = new ExampleUI(answers, width); _uiCulture = uiCulture; }
        public ExampleUI Example { get; }
        public static ExampleHost Current { get; set; }
        public override string Name => "FinCardPinExampleHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId => _id;
        public override PSHostUserInterface UI => Example;
        public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");
        public override CultureInfo CurrentUICulture => _uiCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }
}
"@

# The test's stand-in for Read-Host: a console shows the prompt and one * per digit; the value is the job's next answer.
$readHost = @'
function global:Read-Host {
    param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString, [switch] $MaskInput)
    if (-not $AsSecureString -and -not $MaskInput) { throw 'The test answers codes only, masked: an example reads a code with Read-Host -AsSecureString.' }
    if ($Prompt) { $Host.UI.Write("${Prompt}: ") }
    [FinCardPinExamples.ExampleHost]::Current.Example.NextSecret()
}
'@

# Examples write to $HOME (Export-CardDiagnostic's report): only ever a folder of the test's own, emptied per example.
if (-not $env:FINCARDPIN_EXAMPLES_HOME -or $env:FINCARDPIN_EXAMPLES_HOME -ne $HOME) {
    throw 'HOME must be the test''s own folder, named again in FINCARDPIN_EXAMPLES_HOME: run this through Examples.Tests.ps1.'
}
Import-Module $Module
$separator = [string][IO.Path]::PathSeparator
# 'Import-Module FinCardPin' and 'pwsh' in an example find the module under test and this PowerShell.
$env:PSModulePath = (Split-Path (Split-Path $Module)) + $separator + $env:PSModulePath
$env:PATH = $PSHOME + $separator + $env:PATH
$jobs = Get-Content -Raw $JobFile | ConvertFrom-Json
foreach ($job in $jobs) {
    $folder = $job.Folder
    $null = New-Item -ItemType Directory -Force -Path $folder
    # $HOME (this child's own, given by the test) starts empty for every example that writes there.
    Get-ChildItem -LiteralPath $HOME -Force | Remove-Item -Recurse -Force
    # The job's virtual cards, in reader order; none: a machine with no reader.
    $paths = @(foreach ($card in @($job.Cards)) {
            if ($null -eq $card) { continue }
            # An empty reader: a path that names no file.
            if ($card.Missing) { Join-Path $folder $card.File; continue }
            $arguments = @{ Path = (Join-Path $folder $card.File); Force = $true }
            foreach ($property in $card.PSObject.Properties) {
                switch ($property.Name) {
                    'File' { }
                    { $_ -in 'Pin1', 'Pin2', 'ActivationCode' } { $arguments[$_] = ConvertTo-SecureString $property.Value -AsPlainText -Force }
                    'NotActivated' { $arguments.NotActivated = [bool] $property.Value }
                    default { $arguments[$_] = $property.Value }
                }
            }
            $null = New-VirtualCard @arguments
            Join-Path $folder $card.File
        })
    $env:FINCARDPIN_VIRTUAL_CARDS = if ($paths.Count) { $paths -join $separator } else { $separator }
    foreach ($file in @($job.Files)) {
        if ($file) { Set-Content -Encoding utf8 -Path (Join-Path $folder $file.Name) -Value $file.Text }
    }
    foreach ($link in @($job.Links)) {
        if ($link) { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder $link.Name) -Target $link.Target }
    }

    $culture = [System.Globalization.CultureInfo]::GetCultureInfo($job.Culture)
    $exampleHost = [FinCardPinExamples.ExampleHost]::new([string[]] @($job.Answers | Where-Object { $_ }), $culture, [int] $job.Width)
    [FinCardPinExamples.ExampleHost]::Current = $exampleHost
    $runspace = [runspacefactory]::CreateRunspace($exampleHost)
    $runspace.ThreadOptions = 'ReuseThread'
    $runspace.Open()
    $steps = @()
    $failures = @()
    $pester = $null
    try {
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        $null = $shell.AddScript("[System.Threading.Thread]::CurrentThread.CurrentUICulture = '$($culture.Name)'; `$PSStyle.OutputRendering = 'PlainText'; Set-Location -LiteralPath '$folder'; Import-Module FinCardPin; $readHost").Invoke()
        $shell.Dispose()
        foreach ($step in @($job.Steps)) {
            $before = $exampleHost.Example.Written.Length
            # A program the example starts writes to this process's own stdout (a hosted runspace does not capture
            # it): the test takes what appears between these marks as the start of the step's output.
            [Console]::Out.WriteLine("@@FinCardPinExampleStep $($job.Id) $($steps.Count)")
            [Console]::Out.Flush()
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            if ($job.Form -eq 'Pester') {
                $null = $shell.AddScript("Import-Module '$PesterModule'; Invoke-Pester -Path '$(Join-Path $folder $step)' -PassThru -Output None")
            }
            else {
                # As typed at the prompt: in the session's scope, its errors and a program's output shown in turn.
                $null = $shell.AddScript(". { $step`n} 2>&1 | Out-Default")
            }
            try {
                $result = $shell.Invoke()
                if ($job.Form -eq 'Pester') {
                    $run = $result | Select-Object -Last 1
                    $pester = [pscustomobject]@{
                        Passed = $run.PassedCount; Failed = $run.FailedCount; Skipped = $run.SkippedCount; NotRun = $run.NotRunCount
                        Failures = @($run.Failed | ForEach-Object { "$($_.ExpandedPath): $($_.ErrorRecord.Exception.Message)" }) + @($run.Containers | Where-Object Result -eq 'Failed' | ForEach-Object { "$($_.Item): $($_.ErrorRecord.Exception.Message)" })
                    }
                }
                # $Error, not HadErrors: a script's 'exit 1' (a detection script's answer) is no error.
                $check = [powershell]::Create()
                $check.Runspace = $runspace
                $failures += @($check.AddScript('$Error | ForEach-Object { "error: $_" }; $Error.Clear()').Invoke() | ForEach-Object { "$_" })
                $check.Dispose()
            }
            catch {
                $failures += "stopped: $($_.Exception.Message)"
                $error0 = if ($_.Exception.InnerException -is [System.Management.Automation.IContainsErrorRecord]) { $_.Exception.InnerException.ErrorRecord } else { $_.Exception.ErrorRecord }
                $render = [powershell]::Create()
                $render.Runspace = $runspace
                $null = $render.AddCommand('Out-Default').Invoke(@($error0))
                $render.Dispose()
            }
            $shell.Dispose()
            $steps += $exampleHost.Example.Written.ToString($before, $exampleHost.Example.Written.Length - $before)
            [Console]::Out.WriteLine('@@FinCardPinExampleStepEnd')
            [Console]::Out.Flush()
        }
    }
    finally {
        $runspace.Dispose()
        Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction Ignore
    }
    [pscustomobject]@{
        Id          = $job.Id
        Steps       = $steps
        Failures    = $failures
        AnswersLeft = $exampleHost.Example.AnswersLeft
        Underflows  = $exampleHost.Example.Underflows
        PlainReads  = $exampleHost.Example.PlainReads
        Pester      = $pester
    } | ConvertTo-Json -Compress -Depth 5 | Set-Content -LiteralPath $job.Result -Encoding utf8
}
