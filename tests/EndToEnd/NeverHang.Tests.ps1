# Never a hang: every wait bounded, PowerShell's stop honoured, another program holding the card, a card that stops
# answering, waiting for a card. Real pwsh, the laid-out module, real pcscd, vpcd readers, our virtual cards, and a
# second process (OtherProgram.ps1) as the other program on the same card.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'neverhang'
    $script:Reader0 = Get-VirtualReaderName 0

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }

    # Runs $Script in a PowerShell instance of this process with the module imported; returns the instance and its handle.
    function script:Start-InInstance([string] $Script) {
        $instance = [powershell]::Create()
        $null = $instance.AddScript("Import-Module '$env:FINCARDPIN_MODULE'; $Script")
        [pscustomobject]@{ Instance = $instance; Handle = $instance.BeginInvoke() }
    }

    # Runs $Block and returns how long it took, what it wrote, and its (non-terminating) errors and warnings.
    # (The run's own $ErrorActionPreference is Stop: here errors are collected, as a script that continues sees them.)
    function script:Invoke-Timed([scriptblock] $Block) {
        $ErrorActionPreference = 'Continue'
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $all = @(& $Block 2>&1 3>&1)
        [pscustomobject]@{
            Seconds  = $watch.Elapsed.TotalSeconds
            Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })
            Errors   = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        }
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

# OtherProgram.ps1 holds the transaction from a process of its own, through pcscd.
Describe 'another program holds the card''s transaction' -Tag 'Daemon' {
    BeforeEach {
        $script:Card = New-TestCard $script:Folder 'busy' 0 @{ Serial = '9249000001'; Pin1 = '2580'; Pin2 = '147036'; ActivationCode = '31415926' }
        $script:Other = Start-OtherProgram 0
        Send-OtherProgram $script:Other 'begin'
        $script:Before = Get-CardSnapshot $script:Card
        $FinCardPinBusyTimeout = 2
    }
    AfterEach {
        Stop-OtherProgram $script:Other
        Remove-Card 0
    }

    It '<Name> gives up after $FinCardPinBusyTimeout with CardBusy, and sends nothing' -ForEach @(
        @{ Name = 'Get-CardPinStatus'; Run = { Get-CardPinStatus -ReaderName $script:Reader0 } }
        @{ Name = 'Test-CardPin'; Run = { Test-CardPin -Code Pin1 -Pin (S '2580') } }
        @{ Name = 'Set-CardPin'; Run = { Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '1357') } }
        @{ Name = 'Unlock-CardPin'; Run = { Unlock-CardPin -Code Pin1 -ActivationCode (S '31415926') -NewPin (S '1357') -Confirm:$false } }
        @{ Name = 'Export-CardDiagnostic'; Run = { Export-CardDiagnostic -Path (Join-Path $TestDrive 'busy-report.json') -ReaderName $script:Reader0 } }
    ) {
        $run = Invoke-Timed $Run

        Get-ErrorId $run.Errors | Should -Be @('CardBusy')
        $run.Errors[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $run.Errors[0].Exception.Message | Should -Match 'transaction'
        $run.Output | Should -BeNullOrEmpty
        $run.Seconds | Should -BeGreaterOrEqual 1.9
        $run.Seconds | Should -BeLessThan 4 -Because 'the bound is 2 s'
        Send-OtherProgram $script:Other 'end'
        Start-Sleep -Milliseconds 300 # the abandoned call gets the transaction now, and must send nothing
        Get-ApduSince $script:Card $script:Before | Should -BeNullOrEmpty
        Get-Content -Raw $script:Card.Path | Should -BeExactly $script:Before.State
    }

    It 'Get-CardReader lists the reader with what it knows, says the serial could not be read, and does not fail' {
        $FinCardPinBusyTimeout = 15
        $run = Invoke-Timed { Get-CardReader -Name $script:Reader0 }

        $run.Output | Should -HaveCount 1
        $run.Output[0].CardKind | Should -Be 'IdentityCard'
        $run.Output[0].Atr | Should -Not -BeNullOrEmpty
        $run.Output[0].CardSerial | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        "$($run.Warnings)" | Should -Match 'serial number .* could not be read'
        $run.Seconds | Should -BeLessThan 4 -Because 'a listing waits about 2 s for one busy card, not the 15 s of the PIN cmdlets'
    }

    It 'succeeds when the other program lets go before the bound' {
        $running = Start-InInstance "`$FinCardPinBusyTimeout = 6; Get-CardPinStatus -ReaderName '$($script:Reader0)' -Code Pin1"
        Start-Sleep -Seconds 1
        Send-OtherProgram $script:Other 'end'
        $status = $running.Instance.EndInvoke($running.Handle)

        $status.State | Should -Be 'Ready'
        $running.Instance.Streams.Error.Count | Should -Be 0
        $running.Instance.Dispose()
    }

    It 'Stop() ends a waiting cmdlet within a second, and a later call in the same process works' {
        $running = Start-InInstance "`$FinCardPinBusyTimeout = 60; Test-CardPin -Code Pin1 -Pin (ConvertTo-SecureString '2580' -AsPlainText -Force)"
        Start-Sleep -Seconds 1.5
        $running.Handle.IsCompleted | Should -BeFalse -Because 'it waits for the transaction'

        $stopped = Invoke-Timed { $running.Instance.Stop() }

        $stopped.Seconds | Should -BeLessThan 1.5
        $running.Instance.InvocationStateInfo.State | Should -Be 'Stopped'
        $running.Instance.Dispose()
        Send-OtherProgram $script:Other 'end'
        (Test-CardPin -Code Pin1 -Pin (S '2580')).Verified | Should -BeTrue
        @(Get-ApduSince $script:Card $script:Before | Where-Object { $_ -match 'redacted' }) | Should -HaveCount 1 -Because 'only the later call sent its code'
    }
}

