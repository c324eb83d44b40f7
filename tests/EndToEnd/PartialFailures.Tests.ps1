# What a call says when part of it failed, and what virtual cards promise (issue 19, items 6-9): a redacted report
# holds nothing personal whatever failed; once the card accepted a change the call says so; a stop during the
# diagnostics' reader selection ends it; virtual card files are their owner's only, the PIN cmdlets say when virtual
# readers are in use, and Use-VirtualCard applies to its own runspace only.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'partial'
    $script:Label = 'Maija Meikäläinen'
    $script:VirtualWarning = 'virtual test readers'

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }

    # Every form a value could take in a report: itself, the hex of its UTF-8 / UTF-16 bytes (any case, spaced or not),
    # and base64 at each alignment (only the characters its own bytes decide).
    function script:Get-ValueForm([string] $Value) {
        $Value
        foreach ($encoding in [Text.Encoding]::UTF8, [Text.Encoding]::Unicode, [Text.Encoding]::BigEndianUnicode) {
            $bytes = $encoding.GetBytes($Value)
            ($bytes | ForEach-Object { $_.ToString('X2') }) -join ' '
            foreach ($shift in 0, 1, 2) {
                $padded = [byte[]](@(0) * $shift + $bytes)
                $encoded = [Convert]::ToBase64String($padded)
                $first = [int][Math]::Floor(($shift * 4 + 2) / 3)
                $last = [int][Math]::Floor($padded.Length / 3) * 4
                if ($last - $first -ge 4) { $encoded.Substring($first, $last - $first) }
            }
        }
    }

    # Fails when the file holds any of the values in any form: read as UTF-8 text (and without spaces), and as UTF-16.
    function script:Assert-NothingPersonal([string] $Path, [string[]] $Values) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $texts = @([Text.Encoding]::UTF8.GetString($bytes), [Text.Encoding]::Unicode.GetString($bytes), [Text.Encoding]::BigEndianUnicode.GetString($bytes))
        $texts += $texts[0] -replace ' ', ''
        foreach ($value in $Values) {
            foreach ($form in Get-ValueForm $value) {
                foreach ($text in $texts) {
                    foreach ($candidate in $form, ($form -replace ' ', '')) {
                        $text.IndexOf($candidate, [StringComparison]::OrdinalIgnoreCase) | Should -Be -1 -Because "the report must not hold '$value' (as '$candidate')"
                    }
                }
            }
        }
    }

    # Runs $Block and returns what it wrote: output, errors and warnings apart.
    function script:Invoke-Collected([scriptblock] $Block) {
        $ErrorActionPreference = 'Continue'
        $all = @(& $Block 2>&1 3>&1)
        [pscustomobject]@{
            Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })
            Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -notmatch $script:VirtualWarning })
        }
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'a redacted report holds nothing personal, whatever failed' {
    AfterEach { Remove-Card 0 }

    It 'EF.TokenInfo''s read failing after its first piece (<Mode>): neither serial nor label in any encoding' -ForEach @(
        @{ Mode = 'Remove' }, @{ Mode = 'NoStatusWord' }, @{ Mode = 'TooLong' }
    ) {
        # Thales 2025: EF.TokenInfo takes two READ BINARYs; every command after the first fails.
        $card = New-TestCard $script:Folder "report-$Mode" 0 @{ Serial = '9249300001'; CardProfile = 'IdentityThales2025' } -Edit {
            $args[0].TokenLabel = $script:Label
            $args[0].Faults.FailAfterInstruction = 'B0'
            $args[0].Faults.FailAfterMode = $Mode
        }
        $path = Join-Path $script:Folder "report-$Mode-report.json"
        # Through pcscd the card was already read once when it was inserted: count the report's own reads only.
        $before = Get-CardSnapshot $card

        $summary = Export-CardDiagnostic -Path $path -ReaderName $card.Reader

        $summary.Redacted | Should -BeTrue
        "$($summary.Notes)" | Should -Match 'Stopped while trying to read EF.TokenInfo'
        @(Get-ApduSince $card $before | Where-Object { $_ -match '^00 B0 00 00' }) | Should -HaveCount 1 -Because 'the first piece was answered'
        Assert-NothingPersonal $path '9249300001', $script:Label
    }

    It 'a whole EF.TokenInfo: the report keeps its harmless fields only' {
        $card = New-TestCard $script:Folder 'report-whole' 0 @{ Serial = '9249300002'; CardProfile = 'IdentityThales2025' } -Edit { $args[0].TokenLabel = $script:Label }
        $path = Join-Path $script:Folder 'report-whole-report.json'

        $summary = Export-CardDiagnostic -Path $path -ReaderName $card.Reader

        $summary.Redacted | Should -BeTrue
        $summary.PinRulesFromCard | Should -BeTrue
        Assert-NothingPersonal $path '9249300002', $script:Label
    }
}

