# One code, one card: every code reaches exactly the card the user chose, whatever the reader is called. Reader names
# as real readers have them (in process reader 0 is named as pcsc-lite names a CCID reader, brackets and all), the
# card's own serial read before any code, one code parameter for one card, typed digits never repeated, and the
# new-code memory by card serial. What reached each card is read from its own APDU log, what it holds from its file.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'onecard'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }

    # Runs a test case's script block: what it wrote, and its error records apart.
    # (The runner stops at the first error; a refusal here is a record to look at, the next object still handled.)
    function script:Invoke-Case([scriptblock] $Run, $Argument) {
        $ErrorActionPreference = 'Continue'
        $all = @(& $Run $Argument 2>&1)
        [pscustomobject]@{
            Output   = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
            Failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
    }

    # A pattern that matches reader 0 only: its name escaped, the last character as a [set].
    function script:Get-Reader0Pattern {
        [WildcardPattern]::Escape($script:Reader0.Substring(0, $script:Reader0.Length - 1)) + '[' + $script:Reader0[-1] + ']'
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'any reader name works' {
    # A FINEID card in each reader: a name that selected nothing, or both, would be refused (MultipleFineidCards).
    BeforeEach {
        $script:Card = New-TestCard $script:Folder 'name-a' 0 @{ Serial = '9251000001' }
        $script:Other = New-TestCard $script:Folder 'name-b' 1 @{ Serial = '9251000002' }
        $script:OtherBefore = Get-CardSnapshot $script:Other
    }
    AfterEach {
        Remove-Card 0
        Remove-Card 1
    }

    It 'in process, reader 0 is named as pcsc-lite names a CCID reader and reader 1 as Windows names a reader' {
        if ((Get-TestTier) -ne 'InProcess') { Set-ItResult -Skipped -Because 'the daemon tier''s reader names are pcscd''s' }
        $script:Reader0 | Should -Match '^FinCardPin Virtual .+ \[.+\] 00 00$'
        $script:Reader1 | Should -Match '^FinCardPin Virtual .+ 0$'
        (Get-CardReader).Name | Should -Be @($script:Reader0, $script:Reader1)
    }

    It '<Command> given the reader''s exact name works on that reader' -ForEach @(
        @{ Command = 'Get-CardPinStatus'; Run = { Get-CardPinStatus -ReaderName $script:Reader0 -Code Pin1 } }
        @{ Command = 'Test-CardPin'; Run = { Test-CardPin -Code Pin1 -Pin (S '1234') -ReaderName $script:Reader0 } }
        @{ Command = 'Set-CardPin'; Run = { Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5827') -ReaderName $script:Reader0 -PassThru } }
        @{ Command = 'Unlock-CardPin'; Run = { Unlock-CardPin -Code Pin2 -ActivationCode (S '12345678') -NewPin (S '582716') -ReaderName $script:Reader0 -PassThru -Confirm:$false } }
        @{ Command = 'Export-CardDiagnostic'; Run = { Export-CardDiagnostic -Path (Join-Path $script:Folder 'name.json') -ReaderName $script:Reader0 } }
        @{ Command = 'Get-CardReader'; Run = { Get-CardReader -Name $script:Reader0 } }
    ) {
        $case = Invoke-Case $Run
        $output = $case.Output
        $failures = $case.Failures

        $failures | Should -BeNullOrEmpty
        @($output).Count | Should -Be 1
        $named = if ($Command -eq 'Get-CardReader') { $output.Name } else { $output.ReaderName }
        $named | Should -BeExactly $script:Reader0
        if ($Command -ne 'Get-CardReader' -and $Command -ne 'Export-CardDiagnostic') { $output.CardSerial | Should -Be '9251000001' }
        Assert-Untouched $script:Other $script:OtherBefore
    }

    It '<Command> takes the reader piped from Get-CardReader' -ForEach @(
        @{ Command = 'Get-CardPinStatus'; Run = { Get-CardReader -Name $script:Reader0 | Get-CardPinStatus -Code Pin1 } }
        @{ Command = 'Test-CardPin'; Run = { Get-CardReader -Name $script:Reader0 | Test-CardPin -Code Pin1 -Pin (S '1234') } }
        @{ Command = 'Set-CardPin'; Run = { Get-CardReader -Name $script:Reader0 | Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5827') -PassThru } }
        @{ Command = 'Unlock-CardPin'; Run = { Get-CardReader -Name $script:Reader0 | Unlock-CardPin -Code Pin2 -ActivationCode (S '12345678') -NewPin (S '582716') -PassThru -Confirm:$false } }
        @{ Command = 'Get-CardPinStatus (-WaitForCard)'; Run = { Get-CardReader -WaitForCard -Timeout 5 -Name $script:Reader0 | Get-CardPinStatus -Code Pin1 } }
        @{ Command = 'Get-CardPinStatus (a piped name)'; Run = { $script:Reader0 | Get-CardPinStatus -Code Pin1 } }
        @{ Command = 'Get-CardReader (a piped name)'; Run = { $script:Reader0 | Get-CardReader } }
    ) {
        $case = Invoke-Case $Run
        $output = $case.Output
        $failures = $case.Failures

        $failures | Should -BeNullOrEmpty
        @($output).Count | Should -Be 1
        $named = if ($Command -like 'Get-CardReader*') { $output.Name } else { $output.ReaderName }
        $named | Should -BeExactly $script:Reader0
        $output.CardSerial | Should -Be '9251000001'
        Assert-Untouched $script:Other $script:OtherBefore
    }

    It 'Get-CardReader | Get-CardPinStatus reads the card of every reader, whatever it is called' {
        $statuses = @(Get-CardReader | Get-CardPinStatus -Code Pin1 -ErrorVariable failures)

        $failures | Should -BeNullOrEmpty
        $statuses.ReaderName | Should -Be @($script:Reader0, $script:Reader1)
        $statuses.CardSerial | Should -Be @('9251000001', '9251000002')
    }

    It 'a wildcard pattern still selects by pattern' {
        $status = @(Get-CardPinStatus -ReaderName (Get-Reader0Pattern) -Code Pin1 -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $status.ReaderName | Should -Be @($script:Reader0)
        (Test-CardPin -Code Pin1 -Pin (S '1234') -ReaderName (Get-Reader0Pattern)).Verified | Should -BeTrue
        @(Get-CardReader -Name (Get-VirtualReaderPattern)).Count | Should -Be 2
    }

    It 'a piped name that holds wildcard characters is a name, never a pattern' {
        $piped = [pscustomobject]@{ ReaderName = (Get-VirtualReaderPattern) }

        $piped | Get-CardPinStatus -Code Pin1 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $piped | Test-CardPin -Code Pin1 -Pin (S '1234') -ErrorVariable +failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Get-ErrorId $failures | Should -Be @('ReaderNotFound', 'ReaderNotFound')
        Assert-Untouched $script:Other $script:OtherBefore
    }
}

Describe 'the serial is read from the card before any code' {
    AfterEach { Remove-Card 0 }

    # A reader object saved before a restart, or any object whose count equals the reader's count now, is no proof
    # of which card is in the reader.
    It '<Command> with a saved reader object whose count matches, another card in the reader: CardChanged, no code sent' -ForEach @(
        @{ Command = 'Test-CardPin'; Run = { $args[0] | Test-CardPin -Code Pin1 -Pin (S '1234') } }
        @{ Command = 'Set-CardPin'; Run = { $args[0] | Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5827') } }
        @{ Command = 'Unlock-CardPin'; Run = { $args[0] | Unlock-CardPin -Code Pin1 -ActivationCode (S '12345678') -NewPin (S '5827') -Confirm:$false } }
        @{ Command = 'Get-CardPinStatus'; Run = { $args[0] | Get-CardPinStatus -Code Pin1 } }
    ) {
        New-TestCard $script:Folder 'saved-a' 0 @{ Serial = '9252000001' } | Out-Null
        $saved = Get-CardReader -Name $script:Reader0
        $saved.CardSerial | Should -Be '9252000001'
        Export-Clixml -InputObject $saved -Path (Join-Path $script:Folder 'saved.xml')
        Remove-Card 0
        $other = New-TestCard $script:Folder 'saved-b' 0 @{ Serial = '9252000002' }
        $now = Get-CardReader -Name $script:Reader0
        $restored = Import-Clixml (Join-Path $script:Folder 'saved.xml')
        $restored.ReaderEventCount = $now.ReaderEventCount
        $before = Get-CardSnapshot $other

        $case = Invoke-Case $Run $restored
        $output = $case.Output
        $failures = $case.Failures

        $output | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'CardChanged,*' -Category 'InvalidOperation' -Like
        Get-ApduSince $other $before | Where-Object { $_ -match 'redacted' } | Should -BeNullOrEmpty
        Get-ApduCommand (Get-ApduSince $other $before) | Should -Contain (Get-SessionStartCommands)[2] -Because 'the card''s own serial was read'
        Get-Content -Raw $other.Path | Should -BeExactly $before.State
    }
}

Describe 'one code parameter, one card' {
    BeforeEach {
        $script:First = New-TestCard $script:Folder 'one-a' 0 @{ Serial = '9253000001'; Pin1 = '2580'; Pin2 = '258036' }
        $script:Second = New-TestCard $script:Folder 'one-b' 1 @{ Serial = '9253000002'; Pin1 = '2580'; Pin2 = '258036' }
    }
    AfterEach {
        Remove-Card 0
        Remove-Card 1
    }

    It '<Command> with two cards piped and one code: the first card only, the second refused (CodeForOneCard), nothing sent to it' -ForEach @(
        @{ Command = 'Test-CardPin'; Run = { $args[0] | Test-CardPin -Code Pin1 -Pin (S '2580') } }
        @{ Command = 'Set-CardPin'; Run = { $args[0] | Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '3691') -PassThru } }
        @{ Command = 'Unlock-CardPin'; Run = { $args[0] | Unlock-CardPin -Code Pin1 -ActivationCode (S '12345678') -NewPin (S '3691') -PassThru -Confirm:$false } }
    ) {
        $listed = Get-CardReader
        $listed.CardSerial | Should -Be @('9253000001', '9253000002')
        $before = Get-CardSnapshot $script:Second

        $case = Invoke-Case $Run $listed
        $output = $case.Output
        $failures = $case.Failures

        $output.Count | Should -Be 1
        $output[0].CardSerial | Should -Be '9253000001'
        Assert-OneFailure $failures "CodeForOneCard,FinCardPin.Cmdlets.$($Command -replace '-', '')Command" -Category 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match '9253000001'
        $failures[0].Exception.Message | Should -Match '9253000002'
        Assert-Untouched $script:Second $before
        Get-PinCommand (Get-ApduLog $script:First.Log) | Should -Not -BeNullOrEmpty -Because 'the first card was the one the code is for'
    }

    It 'objects that carry no serial: the second card''s serial is read, and it is refused before any code' {
        $before = Get-CardSnapshot $script:Second
        $records = $script:Reader0, $script:Reader1 | ForEach-Object { [pscustomobject]@{ ReaderName = $_ } }

        $output = @($records | Test-CardPin -Code Pin1 -Pin (S '2580') -ErrorVariable failures -ErrorAction SilentlyContinue)

        $output.Count | Should -Be 1
        $output[0].Verified | Should -BeTrue
        Assert-OneFailure $failures 'CodeForOneCard,FinCardPin.Cmdlets.TestCardPinCommand' -Category 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:Reader1))
        Get-PinCommand (Get-ApduSince $script:Second $before) | Should -BeNullOrEmpty
        Get-Content -Raw $script:Second.Path | Should -BeExactly $before.State
    }

    # Asked for, each card's code is its own: every prompt says which card it is for, and both cards are checked.
    It 'codes that are asked for follow the piped cards, each prompt naming its card' {
        $command = "Get-CardReader | Test-CardPin -Code Pin1 | ForEach-Object { `$_.CardSerial + ' ' + `$_.Verified }"
        $result = (Invoke-Answering -Command $command -Answers '2580', '2580').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Be @('9253000001 True', '9253000002 True')
        $result.SecureReads | Should -Be 2
        $first = $result.Written.IndexOf("card 9253000001 in reader '$script:Reader0'")
        $second = $result.Written.IndexOf("card 9253000002 in reader '$script:Reader1'")
        $first | Should -BeGreaterOrEqual 0
        $second | Should -BeGreaterThan $first
    }

    It 'the same card piped twice is the same card: both records are checked' {
        $listed = Get-CardReader -Name $script:Reader0
        $output = @($listed, $listed | Test-CardPin -Code Pin1 -Pin (S '2580') -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        $output.Verified | Should -Be @($true, $true)
    }
}

Describe 'typed input with digits is never repeated' {
    BeforeAll {
        $script:Card = New-TestCard $script:Folder 'digits' 0 @{ Serial = '9254000001' }
    }
    AfterAll { Remove-Card 0 }

    # A new pwsh with a transcript: everything the user could see or a log could keep.
    It '<Case>: no 4826 in $Error, the transcript or any stream' -ForEach @(
        @{ Case = 'Test-CardPin 4826'; Command = 'Test-CardPin 4826' }
        @{ Case = 'Test-CardPin Pin1 4826'; Command = 'Test-CardPin Pin1 4826' }
        @{ Case = 'Set-CardPin Pin1 4826 1357'; Command = 'Set-CardPin Pin1 4826 1357 -Confirm:$false' }
        @{ Case = 'Get-CardPinStatus -ReaderName 4826'; Command = 'Get-CardPinStatus -ReaderName 4826' }
        @{ Case = 'Get-CardPinStatus -ReaderName *4826*'; Command = 'Get-CardPinStatus -ReaderName *4826*' }
        @{ Case = 'Get-CardPinStatus -ReaderName [4826'; Command = 'Get-CardPinStatus -ReaderName [4826' }
        @{ Case = 'Test-CardPin -ReaderName 4826'; Command = 'Test-CardPin Pin1 -ReaderName 4826' }
        @{ Case = 'Get-CardReader 4826'; Command = 'Get-CardReader 4826' }
        @{ Case = 'Get-CardReader -WaitForCard 4826'; Command = 'Get-CardReader -WaitForCard -Timeout 1 -Name 4826' }
        @{ Case = '$FinCardPinBusyTimeout = ''4826x'''; Command = '$FinCardPinBusyTimeout = ''4826x''; Get-CardPinStatus' }
    ) {
        $transcript = Join-Path $script:Folder "transcript-$([guid]::NewGuid().ToString('N')).txt"
        # The command is run from a variable (a script block built at run time), so that the command line itself is not
        # what the test finds: only what the module and PowerShell write about it.
        $encoded = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Command))
        $script = @"
Import-Module '$env:FINCARDPIN_MODULE'
Start-Transcript -Path '$transcript' | Out-Null
`$run = [scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('$encoded')))
& `$run *>&1 | Out-String | Write-Host
`$Error | Format-List * -Force | Out-String -Width 300 | Write-Host
`$Error | ForEach-Object { `$_.Exception | Format-List * -Force | Out-String -Width 300 } | Write-Host
`$Error | ForEach-Object { `$_ | Out-String -Width 300 } | Write-Host
"ERRORS `$(`$Error.Count)"
Stop-Transcript | Out-Null
"@
        $run = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSeconds 60 -ThrowOnTimeout

        ($run.Lines | Where-Object { $_ -match '^ERRORS [1-9]' }) | Should -Not -BeNullOrEmpty
        $run.Output | Should -Not -Match '4826'
        $run.Errors | Should -Not -Match '4826'
        Get-Content -Raw $transcript | Should -Not -Match '4826'
        Get-Content -Raw $transcript | Should -Match 'ERRORS'
    }
}

Describe 'the new-code memory is by card serial' {
    AfterEach { Remove-Card 0 }

    It 'card A''s new PIN2, then card B in the same reader: no warning about card A''s code; card A again: the warning' {
        $cardA = New-TestCard $script:Folder 'memory-a' 0 @{ Serial = '9255000001' }
        Set-CardPin -ReaderName $script:Reader0 -Code Pin2 -CurrentPin (S '123456') -NewPin (S '741852') -WarningVariable first 3>$null
        Select-OwnWarning $first | Should -BeNullOrEmpty
        Remove-Card 0
        $cardB = New-TestCard $script:Folder 'memory-b' 0 @{ Serial = '9255000002' }

        Set-CardPin -ReaderName $script:Reader0 -Code Pin1 -CurrentPin (S '1234') -NewPin (S '741852') -WarningVariable onB 3>$null
        Get-CardReader -Name $script:Reader0 | Set-CardPin -Code Pin1 -CurrentPin (S '741852') -NewPin (S '741852') -WhatIf -WarningVariable +onB 3>$null -ErrorAction SilentlyContinue

        Select-OwnWarning $onB | Should -BeNullOrEmpty -Because 'card B is not card A'
        (Read-CardFile $cardB.Path).Pin1.Value | Should -Be '741852'
        Remove-Card 0
        Add-Card 0 $cardA.Path $cardA.Log
        Set-CardPin -ReaderName $script:Reader0 -Code Pin1 -CurrentPin (S '1234') -NewPin (S '741852') -WarningVariable onA 3>$null
        $onA = Select-OwnWarning $onA
        $onA.Count | Should -Be 1
        $onA[0].Message | Should -Match 'same as the new'
        $onA[0].Message | Should -Not -Match '741852'
    }
}