# The card host holds the card exclusively: another process, through pcscd.
Describe 'another program uses the card exclusively' -Tag 'Daemon' {
    BeforeAll { $script:Card = New-TestCard $script:Folder 'exclusive' 0 @{ Serial = '9249000002'; Pin1 = '2580' } }
    AfterAll { Remove-Card 0 }

    It 'Get-CardPinStatus waits up to $FinCardPinBusyTimeout, then says so (ReaderInExclusiveUse)' {
        $FinCardPinBusyTimeout = 2
        Send-CardHost 'lock 0' | Out-Null
        try {
            $run = Invoke-Timed { Get-CardPinStatus -ReaderName $script:Reader0 }
        }
        finally {
            Send-CardHost 'unlock 0' | Out-Null
        }

        Get-ErrorId $run.Errors | Should -Be @('ReaderInExclusiveUse')
        $run.Errors[0].Exception.Message | Should -Match 'exclusively'
        $run.Seconds | Should -BeGreaterOrEqual 1.9
        $run.Seconds | Should -BeLessThan 4
    }
}

Describe 'a card that stops answering' {
    AfterEach { Remove-Card 0 }

    It 'in the middle of a status read: CardNotAnswering after $FinCardPinAnswerTimeout' {
        $card = New-TestCard $script:Folder 'silent-status' 0 @{ Serial = '9249000003' } -Edit { $args[0].Faults.SilentOnInstruction = 'CB' }
        $FinCardPinAnswerTimeout = 2

        $run = Invoke-Timed { Get-CardPinStatus -ReaderName $script:Reader0 }

        Get-ErrorId $run.Errors | Should -Be @('CardNotAnswering')
        $run.Errors[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $run.Seconds | Should -BeLessThan 4
        (Get-ApduLog $card.Log)[-1] | Should -Match '^00 CB .* -> \(no answer\)$'
    }

    It 'in the middle of a change: the outcome is unknown, and the card got the code once' {
        $card = New-TestCard $script:Folder 'silent-change' 0 @{ Serial = '9249000004'; Pin1 = '2580' } -Edit { $args[0].Faults.SilentOnInstruction = '24' }
        $before = Get-CardSnapshot $card
        $FinCardPinAnswerTimeout = 2

        $run = Invoke-Timed { Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '1357') }

        Get-ErrorId $run.Errors | Should -Be @('PinOutcomeUnknown')
        $run.Errors[0].Exception.Message | Should -Match 'did not answer within 2 s'
        $run.Errors[0].Exception.Message | Should -Match 'a try may have been used'
        $run.Seconds | Should -BeLessThan 4
        @(Get-ApduSince $card $before | Where-Object { $_ -match '^00 24' }) | Should -HaveCount 1
    }
}