Describe 'the card''s word wins' {
    AfterEach { Remove-Card 0 }

    It 'Set-CardPin -PassThru whose status read fails after the CHANGE went through (<Mode>): the change is reported, as a warning' -ForEach @(
        @{ Mode = 'Silent' }, @{ Mode = 'Remove' }
    ) {
        $card = New-TestCard $script:Folder "changed-$Mode" 0 @{ Serial = '9249300011'; Pin1 = '2580' } -Edit {
            $args[0].Faults.FailAfterInstruction = '24'
            $args[0].Faults.FailAfterMode = $Mode
        }
        $before = Get-CardSnapshot $card
        $FinCardPinAnswerTimeout = 2

        $run = Invoke-Collected { Set-CardPin -ReaderName $card.Reader -Code Pin1 -CurrentPin (S '2580') -NewPin (S '4826') -PassThru }

        $run.Errors | Should -BeNullOrEmpty -Because 'the card accepted the change'
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0].Message | Should -Match 'WAS changed'
        $run.Warnings[0].Message | Should -Not -Match '4826|2580'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '4826'
        @(Get-ApduSince $card $before | Where-Object { $_ -match '^00 24' }) | Should -HaveCount 1
    }

    It 'Unlock-CardPin -PassThru whose status read fails after the unblock went through: the unblock is reported, as a warning' {
        $card = New-TestCard $script:Folder 'unblocked' 0 @{ Serial = '9249300012' } -Edit {
            $args[0].Pin1.TriesLeft = 0
            $args[0].Faults.FailAfterInstruction = '2C'
        }
        $FinCardPinAnswerTimeout = 2

        $run = Invoke-Collected { Unlock-CardPin -ReaderName $card.Reader -Code Pin1 -ActivationCode (S '12345678') -NewPin (S '5927') -PassThru -Confirm:$false }

        $run.Errors | Should -BeNullOrEmpty
        $run.Warnings | Should -HaveCount 1
        $run.Warnings[0].Message | Should -Match 'WAS unblocked'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '5927'
    }
}

Describe 'Export-CardDiagnostic chooses its reader bounded and stoppable' {
    It 'a malformed reader pattern is InvalidReaderNamePattern, not a raw exception' {
        $run = Invoke-Collected { Export-CardDiagnostic -Path (Join-Path $script:Folder 'never.json') -ReaderName '[' }

        Get-ErrorId $run.Errors | Should -Be @('InvalidReaderNamePattern')
        Test-Path (Join-Path $script:Folder 'never.json') | Should -BeFalse
    }

    # Only the in-process readers can hang a state query (pcscd asks its own driver, which the test cannot hang).
    It 'Stop() ends it within a second while a reader''s state does not come' -Skip:($env:FINCARDPIN_TEST_TIER -ne 'InProcess') {
        $null = New-TestCard $script:Folder 'hanging-reader' 1 @{ Serial = '9249300021' } -Edit { $args[0].Faults.SilentReaderState = $true }
        try {
            $instance = [powershell]::Create()
            $null = $instance.AddScript("Import-Module '$env:FINCARDPIN_MODULE'; Export-CardDiagnostic -Path '$(Join-Path $script:Folder 'stopped.json')'")
            $handle = $instance.BeginInvoke()
            Start-Sleep -Seconds 1.5
            $handle.IsCompleted | Should -BeFalse -Because 'the reader''s state does not come'

            $watch = [Diagnostics.Stopwatch]::StartNew()
            $stopping = $instance.BeginStop($null, $null)
            $stopped = $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(3))

            $stopped | Should -BeTrue -Because 'Ctrl+C must stop the reader selection'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1.5
            $instance.InvocationStateInfo.State | Should -Be 'Stopped'
            if ($stopped) { $instance.Dispose() }
        }
        finally {
            Remove-Card 1
        }
    }
}

