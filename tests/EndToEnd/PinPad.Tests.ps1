# Codes typed on a reader's keypad (PC/SC Part 10), over the in-process virtual readers: a virtual keypad
# (FINCARDPIN_VIRTUAL_PINPADS: its model, then the holder's script, one entry per prompt) in front of the virtual card.
# What reached the card is read from its APDU log and state file, what the reader was asked from the keypad's
# ".seen" file. The daemon tier's vpcd readers have no keypad (vpcd answers every control code "not supported"):
# there these tests are skipped and say so; the keypad through the real pcscd and libccid is the GemPC tier's.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'pinpad'
    $script:Reader0 = Get-VirtualReaderName 0

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }

    # Gives every reader a keypad of this model with this script; returns the keypad file.
    function script:Set-Keypad([string] $Model, [string[]] $Script = @()) {
        $path = Join-Path $script:Folder "keypad-$([guid]::NewGuid().ToString('N')).txt"
        (Get-InternalType FinCardPin.VirtualCard.VirtualPinPad)::Save($path, $Model, [string[]] $Script)
        $env:FINCARDPIN_VIRTUAL_PINPADS = $path
        $path
    }

    # The blocks the reader was asked (hex, no digits in them).
    function script:Get-KeypadBlocks([string] $Path) {
        if (Test-Path "$Path.seen") { @(Get-Content "$Path.seen") } else { @() }
    }

    # What is left of the holder's script.
    function script:Get-KeypadScript([string] $Path) { @(Get-Content $Path | Select-Object -Skip 1) }
}

AfterAll {
    $env:FINCARDPIN_VIRTUAL_PINPADS = $null
    Complete-TestSuite $script:Folder
}

Describe 'A reader without a keypad (vpcd in the daemon tier, a plain virtual reader in process)' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'lists the readers with PinPad None, a full and an empty one, and no error' {
        $env:FINCARDPIN_VIRTUAL_PINPADS = $null
        New-TestCard $script:Folder 'plain' 0 @{ Serial = '9246700010' } | Out-Null
        $readers = Get-CardReader -Name (Get-VirtualReaderPattern) -ErrorVariable failures -WarningVariable warned
        $readers.Count | Should -Be 2
        $readers | ForEach-Object { $_.PinPad.Support | Should -Be 'None' }
        $failures | Should -BeNullOrEmpty
        Select-OwnWarning $warned | Should -BeNullOrEmpty
    }

    It 'refuses -PinEntry PinPad there, naming the keyboard, and sends nothing' {
        $env:FINCARDPIN_VIRTUAL_PINPADS = $null
        $card = New-TestCard $script:Folder 'plain' 0 @{ Serial = '9246700011'; Pin1 = '2580' }
        $before = Get-CardSnapshot $card
        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Assert-OneFailure $failures 'PinPadNotAvailable,FinCardPin.Cmdlets.TestCardPinCommand' 'ResourceUnavailable'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-PinEntry Keyboard*'
        Assert-Untouched $card $before
    }
}