# The card arrives while the cmdlet waits: the card host inserts it into pcscd's reader from outside.
Describe 'waiting for a card' -Tag 'Daemon' {
    It 'Get-CardReader -WaitForCard returns the card inserted while it waits, ready to pipe' {
        $path = New-CardFile -Path (Join-Path $script:Folder 'late.json') -Serial '9249000005'
        $running = Start-InInstance "Get-CardReader -WaitForCard -Timeout 20 -Name '$($script:Reader0)'"
        Start-Sleep -Seconds 2
        $running.Handle.IsCompleted | Should -BeFalse -Because 'no card is in the reader yet'

        Add-Card 0 $path
        try {
            $reader = $running.Instance.EndInvoke($running.Handle)

            $reader.Name | Should -Be $script:Reader0
            $reader.CardSerial | Should -Be '9249000005'
            ($reader | Get-CardPinStatus -Code Pin1).State | Should -Be 'Ready'
        }
        finally {
            $running.Instance.Dispose()
            Remove-Card 0
        }
    }

    It 'ends with WaitForCardTimeout when no card comes within -Timeout' {
        $run = Invoke-Timed { Get-CardReader -WaitForCard -Timeout 2 -Name $script:Reader0 }

        Get-ErrorId $run.Errors | Should -Be @('WaitForCardTimeout')
        $run.Output | Should -BeNullOrEmpty
        $run.Seconds | Should -BeGreaterOrEqual 1.9
        $run.Seconds | Should -BeLessThan 4
    }

    It 'ends at once when stopped' {
        $running = Start-InInstance "Get-CardReader -WaitForCard -Timeout 120 -Name '$($script:Reader0)'"
        Start-Sleep -Seconds 1

        $stopped = Invoke-Timed { $running.Instance.Stop() }

        $stopped.Seconds | Should -BeLessThan 1
        $running.Instance.InvocationStateInfo.State | Should -Be 'Stopped'
        $running.Instance.Dispose()
    }
}

Describe 'prompts only where a person can answer' {
    BeforeAll { $script:Card = New-TestCard $script:Folder 'job' 0 @{ Serial = '9249000006' } }
    AfterAll { Remove-Card 0 }

    It 'a background job without a code ends with PinPromptNotAvailable at once, sending nothing' {
        $before = Get-CardSnapshot $script:Card
        $module = $env:FINCARDPIN_MODULE
        $reader = $script:Reader0
        $job = Start-Job -ScriptBlock { Import-Module $using:module; Test-CardPin -Code Pin1 -ReaderName $using:reader }

        $finished = $job | Wait-Job -Timeout 60
        $finished | Should -Not -BeNullOrEmpty -Because 'the job must not sit Blocked waiting for input'
        $job.State | Should -Not -Be 'Blocked'
        $null = Receive-Job $job -ErrorVariable failures -ErrorAction SilentlyContinue
        Remove-Job $job -Force

        Get-ErrorId $failures | Should -Contain 'PinPromptNotAvailable'
        Get-ApduSince $script:Card $before | Where-Object { $_ -match 'redacted' } | Should -BeNullOrEmpty
    }
}