Describe 'virtual cards' {
    It 'New-VirtualCard writes a file only its owner can read, and it stays so after a change' -Skip:(-not $IsLinux) {
        $path = Join-Path $script:Folder 'owner-only.json'
        New-VirtualCard -Path $path -Pin1 (S '4826') -Pin2 (S '591738') -ActivationCode (S '28461937') | Out-Null
        (Get-Item $path).UnixMode | Should -Be '-rw-------'

        Use-VirtualCard -Path $path { Set-CardPin -Code Pin1 -CurrentPin (S '4826') -NewPin (S '3917') -WarningAction SilentlyContinue }

        (Get-Item $path).UnixMode | Should -Be '-rw-------'
        (Read-CardFile $path).Pin1.Value | Should -Be '3917'
    }

    It 'the PIN cmdlets warn once when virtual readers are in use, before the code is asked for; a status read does not' {
        $path = Join-Path $script:Folder 'warned.json'
        New-VirtualCard -Path $path -Pin1 (S '4826') -Pin2 (S '591738') -ActivationCode (S '28461937') | Out-Null

        $warnings = Use-VirtualCard -Path $path {
            Test-CardPin -Code Pin1 -Pin (S '4826') -WarningVariable tested 3>$null | Out-Null
            Set-CardPin -Code Pin2 -CurrentPin (S '591738') -NewPin (S '48261937') -WarningVariable changed 3>$null
            Get-CardPinStatus -WarningVariable status 3>$null | Out-Null
            [pscustomobject]@{ Tested = @($tested); Changed = @($changed); Status = @($status) }
        }

        $warnings.Tested | Should -HaveCount 1
        $warnings.Tested[0].Message | Should -Match $script:VirtualWarning
        @($warnings.Changed | Where-Object Message -Match $script:VirtualWarning) | Should -HaveCount 1
        $warnings.Status | Should -BeNullOrEmpty
    }

    It 'the PIN cmdlets do not warn on the real readers' -Tag 'Daemon' {
        $card = New-TestCard $script:Folder 'real-reader' 0 @{ Serial = '9249300031'; Pin1 = '2580' }
        try {
            Test-CardPin -ReaderName $card.Reader -Code Pin1 -Pin (S '2580') -WarningVariable warnings 3>$null | Out-Null
            $warnings | Should -BeNullOrEmpty
        }
        finally {
            Remove-Card 0
        }
    }

    It 'Use-VirtualCard applies to its own runspace: another runspace running at the same time keeps its readers' {
        $path = Join-Path $script:Folder 'scoped.json'
        New-VirtualCard -Path $path -Pin1 (S '4826') -Pin2 (S '591738') -ActivationCode (S '28461937') -Serial 9249300041 | Out-Null
        $outside = @(Get-CardReader -WarningAction SilentlyContinue | ForEach-Object Name)
        $inside = [Threading.ManualResetEventSlim]::new($false)
        $checked = [Threading.ManualResetEventSlim]::new($false)
        $module = $env:FINCARDPIN_MODULE

        $seen = 1, 2 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:module
            $inside = $using:inside
            $checked = $using:checked
            if ($_ -eq 1) {
                Use-VirtualCard -Path $using:path {
                    $inside.Set()
                    $null = $checked.Wait([TimeSpan]::FromSeconds(30))
                    [pscustomobject]@{ Who = 'scoped'; Readers = @(Get-CardReader | ForEach-Object Name); Serials = @(Get-CardReader | ForEach-Object CardSerial) }
                }
            }
            else {
                try {
                    $null = $inside.Wait([TimeSpan]::FromSeconds(30))
                    [pscustomobject]@{ Who = 'other'; Readers = @(Get-CardReader -WarningAction SilentlyContinue | ForEach-Object Name); Serials = @(Get-CardReader -WarningAction SilentlyContinue | ForEach-Object CardSerial) }
                }
                finally {
                    $checked.Set()
                }
            }
        }

        $other = $seen | Where-Object Who -EQ 'other'
        $scoped = $seen | Where-Object Who -EQ 'scoped'
        $scoped.Serials | Should -Be @('9249300041')
        $other.Serials | Should -Not -Contain '9249300041'
        $other.Readers | Should -Be $outside
        $env:FINCARDPIN_VIRTUAL_CARDS | Should -Not -Match 'scoped\.json' -Because 'the block has ended'
    }
}