Describe 'Get-CardReader and Export-CardDiagnostic: the keypad' -Skip:($env:FINCARDPIN_TEST_TIER -ne 'InProcess') {
    BeforeEach {
        $script:Card = New-TestCard $script:Folder 'reader' 0 @{ Serial = '9246700001' }
    }
    AfterEach { Remove-Card 0; $env:FINCARDPIN_VIRTUAL_PINPADS = $null }

    It 'shows a CT700-like keypad as VerifyAndChange with its 4-8 digits' {
        Set-Keypad FixedLength | Out-Null
        $reader = Get-CardReader -Name $script:Reader0
        $reader.PinPad.Support | Should -Be 'VerifyAndChange'
        $reader.PinPad.MinDigits | Should -Be 4
        $reader.PinPad.MaxDigits | Should -Be 8
        $reader.PinPad.UsbId | Should -Be '08E6:3478'
    }

    It 'shows no keypad for a reader without one, and for a known false claim, without an error' {
        $env:FINCARDPIN_VIRTUAL_PINPADS = $null
        (Get-CardReader -Name $script:Reader0 -ErrorVariable failures).PinPad.Support | Should -Be 'None'
        Set-Keypad FalseClaim | Out-Null
        (Get-CardReader -Name $script:Reader0 -ErrorVariable more).PinPad.Support | Should -Be 'None'
        @($failures) + @($more) | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'reports the reader''s features in the diagnostics report' {
        Set-Keypad VerifyOnly | Out-Null
        $report = Join-Path $script:Folder 'report.json'
        Export-CardDiagnostic -Path $report -ReaderName $script:Reader0 -Force | Out-Null
        $json = Get-Content -Raw $report | ConvertFrom-Json
        $json.ReaderFeatures | Should -BeLike 'keypad: Verify; digits 4-12; USB 08E6:3437*VERIFY_PIN_DIRECT (06) 42330006*'
        $json.ReaderFeatures | Should -Not -BeLike '*MODIFY_PIN_DIRECT*'
    }
}

Describe 'Test-CardPin on the keypad' -Skip:($env:FINCARDPIN_TEST_TIER -ne 'InProcess') {
    BeforeEach {
        $script:Card = New-TestCard $script:Folder 'test' 0 @{ Serial = '9246700002'; Pin1 = '2580'; Pin2 = '147036' }
    }
    AfterEach { Remove-Card 0; $env:FINCARDPIN_VIRTUAL_PINPADS = $null }

    It 'checks the right PIN1 typed on the reader, says what to type and for how long, and leaves nothing verified' {
        $pad = Set-Keypad FixedLength '2580'
        $before = Get-CardSnapshot $script:Card

        $output = Test-CardPin -Code Pin1 -PinEntry PinPad -WarningAction SilentlyContinue 6>&1
        $said = @($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
        $result = $output | Where-Object { $_ -is [FinCardPin.PinTestResult] }

        $result.Verified | Should -BeTrue
        $said.Count | Should -Be 1
        "$($said[0].MessageData)" | Should -BeLike '*PIN1*keypad*60 seconds*'
        "$($said[0].MessageData)".Contains("'$($script:Reader0)'") | Should -BeTrue -Because 'it names the reader to type on'
        $said[0].Tags | Should -Contain 'PSHOST'
        $blocks = @(Get-KeypadBlocks $pad)
        $blocks.Count | Should -Be 1
        $blocks[0] | Should -BeLike '1E1E820C000804020109040000000011000000002000110C000000000000000000000000' -Because 'the 12-byte 00-padded frame, 4-8 digits, English'
        @(Get-PinCommand (Get-ApduSince $script:Card $before)).Count | Should -Be 1
        (Get-Content $script:Card.Log) | Should -Contain '# reset' -Because 'no code stays verified'
    }

    It 'asks the reader in Finnish when the session speaks Finnish' {
        $pad = Set-Keypad FixedLength '2580'
        $culture = [cultureinfo]::CurrentUICulture
        try {
            [cultureinfo]::CurrentUICulture = 'fi-FI'
            $output = Test-CardPin -Code Pin1 -PinEntry PinPad -WarningAction SilentlyContinue 6>&1
        }
        finally { [cultureinfo]::CurrentUICulture = $culture }
        @(Get-KeypadBlocks $pad)[0].Substring(18, 4) | Should -Be '0B04' -Because 'wLangId 040B'
        "$(($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).MessageData)" | Should -BeLike '*näppäimistöllä*'
    }

    It 'counts a wrong PIN1 typed on the reader' {
        $pad = Set-Keypad FixedLength '9999'
        $before = Get-CardSnapshot $script:Card
        $result = Test-CardPin -Code Pin1 -PinEntry PinPad -WarningAction SilentlyContinue 6>$null
        $result.Verified | Should -BeFalse
        $result.TriesLeft | Should -Be 4
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 4
        Get-PinCommand (Get-ApduSince $script:Card $before) | Should -Be @('00 20 00 11 [code redacted] -> 63 C4') -Because 'the code went to the card once'
        @(Get-KeypadBlocks $pad).Count | Should -Be 1
    }

    It 'reports <Entry> with <ErrorId> and spends nothing' -ForEach @(
        @{ Entry = 'cancel'; ErrorId = 'PinPadCancelled'; Category = 'OperationStopped' }
        @{ Entry = 'timeout'; ErrorId = 'PinPadTimeout'; Category = 'OperationTimeout' }
        @{ Entry = '12'; ErrorId = 'PinPadLengthWrong'; Category = 'InvalidArgument' }
    ) {
        $pad = Set-Keypad FixedLength $Entry
        $before = Get-CardSnapshot $script:Card

        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null | Should -BeNullOrEmpty

        Assert-OneFailure $failures "$ErrorId,FinCardPin.Cmdlets.TestCardPinCommand" $Category
        $failures[0].Exception.Message | Should -BeLike '*no try was spent*'
        Get-PinCommand (Get-ApduSince $script:Card $before) | Should -BeNullOrEmpty
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 5
        @(Get-KeypadBlocks $pad).Count | Should -Be 1 -Because 'the keypad is asked once, never again'
    }

    It 'reports a reader answering 6B80 with PinPadRequestRejected' {
        Set-Keypad RejectsStructure '2580' | Out-Null
        $before = Get-CardSnapshot $script:Card
        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null
        Assert-OneFailure $failures 'PinPadRequestRejected,FinCardPin.Cmdlets.TestCardPinCommand' 'DeviceError'
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 5
        Get-PinCommand (Get-ApduSince $script:Card $before) | Should -BeNullOrEmpty -Because 'the reader refused the block: no code reached the card'
    }

    It 'refuses the last try before the keypad is asked' {
        Update-CardFile $script:Card.Path { $args[0].Pin1.TriesLeft = 1 }
        $pad = Set-Keypad FixedLength '2580'
        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null
        Assert-OneFailure $failures 'LastTryProtected,FinCardPin.Cmdlets.TestCardPinCommand'
        Get-KeypadBlocks $pad | Should -BeNullOrEmpty
        Get-KeypadScript $pad | Should -Be @('2580')
    }

    It 'refuses -PinEntry PinPad on a reader without a keypad, and a code given as a parameter with it' {
        $env:FINCARDPIN_VIRTUAL_PINPADS = $null
        $before = Get-CardSnapshot $script:Card
        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Assert-OneFailure $failures 'PinPadNotAvailable,FinCardPin.Cmdlets.TestCardPinCommand' 'ResourceUnavailable'
        Set-Keypad FixedLength '2580' | Out-Null
        Test-CardPin -Code Pin1 -Pin (S '2580') -PinEntry PinPad -ErrorVariable given -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Assert-OneFailure $given 'PinPadNotAvailable,FinCardPin.Cmdlets.TestCardPinCommand' 'InvalidArgument'
        Assert-Untouched $script:Card $before
    }

    It 'uses the keyboard with Auto when the code is given as a parameter' {
        $pad = Set-Keypad FixedLength '9999'
        (Test-CardPin -Code Pin1 -Pin (S '2580') -WarningAction SilentlyContinue).Verified | Should -BeTrue
        Get-KeypadBlocks $pad | Should -BeNullOrEmpty
        (Test-CardPin -Code Pin1 -Pin (S '2580') -PinEntry Keyboard -WarningAction SilentlyContinue).Verified | Should -BeTrue
        Get-KeypadBlocks $pad | Should -BeNullOrEmpty
    }
}

Describe 'Set-CardPin and Unlock-CardPin on the keypad' -Skip:($env:FINCARDPIN_TEST_TIER -ne 'InProcess') {
    AfterEach { Remove-Card 0; $env:FINCARDPIN_VIRTUAL_PINPADS = $null }

    It 'changes an identity card''s PIN1 with three prompts on the reader' {
        $card = New-TestCard $script:Folder 'set' 0 @{ Serial = '9246700003'; Pin1 = '2580' }
        $pad = Set-Keypad FixedLength '2580', '3691', '3691'
        $output = Set-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -WarningAction SilentlyContinue 6>&1
        "$(($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).MessageData)" | Should -BeLike '*current*PIN1*new*PIN1*twice*180 seconds*'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '3691'
        @(Get-KeypadBlocks $pad)[0] | Should -BeLike '1E1E820C00000C08040302030904000102000000*1D000000002400111800*'
    }

    It 'changes nothing when the confirmation typed differs' {
        $card = New-TestCard $script:Folder 'set' 0 @{ Serial = '9246700004'; Pin1 = '2580' }
        Set-Keypad FixedLength '2580', '3691', '3692' | Out-Null
        Set-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null
        Assert-OneFailure $failures 'PinPadConfirmationMismatch,FinCardPin.Cmdlets.SetCardPinCommand' 'InvalidArgument'
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '2580'
        $state.Pin1.TriesLeft | Should -Be 5
    }

    It 'does not claim nothing was sent when the reader answers MODIFY with SCARD_E_NOT_TRANSACTED: outcome unknown, keyboard advised' {
        $card = New-TestCard $script:Folder 'set' 0 @{ Serial = '9246700005'; Pin1 = '2580' }
        Set-Keypad ModifyNotTransacted '2580', '3691', '3691' | Out-Null
        $before = Get-CardSnapshot $card
        Set-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null
        Assert-OneFailure $failures 'PinOutcomeUnknown,FinCardPin.Cmdlets.SetCardPinCommand'
        $failures[0].Exception.Message | Should -Match 'SCARD_E_NOT_TRANSACTED'
        $failures[0].Exception.Message | Should -Match '-PinEntry Keyboard'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '2580'
    }

    It 'never asks the reader under -WhatIf' {
        $card = New-TestCard $script:Folder 'set' 0 @{ Serial = '9246700006'; Pin1 = '2580' }
        $pad = Set-Keypad FixedLength '2580', '3691', '3691'
        $before = Get-CardSnapshot $card
        Set-CardPin -Code Pin1 -PinEntry PinPad -WhatIf -WarningAction SilentlyContinue 6>$null
        Get-KeypadBlocks $pad | Should -BeNullOrEmpty
        Assert-Untouched $card $before
    }

    It 'refuses to change an organisation card''s PIN on a keypad, naming the keyboard' {
        $card = New-TestCard $script:Folder 'org' 0 @{ Serial = '9246700007'; CardProfile = 'OrganisationIdemiaIdMe'; Pin1 = '2580' }
        $pad = Set-Keypad VariableLength '2580', '3691', '3691'
        $before = Get-CardSnapshot $card
        Set-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Assert-OneFailure $failures 'PinPadNotForThisCard,FinCardPin.Cmdlets.SetCardPinCommand' 'InvalidOperation'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-PinEntry Keyboard*'
        Get-KeypadBlocks $pad | Should -BeNullOrEmpty
        Assert-Untouched $card $before
    }

    It 'refuses an organisation card''s PIN check on a fixed-length keypad, and makes it on a variable-length one' {
        $card = New-TestCard $script:Folder 'org' 0 @{ Serial = '9246700008'; CardProfile = 'OrganisationIdemiaIdMe'; Pin1 = '2580' }
        Set-Keypad FixedLength '2580' | Out-Null
        Test-CardPin -Code Pin1 -PinEntry PinPad -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        Assert-OneFailure $failures 'PinPadNotForThisCard,FinCardPin.Cmdlets.TestCardPinCommand'
        $pad = Set-Keypad VariableLength '2580'
        (Test-CardPin -Code Pin1 -PinEntry PinPad -WarningAction SilentlyContinue 6>$null).Verified | Should -BeTrue
        @(Get-KeypadBlocks $pad)[0] | Should -BeLike '1E1E8200000804020109040000000005000000002000*00' -Because 'unpadded, Lc 00 for this reader'
    }

    It 'unblocks an identity card''s PIN1 with the activation code typed first' {
        $card = New-TestCard $script:Folder 'unblock' 0 @{ Serial = '9246700009'; Pin1 = '2580'; ActivationCode = '12345678' }
        Update-CardFile $card.Path { $args[0].Pin1.TriesLeft = 0 }
        $pad = Set-Keypad FixedLength '12345678', '36913691', '36913691'
        $before = Get-CardSnapshot $card
        Unlock-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -WarningAction SilentlyContinue 6>$null
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '36913691'
        $state.Pin1.TriesLeft | Should -Be 5
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 2C 00 11 [code redacted] -> 90 00') -Because 'one RESET RETRY COUNTER, sent once'
        @(Get-KeypadBlocks $pad).Count | Should -Be 1
    }

    It 'leaves a 6-digit activation code to the reader''s refusal: no try of the activation code spent, PIN1 still blocked' {
        $card = New-TestCard $script:Folder 'unblock' 0 @{ Serial = '9246700010'; Pin1 = '2580'; ActivationCode = '12345678' }
        Update-CardFile $card.Path { $args[0].Pin1.TriesLeft = 0 }
        $snapshot = Get-CardSnapshot $card
        $pad = Set-Keypad FixedLength '123456', '36913691', '36913691'
        Unlock-CardPin -Code Pin1 -PinEntry PinPad -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 6>$null
        Assert-OneFailure $failures 'PinPadLengthWrong,FinCardPin.Cmdlets.UnlockCardPinCommand' 'InvalidArgument'
        Get-PinCommand (Get-ApduSince $card $snapshot) | Should -BeNullOrEmpty
        $state = Read-CardFile $card.Path
        $state.ActivationCode.TriesLeft | Should -Be 5
        $state.Pin1.TriesLeft | Should -Be 0
        @(Get-KeypadBlocks $pad)[0].Substring(14, 4) | Should -Be '0807' -Because 'the block asks the reader for 7-8 digits (bMaxPINSize, bMinPINSize)'
    }
}