Describe 'every failure has a stable id' {
    BeforeAll { $script:Card = New-TestCard $script:Folder 'ids' 0 @{ Serial = '9249000007' } }
    AfterAll { Remove-Card 0 }

    It '<Command> -<Parameter> ''['' is InvalidReaderNamePattern' -ForEach @(
        @{ Command = 'Get-CardReader'; Parameter = 'Name' }
        @{ Command = 'Get-CardPinStatus'; Parameter = 'ReaderName' }
        @{ Command = 'Test-CardPin'; Parameter = 'ReaderName' }
    ) {
        $arguments = @{ $Parameter = '[' }
        if ($Command -eq 'Test-CardPin') { $arguments.Code = 'Pin1'; $arguments.Pin = (S '1234') }

        $run = Invoke-Timed { & $Command @arguments }

        Get-ErrorId $run.Errors | Should -Be @('InvalidReaderNamePattern')
    }

    It '-ReaderName ''nomatch*'' says that no reader matched' {
        $run = Invoke-Timed {
            Get-CardPinStatus -ReaderName 'nomatch*'
            Test-CardPin -Code Pin1 -Pin (S '1234') -ReaderName 'nomatch*'
        }

        Get-ErrorId $run.Errors | Should -Be @('ReaderNotFound', 'ReaderNotFound')
        $run.Errors[0].Exception.Message | Should -Match "No card reader matches 'nomatch\*'"
    }

    It 'a bound that is no number of seconds is InvalidTimeoutSetting' {
        $FinCardPinBusyTimeout = 'soon'

        { Get-CardPinStatus -ReaderName $script:Reader0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTimeoutSetting,FinCardPin.Cmdlets.GetCardPinStatusCommand'
    }

    Context 'virtual card settings' {
        BeforeAll { $script:Saved = $env:FINCARDPIN_VIRTUAL_CARDS }
        AfterEach { $env:FINCARDPIN_VIRTUAL_CARDS = $script:Saved }

        It 'a card file that is <Kind> is VirtualCardFileInvalid, at once' -ForEach @(
            @{ Kind = 'empty'; Make = { param($p) Set-Content -Path $p -Value $null -NoNewline } }
            @{ Kind = 'corrupt JSON'; Make = { param($p) Set-Content -Path $p -Value '{ "Profile": ' } }
            @{ Kind = 'binary'; Make = { param($p) [IO.File]::WriteAllBytes($p, [byte[]](0..255)) } }
            @{ Kind = 'of an unknown profile'; Make = { param($p) Set-Content -Path $p -Value '{"Profile":"NoSuchCard","Variant":"Organisation","Serial":"1","T0":false}' } }
            @{ Kind = 'a FIFO'; Make = { param($p) & mkfifo $p } }
        ) {
            $path = Join-Path $script:Folder ("bad-" + [guid]::NewGuid().ToString('N') + '.json')
            & $Make $path
            $env:FINCARDPIN_VIRTUAL_CARDS = $path

            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Get-CardReader } | Should -Throw -ErrorId 'VirtualCardFileInvalid,FinCardPin.Cmdlets.GetCardReaderCommand'

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5 -Because 'a FIFO must not be read (it would wait for a writer for ever)'
        }

        It 'FINCARDPIN_VIRTUAL_CARDS naming no file is a machine without readers: no output, no raw exception' {
            $env:FINCARDPIN_VIRTUAL_CARDS = [IO.Path]::PathSeparator

            $run = Invoke-Timed { Get-CardReader; Get-CardPinStatus }

            $run.Output | Should -BeNullOrEmpty
            Get-ErrorId $run.Errors | Should -Be @('NoFineidCard')
        }
    }
}

Describe 'fewer round trips in the pipeline' {
    AfterEach { Remove-Card 0 }

    # Only the reader object Get-CardReader wrote in this process, through the same PC/SC service, spares the read:
    # in process every call has readers of its own, whose counts start again like a restarted service's, so the
    # serial is read there again (the next test, and OneCodeOneCard.Tests.ps1, show a count is no proof).
    It 'Get-CardReader | Get-CardPinStatus reads the serial once per card: the event counter shows the same card' -Tag 'Daemon' {
        $card = New-TestCard $script:Folder 'pipe' 0 @{ Serial = '9249000008' }
        $before = Get-CardSnapshot $card

        $statuses = Get-CardReader -Name $script:Reader0 | Get-CardPinStatus

        $statuses | Should -HaveCount 3
        $statuses[0].CardSerial | Should -Be '9249000008'
        $sent = Get-ApduCommand (Get-ApduSince $card $before)
        @($sent | Where-Object { $_ -eq '00 B0 00 00 00' }) | Should -HaveCount 1 -Because 'Get-CardPinStatus trusts the unchanged event counter'
        $sent.Count | Should -Be 7 -Because '3 APDUs to list (SELECT, serial 2), 4 for the status (SELECT, 3 GET DATA)'
    }

    # The reader's event counter, which only pcscd keeps between two calls.
    It 'a card swapped between the two calls changes the counter: its serial is read and the swap refused (CardChanged)' -Tag 'Daemon' {
        $first = New-TestCard $script:Folder 'swap-a' 0 @{ Serial = '9249000009' }
        $listed = Get-CardReader -Name $script:Reader0
        Remove-Card 0
        $second = New-TestCard $script:Folder 'swap-b' 0 @{ Serial = '9249000010' }
        $before = Get-CardSnapshot $second

        $run = Invoke-Timed { $listed | Get-CardPinStatus }

        $run.Output | Should -BeNullOrEmpty
        Get-ErrorId $run.Errors | Should -Be @('CardChanged')
        Get-ApduCommand (Get-ApduSince $second $before) | Should -Contain '00 B0 00 00 00'
    }
}
