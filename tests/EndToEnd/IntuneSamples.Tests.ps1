# The Intune samples (samples/Intune) run as Intune runs them: a new pwsh, the module found on PSModulePath, no
# input. Each situation: the exit code, the last line and its length, and nothing on stderr.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'intune'
    $script:Samples = Join-Path $PSScriptRoot '../../samples/Intune'
    $script:ModuleRoot = Split-Path (Split-Path $env:FINCARDPIN_MODULE)

    function script:Invoke-Sample([string] $Name, [hashtable] $Environment = @{}, [switch] $WithoutModule) {
        $paths = @($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -and (Resolve-Path $_ -ErrorAction SilentlyContinue).Path -ne $script:ModuleRoot })
        if (-not $WithoutModule) { $paths = @($script:ModuleRoot) + $paths }
        # Plain text, as Intune's console-less run has; no notice file unless the test names one.
        $variables = @{ FINCARDPIN_NOTICE_FILE = $null; PSModulePath = $paths -join [IO.Path]::PathSeparator; NO_COLOR = '1' }
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        $child = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', (Join-Path $script:Samples $Name) -Environment $variables -ThrowOnTimeout
        [pscustomobject]@{ ExitCode = $child.ExitCode; Lines = $child.Lines; Last = $child.Lines[-1]; StdErr = $child.Errors }
    }

    function script:Assert-Outcome($Result, [string] $Outcome, [int] $ExitCode) {
        $Result.StdErr | Should -BeNullOrEmpty
        $Result.Lines.Count | Should -Be 1 -Because 'one summary line, nothing else'
        $Result.Last | Should -BeLike "FinCardPin ${Outcome}: *"
        $Result.Last.Length | Should -BeLessOrEqual 2048
        $Result.ExitCode | Should -Be $ExitCode
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'Intune detection and remediation' {
    AfterEach {
        Remove-Card 0
        Remove-Card 1
    }

    It 'no card reader: NoReader, exit 0 (<Sample>)' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        # Virtual readers, none of them: pcscd with vpcd always lists its two readers.
        $result = Invoke-Sample $Sample @{ FINCARDPIN_VIRTUAL_CARDS = [string][IO.Path]::PathSeparator }
        Assert-Outcome $result 'NoReader' 0
    }

    # pcsc-lite's socket missing: the daemon tier's PC/SC only.
    It 'smart card service not running: ServiceNotRunning, exit 0 (<Sample>)' -Tag 'Daemon' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        $result = Invoke-Sample $Sample @{ PCSCLITE_CSOCK_NAME = '/nonexistent/pcscd.comm' }
        Assert-Outcome $result 'ServiceNotRunning' 0
    }

    It 'readers without a card: NoCard, exit 0 (<Sample>)' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        $result = Invoke-Sample $Sample
        Assert-Outcome $result 'NoCard' 0
        $result.Last | Should -Match 'No FINEID card in the 2 card reader'
    }

    # The card host holds the card: another process, through pcscd.
    It 'a card held by another program: CardBusy, exit 0 (<Sample>)' -Tag 'Daemon' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        New-TestCard $script:Folder "busy-$Sample" 0 @{ Serial = '9246500001' } -Edit { $args[0].Pin2.TriesLeft = 0 } | Out-Null
        Send-CardHost 'lock 0' | Out-Null
        try {
            $result = Invoke-Sample $Sample
        }
        finally { Send-CardHost 'unlock 0' | Out-Null }
        Assert-Outcome $result 'CardBusy' 0
    }

    It 'every code ready: OK, exit 0; the remediation has nothing to do' {
        New-TestCard $script:Folder 'ready' 0 @{ Serial = '9246500002' } | Out-Null
        Assert-Outcome (Invoke-Sample 'Detect-FinCardPin.ps1') 'OK' 0
        Assert-Outcome (Invoke-Sample 'Remediate-FinCardPin.ps1') 'NothingToDo' 0
    }

    It 'a blocked PIN2 and a not-activated card: Attention, exit 1, each code with the command to run' {
        $blocked = New-TestCard $script:Folder 'blocked' 0 @{ Serial = '9246500003' } -Edit { $args[0].Pin2.TriesLeft = 0 }
        $unactivated = New-TestCard $script:Folder 'unactivated' 1 @{ Serial = '9246500004'; UnactivatedCode = '87654321' }
        $before = Get-CardSnapshot $blocked

        $result = Invoke-Sample 'Detect-FinCardPin.ps1'

        Assert-Outcome $result 'Attention' 1
        $result.Last | Should -Match '^FinCardPin Attention: 3 code\(s\) need attention: '
        # Two cards: each command names its reader, or it would stop at MultipleFineidCards.
        $result.Last | Should -Match ([regex]::Escape("card 9246500003 signature code (PIN2) Blocked (Unlock-CardPin -Code Pin2 -ReaderName '$($blocked.Reader)')"))
        $result.Last | Should -Match ([regex]::Escape("card 9246500004 basic code (PIN1) NotActivated (Unlock-CardPin -Code Pin1 -ReaderName '$($unactivated.Reader)')"))
        Get-ApduSince $blocked $before | Where-Object { $_ -match '^00 2[0C4] ' } | Should -BeNullOrEmpty -Because 'status reads send no code'
    }

    It 'two cards, the second blocked: Attention, exit 1, both cards named' {
        New-TestCard $script:Folder 'first-ready' 0 @{ Serial = '9246500011' } | Out-Null
        $second = New-TestCard $script:Folder 'second-blocked' 1 @{ Serial = '9246500012' } -Edit { $args[0].Pin2.TriesLeft = 0 }

        $result = Invoke-Sample 'Detect-FinCardPin.ps1'

        Assert-Outcome $result 'Attention' 1
        $result.Last | Should -Match 'card 9246500011 every code ready'
        $result.Last | Should -Match ([regex]::Escape("card 9246500012 signature code (PIN2) Blocked (Unlock-CardPin -Code Pin2 -ReaderName '$($second.Reader)')"))
    }

    It 'an error on the first card: the second is still read, Error, exit 1' {
        # Every SELECT (INS A4) answered 6F00: the first card, a FINEID card by its ATR, cannot be read at all.
        $failing = New-TestCard $script:Folder 'first-failing' 0 @{ Serial = '9246500013' } -Edit {
            $args[0].Faults.AnswerInstruction = 'A4'
            $args[0].Faults.AnswerStatusWord = '6F00'
        }
        New-TestCard $script:Folder 'second-ready' 1 @{ Serial = '9246500014' } | Out-Null

        $result = Invoke-Sample 'Detect-FinCardPin.ps1'

        Assert-Outcome $result 'Error' 1
        $result.Last | Should -Match "the card in reader '$([regex]::Escape($failing.Reader))' [A-Za-z]+: "
        $result.Last | Should -Match 'card 9246500014 every code ready'
    }

    It 'a card whose serial is not a FINEID serial: read as unknown, never in the line or the notice' {
        $crafted = '92" & msg * "Call 555" ' + ('X' * 177)
        $crafted.Length | Should -Be 200
        # Written into the card file as it is: the card model's own constructors take digits only.
        $card = New-TestCard $script:Folder 'crafted' 0 @{ Serial = '9246500015' } -Edit {
            $args[0].Serial = $crafted
            $args[0].Pin2.TriesLeft = 0
        }.GetNewClosure()
        $notice = Join-Path $script:Folder 'crafted-notice.txt'

        $reader = Get-CardReader -Name $card.Reader -WarningVariable warnings -WarningAction SilentlyContinue
        $detect = Invoke-Sample 'Detect-FinCardPin.ps1'
        $remedy = Invoke-Sample 'Remediate-FinCardPin.ps1' @{ FINCARDPIN_NOTICE_FILE = $notice }

        $reader.CardSerial | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'not one as FINEID cards hold'
        Assert-Outcome $detect 'Attention' 1
        $detect.Last | Should -Match "the card in reader '$([regex]::Escape($card.Reader))' signature code \(PIN2\) Blocked"
        Assert-Outcome $remedy 'Notified' 0
        $text = Get-Content -Raw $notice
        $text | Should -Match 'The signature code \(PIN2\) of your certificate card is blocked\.'
        foreach ($shown in $detect.Last, $remedy.Last, $text, "$warnings") {
            $shown | Should -Not -Match 'msg|555|XXXX|"'
        }
    }

    It 'the remediation tells the user each code and the DVV''s next step, without any code: Notified, exit 0' {
        New-TestCard $script:Folder 'notify' 0 @{ Serial = '9246500005'; Pin2 = '918273' } -Edit { $args[0].Pin2.TriesLeft = 0 } | Out-Null
        $notice = Join-Path $script:Folder 'notice.txt'

        $result = Invoke-Sample 'Remediate-FinCardPin.ps1' @{ FINCARDPIN_NOTICE_FILE = $notice }

        Assert-Outcome $result 'Notified' 0
        $result.Last | Should -Match 'card 9246500005 signature code \(PIN2\) Blocked'
        $text = Get-Content -Raw $notice
        $text | Should -Match 'The signature code \(PIN2\) of your certificate card 9246500005 is blocked\.'
        $text | Should -Match ([regex]::Escape((Get-InternalType FinCardPin.Localization.Texts)::Format('Notice.Step.Unblock', (Get-InternalType FinCardPin.Localization.Texts)::Facts(), [cultureinfo]::InvariantCulture)))
        $text | Should -Not -Match '918273|12345678'
    }

    # The holder reads the notice (issue 22 item 7): one language, the session's, and a step a holder can take (the
    # card reader software, or the organisation's IT) — no cmdlet; the command stays in the detection line for the admin.
    It 'words the notice in <Culture> only, with a step for the holder and no cmdlet; detection keeps the command' -ForEach @(
        @{ Culture = 'en-US'; Lang = 'en_US.UTF-8'; Step = 'card reader software \(DigiSign Client\)'; Support = 'IT support'; Foreign = '\b(lukittu|tunnusluku|aktivointi|kortti|låst|koden|kortet)\b' }
        @{ Culture = 'fi-FI'; Lang = 'fi_FI.UTF-8'; Step = 'kortinlukijaohjelmistolla \(DigiSign Client\)'; Support = 'IT-tuki'; Foreign = '\b(the|of|is|your|card|blocked|activated|code|låst|koden|kortet)\b' }
        @{ Culture = 'sv-SE'; Lang = 'sv_SE.UTF-8'; Step = 'kortläsarprogrammet \(DigiSign Client\)'; Support = 'IT-stöd'; Foreign = '\b(the|of|is|your|card|blocked|activated|code|lukittu|tunnusluku|kortti)\b' }
    ) {
        $blocked = New-TestCard $script:Folder "holder-blocked-$Culture" 0 @{ Serial = '9246500021' } -Edit { $args[0].Pin2.TriesLeft = 0 }
        $new2026 = New-TestCard $script:Folder "holder-2026-$Culture" 1 @{ Serial = '9246500022'; Unactivated2026Code = '7654321' }
        $notice = Join-Path $script:Folder "holder-notice-$Culture.txt"
        $language = @{ LANG = $Lang; LC_ALL = $Lang }

        $remedy = Invoke-Sample 'Remediate-FinCardPin.ps1' ($language + @{ FINCARDPIN_NOTICE_FILE = $notice })
        $detect = Invoke-Sample 'Detect-FinCardPin.ps1' $language

        Assert-Outcome $remedy 'Notified' 0
        $text = Get-Content -Raw $notice
        $text | Should -Not -Match 'CardPin|-Code|-ReaderName|Get-|Set-|Unlock-' -Because 'a holder is not told to run cmdlets (before: "Avaa lukitus komennolla Unlock-CardPin")'
        $text | Should -Not -Match $Foreign -Because "the notice is in $Culture only"
        ([regex]::Matches($text, $Step)).Count | Should -BeGreaterOrEqual 3 -Because 'each of the three codes needing attention has its step'
        $text | Should -Match $Support
        $text | Should -Match '9246500021'
        $text | Should -Match '9246500022'
        $detect.Last | Should -Match ([regex]::Escape("(Unlock-CardPin -Code Pin2 -ReaderName '$($blocked.Reader)')"))
        $detect.Last | Should -Match ([regex]::Escape("(Set-CardPin -Code Pin1 -ReaderName '$($new2026.Reader)')"))
    }

    It 'the remediation with no way to reach the user: NotNotified, exit 1' {
        New-TestCard $script:Folder 'unreachable' 0 @{ Serial = '9246500006' } -Edit { $args[0].Pin1.TriesLeft = 0 } | Out-Null
        if ($IsWindows) { Set-ItResult -Skipped -Because 'on Windows the toast or msg.exe may reach a user' }
        Assert-Outcome (Invoke-Sample 'Remediate-FinCardPin.ps1') 'NotNotified' 1
    }

    It 'the module not installed: ModuleMissing, exit 0 (<Sample>)' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        Assert-Outcome (Invoke-Sample $Sample -WithoutModule) 'ModuleMissing' 0
    }

    It 'quotes msg.exe''s message as the C runtime splits it, in every PowerShell: <Name>' -ForEach @(
        @{ Name = 'plain'; Text = 'Your certificate card needs attention' }
        @{ Name = 'quotes'; Text = 'a "quoted" word and " alone' }
        @{ Name = 'backslashes'; Text = 'C:\path\ and \\"x\" and end\' }
        @{ Name = 'lines'; Text = "two`n`nparagraphs /TIME:1 *" }
        @{ Name = 'empty'; Text = '' }
    ) {
        # .NET splits ProcessStartInfo.Arguments by the same rules on Linux as the C runtime does on Windows.
        $remediate = Get-Content -Raw (Join-Path $script:Samples 'Remediate-FinCardPin.ps1')
        $quote = [regex]::Match($remediate, '(?ms)^function ConvertTo-CommandLineArgument.+?^}').Value
        $quote | Should -Not -BeNullOrEmpty
        . ([scriptblock]::Create($quote))
        $echo = Join-Path $script:Folder 'echo-argument.ps1'
        Set-Content -Path $echo -Value '[Console]::Out.Write(($args | ForEach-Object { "<$_>" }) -join "")'
        $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        $start.Arguments = "-NoProfile -File `"$echo`" 1 /TIME:3600 " + (ConvertTo-CommandLineArgument $Text)
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $child = [System.Diagnostics.Process]::Start($start)
        $seen = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit(30000) | Should -BeTrue
        $seen | Should -BeExactly "<1></TIME:3600><$Text>"
    }

    It 'msg.exe failing with stderr under ErrorActionPreference Stop: not delivered, nothing on stderr' {
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the stand-in for msg.exe is a shell script' }
        $fake = Join-Path $script:Folder 'fake-msg.sh'
        Set-Content -Path $fake -Value "#!/bin/sh`necho 'Error 5 getting session names' >&2`nexit 1"
        chmod +x $fake
        $remediate = Join-Path $script:Samples 'Remediate-FinCardPin.ps1'
        $script = @"
`$ErrorActionPreference = 'Stop'
`$text = Get-Content -Raw '$remediate'
foreach (`$name in 'ConvertTo-CommandLineArgument', 'Send-SessionMessage') {
    . ([scriptblock]::Create([regex]::Match(`$text, "(?ms)^function `$name.+?^}").Value))
}
[Console]::Out.Write((Send-SessionMessage '$fake' 1 3600 'a "message"'))
"@
        $child = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -ThrowOnTimeout
        $child.Errors | Should -BeNullOrEmpty
        $child.Output | Should -BeExactly 'False'
        $child.ExitCode | Should -Be 0
    }

    It 'cuts a very long summary to 2,048 characters' {
        # Two cards with every code needing attention and long names would still be short; the limit is checked
        # on the script's own cut: call its Complete function with a long text.
        $detect = Get-Content -Raw (Join-Path $script:Samples 'Detect-FinCardPin.ps1')
        $complete = [regex]::Match($detect, '(?ms)^function Complete.+?^}').Value
        $complete | Should -Not -BeNullOrEmpty
        $line = pwsh -NoProfile -NonInteractive -Command "$complete; Complete 'Attention' ('x' * 5000) 1"
        $LASTEXITCODE | Should -Be 1
        $line.Length | Should -Be 2048
        $line | Should -Match '\.\.\.$'
    }
}
