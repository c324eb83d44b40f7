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
        New-TestCard $script:Folder 'unactivated' 1 @{ Serial = '9246500004'; UnactivatedCode = '87654321' } | Out-Null
        $before = Get-CardSnapshot $blocked

        $result = Invoke-Sample 'Detect-FinCardPin.ps1'

        Assert-Outcome $result 'Attention' 1
        $result.Last | Should -Match '^FinCardPin Attention: 3 code\(s\) need attention: '
        # Two cards: each command names its reader, so that it works as pasted.
        $result.Last | Should -Match ('card 9246500003 signature code \(PIN2\) Blocked \(Unlock-CardPin -Code Pin2 -ReaderName ' + [regex]::Escape("'$(Get-VirtualReaderName 0)'") + '\)')
        $result.Last | Should -Match ('card 9246500004 basic code \(PIN1\) NotActivated \(Unlock-CardPin -Code Pin1 -ReaderName ' + [regex]::Escape("'$(Get-VirtualReaderName 1)'") + '\)')
        Get-ApduSince $blocked $before | Where-Object { $_ -match '^00 2[0C4] ' } | Should -BeNullOrEmpty -Because 'status reads send no code'
    }

    It 'the remediation tells the user each code and the DVV''s next step, without any code: Notified, exit 0' {
        New-TestCard $script:Folder 'notify' 0 @{ Serial = '9246500005'; Pin2 = '918273' } -Edit { $args[0].Pin2.TriesLeft = 0 } | Out-Null
        $notice = Join-Path $script:Folder 'notice.txt'

        $result = Invoke-Sample 'Remediate-FinCardPin.ps1' @{ FINCARDPIN_NOTICE_FILE = $notice }

        Assert-Outcome $result 'Notified' 0
        $result.Last | Should -Match 'card 9246500005 signature code \(PIN2\) Blocked'
        $text = Get-Content -Raw $notice
        $text | Should -Match 'The signature code \(PIN2\) of your certificate card 9246500005 is blocked\.'
        $text | Should -Match ([regex]::Escape([FinCardPin.Localization.Texts]::Get('Advice.Unblock')))
        $text | Should -Not -Match '918273|12345678'
    }

    It 'the remediation with no way to reach the user: NotNotified, exit 1' {
        New-TestCard $script:Folder 'unreachable' 0 @{ Serial = '9246500006' } -Edit { $args[0].Pin1.TriesLeft = 0 } | Out-Null
        if ($IsWindows) { Set-ItResult -Skipped -Because 'on Windows the toast or msg.exe may reach a user' }
        Assert-Outcome (Invoke-Sample 'Remediate-FinCardPin.ps1') 'NotNotified' 1
    }

    It 'the module not installed: ModuleMissing, exit 0 (<Sample>)' -ForEach @(@{ Sample = 'Detect-FinCardPin.ps1' }, @{ Sample = 'Remediate-FinCardPin.ps1' }) {
        Assert-Outcome (Invoke-Sample $Sample -WithoutModule) 'ModuleMissing' 0
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
