# No code ever shows: Set-CardPin, Test-CardPin and Unlock-CardPin run with distinctive codes, with -Verbose -Debug,
# *>&1, a transcript and failing cases; then every place output can land is searched for the codes. And a session
# that cannot ask for a code fails at once, sending nothing. Real pwsh, real pcscd, vpcd readers, our virtual cards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'secrets'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1

    # Distinctive digit runs that appear nowhere else (no serial, counter or APDU byte run contains them).
    $script:Codes = [ordered]@{
        Pin1       = '61829375'
        NewPin1    = '73950864'
        Pin2       = '40817263'
        NewPin2    = '52946180'
        ActivationCode        = '48151623'
        WrongPin1  = '39571246'
        WrongPin2  = '90817364'
        WrongActivationCode   = '42108637'
        TooLong    = '860273951'
        Letters    = '8602x739'
        OrgPin1    = '27182818'
        OrgNewPin1 = '16180339'
        OrgActivationCode     = '14142135'
        OrgNewPin2 = '57721566'
    }

    function script:S([string] $Name) { ConvertTo-TestSecret $script:Codes[$Name] }

    # Each code in every form it could leak in.
    $script:Needles = foreach ($name in $script:Codes.Keys) {
        Get-CodeForm $script:Codes[$name] | ForEach-Object { [pscustomobject]@{ Name = $name; Form = $_.Form; Text = $_.Text } }
    }

    # "<code name> as <form>" for every code found in the text; nothing when the text is clean.
    function script:Find-Code([string] $Text) {
        foreach ($needle in $script:Needles) {
            if ($Text.IndexOf($needle.Text, [StringComparison]::OrdinalIgnoreCase) -ge 0) { "$($needle.Name) as $($needle.Form)" }
        }
    }

    # Everything an ErrorRecord can show: message, exception with inner exceptions and stack, details, target, invocation.
    function script:Get-ErrorText($Record) {
        if ($Record -isnot [System.Management.Automation.ErrorRecord]) { return ($Record | Out-String -Width 500) }
        @(
            $Record.ToString()
            $Record.FullyQualifiedErrorId
            $Record.CategoryInfo.ToString()
            "$($Record.TargetObject)"
            $Record.Exception.ToString()
            ($Record.Exception | Format-List * -Force | Out-String -Width 500)
            $Record.ErrorDetails.Message
            $Record.ErrorDetails.RecommendedAction
            ($Record.InvocationInfo | Out-String -Width 500)
            $Record.ScriptStackTrace
            ($Record | Format-List * -Force | Out-String -Width 500)
            ($Record | Out-String -Width 500)
        ) -join "`n"
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'the search for codes' {
    It 'finds a code as digits, as spaced or plain ASCII hex, and as Base64, and nothing in clean text' {
        Find-Code 'DEBUG: APDU > 00 24 00 11 [code redacted]' | Should -BeNullOrEmpty
        Find-Code "pin=$($script:Codes.NewPin1);" | Should -Contain 'NewPin1 as digits'
        Find-Code '00 20 00 11 0C 37 33 39 35 30 38 36 34 00 00 00 00' | Should -Contain 'NewPin1 as hex'
        Find-Code 'data 3733393530383634' | Should -Contain 'NewPin1 as hex (no spaces)'
        Find-Code ([Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes($script:Codes.OrgActivationCode))) | Should -Contain 'OrgActivationCode as base64'
    }
}

Describe 'codes in output, errors, the transcript and the card log' {
    BeforeAll {
        $script:Identity = New-TestCard $script:Folder 'secret-identity' 0 @{
            Serial = '9248000001'; Pin1 = $script:Codes.Pin1; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode
        }
        $script:Organisation = New-TestCard $script:Folder 'secret-org' 1 @{
            CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9248000002'; Pin1 = $script:Codes.OrgPin1; ActivationCode = $script:Codes.OrgActivationCode
        } -Edit { $args[0].Pin2.TriesLeft = 0 }
        $script:Transcript = Join-Path $script:Folder 'transcript.txt'
        $r0 = $script:Reader0
        $r1 = $script:Reader1

        # The runner sets 'Stop'; these commands are meant to fail as they would in a user's console.
        $ErrorActionPreference = 'Continue'
        # Under -Debug PowerShell asks before going on after any warning, and a host without a console cannot ask; in
        # process the PIN cmdlets warn that virtual readers are in use. The warnings are still captured and searched.
        $PSDefaultParameterValues = @{ '*-CardPin:WarningAction' = 'Continue' }
        $Error.Clear()
        $script:Caught = [System.Collections.Generic.List[object]]::new()
        Start-Transcript -Path $script:Transcript -IncludeInvocationHeader | Out-Null
        try {
            # Round 1: every stream captured with *>&1 (and then shown, so the transcript has the rendered records too).
            $script:Captured = @(& {
                    Test-CardPin -Code Pin1 -Pin (S Pin1) -ReaderName $r0 -Verbose -Debug
                    Test-CardPin -Code Pin1 -Pin (S WrongPin1) -ReaderName $r0 -Verbose -Debug
                    Set-CardPin -Code Pin1 -CurrentPin (S Pin1) -NewPin (S NewPin1) -ReaderName $r0 -PassThru -Verbose -Debug
                    Set-CardPin -Code Pin2 -CurrentPin (S WrongPin2) -NewPin (S NewPin2) -ReaderName $r0 -Verbose -Debug
                    Set-CardPin -Code Pin1 -CurrentPin (S NewPin1) -NewPin (S TooLong) -ReaderName $r0 -Verbose -Debug
                    Set-CardPin -Code Pin1 -CurrentPin (S NewPin1) -NewPin (S NewPin1) -ReaderName $r0 -Verbose -Debug
                    Test-CardPin -Code Pin1 -Pin (S Letters) -ReaderName $r0 -Verbose -Debug
                    Unlock-CardPin -Code Pin2 -ActivationCode (S WrongActivationCode) -NewPin (S NewPin2) -ReaderName $r0 -Confirm:$false -Verbose -Debug
                    Unlock-CardPin -Code Pin2 -ActivationCode (S ActivationCode) -NewPin (S NewPin2) -ReaderName $r0 -Confirm:$false -PassThru -Verbose -Debug
                    Test-CardPin -Code Pin2 -Pin (S NewPin2) -ReaderName $r0 -Quiet -Verbose -Debug
                    Set-CardPin -Code Pin1 -CurrentPin (S NewPin1) -NewPin (S Pin1) -ReaderName $r0 -WhatIf -Verbose -Debug
                    Set-CardPin -Code Pin1 -CurrentPin (S OrgPin1) -NewPin (S OrgNewPin1) -ReaderName $r1 -PassThru -Verbose -Debug
                    Unlock-CardPin -Code Pin2 -ActivationCode (S OrgActivationCode) -NewPin (S OrgNewPin2) -ReaderName $r1 -Confirm:$false -PassThru -Verbose -Debug
                    Test-CardPin -Code Pin1 -Pin (S OrgNewPin1) -ReaderName $r1 -Verbose -Debug
                    try {
                        Set-CardPin -Code Pin1 -CurrentPin (S WrongPin1) -NewPin (S Pin1) -ReaderName $r0 -Verbose -Debug -ErrorAction Stop
                    }
                    catch {
                        $script:Caught.Add($_)
                        Write-Error -ErrorRecord $_
                    }
                } *>&1)
            $script:Captured | Out-Host

            # Round 2: straight to the host (and so to the transcript), errors shown as the console shows them.
            Write-Host 'Secrets.Tests: the errors shown from here to "Caught:" are expected (searched afterwards for codes).'
            Test-CardPin -Code Pin1 -Pin (S WrongPin1) -ReaderName $r0 -Verbose -Debug | Out-Host
            Set-CardPin -Code Pin2 -CurrentPin (S WrongPin2) -NewPin (S Pin2) -ReaderName $r0 -Verbose -Debug -ErrorAction Continue
            Unlock-CardPin -Code Pin1 -ActivationCode (S WrongActivationCode) -NewPin (S NewPin1) -ReaderName $r0 -Confirm:$false -Verbose -Debug -ErrorAction Continue
            Set-CardPin -Code Pin1 -CurrentPin (S NewPin1) -NewPin (S TooLong) -ReaderName $r0 -Verbose -Debug -ErrorAction Continue
            Set-CardPin -Code Pin1 -CurrentPin (S NewPin1) -NewPin (S Pin1) -ReaderName $r0 -WhatIf
            try {
                Unlock-CardPin -Code Pin1 -ActivationCode (S Letters) -NewPin (S NewPin1) -ReaderName $r0 -Confirm:$false -ErrorAction Stop
            }
            catch {
                $script:Caught.Add($_)
                Write-Host "Caught: $_"
            }
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $script:Errors = @($Error)
        $script:TranscriptText = Get-Content -Raw $script:Transcript
    }
    AfterAll {
        Remove-Card 0
        Remove-Card 1
    }

    It 'really ran: the codes changed on the cards, and the streams carried the traces, messages and errors' {
        $identity = Read-CardFile $script:Identity.Path
        $identity.Pin1.Value | Should -Be $script:Codes.NewPin1
        $identity.Pin2.Value | Should -Be $script:Codes.NewPin2
        $organisation = Read-CardFile $script:Organisation.Path
        $organisation.Pin1.Value | Should -Be $script:Codes.OrgNewPin1
        $organisation.Pin2.Value | Should -Be $script:Codes.OrgNewPin2

        $debug = @($script:Captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        $debug | Should -Contain 'APDU > 00 20 00 11 [code redacted]'
        $debug | Should -Contain 'APDU > 00 24 00 11 [code redacted]'
        $debug | Should -Contain 'APDU > 00 2C 00 82 [code redacted]'
        $debug | Should -Contain 'APDU > 00 24 00 03 [code redacted]'
        $debug | Should -Contain 'APDU > 00 20 00 12 [code redacted]'
        $debug | Should -Contain 'APDU > 00 2C 02 04 [code redacted]'
        $verbose = @($script:Captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Contain "The basic code (PIN1) was changed on the card in reader '$($script:Reader0)'."
        $ids = @($script:Captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] })
        foreach ($id in 'WrongPin', 'InvalidPinLength', 'NewPinSameAsCurrent', 'InvalidPinCharacters', 'WrongActivationCode') {
            $ids | Should -Contain $id
        }
        $script:Caught.Count | Should -Be 2
        $script:Errors.Count | Should -BeGreaterOrEqual 10
        $script:TranscriptText | Should -Match 'DEBUG: APDU > 00 20 00 11 \[code redacted\]'
        $script:TranscriptText | Should -Match 'Wrong basic code \(PIN1\): \d tries left'
        $script:TranscriptText | Should -Match 'What if:'
        $script:TranscriptText | Should -Match 'Wrong activation code \(PUK\)'
    }

    It 'shows no code in any captured stream' {
        $text = ($script:Captured | ForEach-Object { Get-ErrorText $_ }) -join "`n"
        $text += $script:Captured | Out-String -Width 500
        Find-Code $text | Should -BeNullOrEmpty
    }

    It 'shows no code in $Error: messages, exceptions, details, targets and invocation' {
        $text = ($script:Errors + $script:Caught | ForEach-Object { Get-ErrorText $_ }) -join "`n"
        Find-Code $text | Should -BeNullOrEmpty
    }

    It 'shows no code in the transcript' {
        Find-Code $script:TranscriptText | Should -BeNullOrEmpty
    }

    It 'shows no code in the cards'' APDU logs' {
        $logs = (Get-Content -Raw $script:Identity.Log) + (Get-Content -Raw $script:Organisation.Log)
        $logs | Should -Match 'redacted' -Because 'the codes went to the cards'
        Find-Code $logs | Should -BeNullOrEmpty
    }
}

Describe 'a session that cannot ask for a code' {
    BeforeAll {
        $script:Card = New-TestCard $script:Folder 'prompt' 0 @{ Serial = '9248100001'; Pin1 = $script:Codes.Pin1; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode }
    }
    AfterAll { Remove-Card 0 }

    It 'ends at once with PinPromptNotAvailable in pwsh <Switch> for <Command>, without prompting or sending' -ForEach @(
        @{ Switch = '-NonInteractive'; Command = 'Set-CardPin -Code Pin1' }
        @{ Switch = '-noni'; Command = 'Set-CardPin -Code Pin1' }
        @{ Switch = '-NonInteractive'; Command = 'Test-CardPin -Code Pin2' }
        @{ Switch = '-NonInteractive'; Command = 'Unlock-CardPin -Code Pin1 -Confirm:$false' }
    ) {
        $before = Get-CardSnapshot $script:Card
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; $Command -ReaderName '$($script:Reader0)'; 'ID=' + `$Error[0].FullyQualifiedErrorId"

        $child = Invoke-TestPwsh -Arguments '-NoProfile', $Switch, '-Command', $script -TimeoutSeconds 30

        $child.Exited | Should -BeTrue -Because 'it must not wait for an answer'
        $child.Seconds | Should -BeLessThan 10
        $verb = ($Command -split ' ')[0] -replace '-', ''
        $child.Output | Should -Match "ID=PinPromptNotAvailable,FinCardPin\.Cmdlets\.$($verb)Command"
        $child.Output + $child.Errors | Should -Match 'not interactive'
        $child.Output | Should -Not -Match 'code \((PIN1|PIN2|PUK)\): ' -Because 'no prompt text goes into a script''s output'
        Get-ApduSince $script:Card $before | Should -BeNullOrEmpty
        Get-Content -Raw $script:Card.Path | Should -BeExactly $before.State
    }

    # pwsh's console host does not read a SecureString from redirected stdin (ReadLineAsSecureString would end the
    # pipeline silently), so the cmdlet treats redirected stdin as a session that cannot be asked.
    It 'ends with PinPromptNotAvailable, sends nothing and echoes nothing when pwsh -Command gets the answers on redirected stdin' {
        $before = Get-CardSnapshot $script:Card
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; Set-CardPin -Code Pin1 -ReaderName '$($script:Reader0)'; 'ID=' + `$Error[0].FullyQualifiedErrorId"

        $child = Invoke-TestPwsh -Arguments '-NoProfile', '-Command', $script -TimeoutSeconds 30 -InputLines $script:Codes.Pin1, $script:Codes.NewPin1, $script:Codes.NewPin2

        $child.Exited | Should -BeTrue
        $child.Seconds | Should -BeLessThan 10
        $child.Output | Should -Match 'ID=PinPromptNotAvailable,FinCardPin\.Cmdlets\.SetCardPinCommand'
        Find-Code ($child.Output + $child.Errors) | Should -BeNullOrEmpty
        Get-ApduSince $script:Card $before | Should -BeNullOrEmpty -Because 'the two new entries differ, or were never read'
        Get-Content -Raw $script:Card.Path | Should -BeExactly $before.State
    }
}

Describe 'prompting through a host that can answer' {
    # A child pwsh (interactive: no -NonInteractive) runs the cmdlet in a runspace whose host answers each
    # ReadLineAsSecureString with the next line of the child's stdin, and records what the cmdlet wrote to it
    # (Invoke-Answering, TestUtilities.psm1).
    AfterEach { Remove-Card 0 }

    It 'refuses a new code typed differently the second time, three rounds in a row (PinConfirmationMismatch), sending no code' {
        $card = New-TestCard $script:Folder 'answer-mismatch' 0 @{ Serial = '9248200001'; Pin1 = $script:Codes.Pin1 }
        $before = Get-CardSnapshot $card
        $rounds = @($script:Codes.NewPin1, $script:Codes.NewPin2) * 3

        $child = Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" (@($script:Codes.Pin1) + $rounds)

        $child.Result.Errors | Should -Be @('PinConfirmationMismatch,FinCardPin.Cmdlets.SetCardPinCommand')
        $child.Result.SecureReads | Should -Be 7 -Because 'current, then new and new again three times'
        $child.Result.PlainReads | Should -Be 0
        $child.Result.Written | Should -Match 'Current basic code \(PIN1\): '
        $child.Result.Written | Should -Match 'Repeat the new basic code \(PIN1\): '
        Find-Code $child.Output | Should -BeNullOrEmpty
        # Before asking for the current code, the code's state is read (no code sent, no try spent) to word the prompt:
        # the card saw exactly that, so no code command went out, not even one without data.
        Get-ApduCommand (Get-ApduSince $card $before) | Should -Be ((Get-SessionStartCommands) + '00 CB 00 FF 05 A0 03 83 01 11')
        Get-Content -Raw $card.Path | Should -BeExactly $before.State
    }

    It 'changes the code when both entries agree, echoing no code' {
        $card = New-TestCard $script:Folder 'answer-set' 0 @{ Serial = '9248200002'; Pin1 = $script:Codes.Pin1 }

        $child = Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)' -PassThru" $script:Codes.Pin1, $script:Codes.NewPin1, $script:Codes.NewPin1

        $child.Result.Errors | Should -BeNullOrEmpty
        $child.Result.Output | Should -Be @('Pin1 Ready 5')
        $child.Result.SecureReads | Should -Be 3
        $child.Result.Written | Should -Match 'Choose a new basic code \(PIN1\) of 4-8 digits'
        Find-Code $child.Output | Should -BeNullOrEmpty
        (Read-CardFile $card.Path).Pin1.Value | Should -Be $script:Codes.NewPin1
    }

    It 'unblocks with the activation code and the new code asked for twice' {
        $card = New-TestCard $script:Folder 'answer-unlock' 0 @{ Serial = '9248200003'; ActivationCode = $script:Codes.ActivationCode } -Edit { $args[0].Pin2.TriesLeft = 0 }

        $child = Invoke-Answering "Unlock-CardPin -Code Pin2 -ReaderName '$($card.Reader)' -Confirm:`$false -PassThru" $script:Codes.ActivationCode, $script:Codes.NewPin2, $script:Codes.NewPin2

        $child.Result.Errors | Should -BeNullOrEmpty
        $child.Result.Output | Should -Be @('Pin2 Ready 5')
        $child.Result.SecureReads | Should -Be 3
        $child.Result.Written | Should -Match 'Activation code \(PUK\): '
        Find-Code $child.Output | Should -BeNullOrEmpty
        (Read-CardFile $card.Path).Pin2.Value | Should -Be $script:Codes.NewPin2
    }
}
