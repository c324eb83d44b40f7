# Test-CardPin, Set-CardPin and Unlock-CardPin end to end: real pwsh, the laid-out module, real pcscd, vpcd readers
# and our virtual cards. What reached the card is read from the card's own APDU log, and what it holds from its state
# file. Every card a test inserts is removed again (AfterEach / AfterAll of its block).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'pinops'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1
    $script:SessionStart = Get-SessionStartCommands

    function script:S([string] $Digits) {
        if ($Digits.Length -eq 0) { return [securestring]::new() }
        ConvertTo-TestSecret $Digits
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'Test-CardPin' {
    BeforeEach {
        $script:Card = New-TestCard $script:Folder 'test' 0 @{ Serial = '9246500001'; Pin1 = '2580'; Pin2 = '147036' }
    }
    AfterEach { Remove-Card 0 }

    It 'verifies the right PIN1 with one VERIFY of the 00-padded code' {
        $before = Get-CardSnapshot $script:Card

        $result = Test-CardPin -Code Pin1 -Pin (S '2580')

        $result | Should -BeOfType 'FinCardPin.PinTestResult'
        $result.Verified | Should -BeTrue
        $result.State | Should -Be 'Ready'
        $result.Blocked | Should -BeFalse
        $result.TriesLeft | Should -Be 5
        $result.ReaderName | Should -Be $script:Reader0
        $result.CardSerial | Should -Be '9246500001'
        $result.Message | Should -Be 'The basic code (PIN1) is correct.'
        Get-ApduCommand (Get-ApduSince $script:Card $before) | Should -Be ($script:SessionStart + @(
                '00 CB 00 FF 05 A0 03 83 01 11'
                '00 20 00 11 [code redacted]'
            ))
        (Get-ApduSince $script:Card $before)[-1] | Should -Match '-> 90 00$'
    }

    It 'reports a wrong code with the tries left, and counts them down on the card' {
        $first = Test-CardPin -Code Basic -Pin (S '2581') -ReaderName $script:Reader0
        $second = Test-CardPin -Code grundkod -Pin (S '0000') -ReaderName $script:Reader0

        $first.Verified | Should -BeFalse
        $first.TriesLeft | Should -Be 4
        $first.State | Should -Be 'Ready'
        $first.Message | Should -Be 'Wrong basic code (PIN1): 4 tries left.'
        $second.TriesLeft | Should -Be 3
        $second.Message | Should -Match '3 tries left'
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 3
        (Read-CardFile $script:Card.Path).Pin2.TriesLeft | Should -Be 5 -Because 'only PIN1 was tried'
    }

    It 'checks PIN2 by its signature-code names' {
        $before = Get-CardSnapshot $script:Card
        $wrong = Test-CardPin -Code Signature -Pin (S '147037')
        $right = Test-CardPin -Code signaturkod -Pin (S '147036')

        $wrong.Code | Should -Be 'Pin2'
        $wrong.Message | Should -Be 'Wrong signature code (PIN2): 4 tries left.'
        $right.Verified | Should -BeTrue
        $right.TriesLeft | Should -Be 5 -Because 'a right entry resets the counter'
        Get-PinCommand (Get-ApduSince $script:Card $before) | ForEach-Object { $_ | Should -BeLike '00 20 00 82 `[code redacted`] -> *' }
    }

    It 'answers only $true or $false with -Quiet' {
        $right = Test-CardPin -Code Pin1 -Pin (S '2580') -Quiet
        $wrong = Test-CardPin -Code Pin1 -Pin (S '2589') -Quiet

        $right | Should -BeOfType [bool]
        $right | Should -BeTrue
        $wrong | Should -BeOfType [bool]
        $wrong | Should -BeFalse
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 4
    }

    It 'keeps the last try: four wrong entries, the fifth refused without a VERIFY, and blocked only with -Force' {
        foreach ($try in 1..4) {
            (Test-CardPin -Code Pin1 -Pin (S '9999')).TriesLeft | Should -Be (5 - $try)
        }
        $before = Get-CardSnapshot $script:Card

        $refused = Test-CardPin -Code Pin1 -Pin (S '9999') -ErrorVariable failures -ErrorAction SilentlyContinue

        $refused | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'LastTryProtected,FinCardPin.Cmdlets.TestCardPinCommand' -Category 'SecurityError'
        $failures[0].Exception.Message | Should -Match 'only one try left'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        $sent = Get-ApduSince $script:Card $before
        Get-ApduCommand $sent | Should -Be ($script:SessionStart + '00 CB 00 FF 05 A0 03 83 01 11') -Because 'only the counter was read'
        $sent | Where-Object { $_ -like '00 20 *' } | Should -BeNullOrEmpty
        Get-Content -Raw $script:Card.Path | Should -BeExactly $before.State

        $forced = Test-CardPin -Code Pin1 -Pin (S '9999') -Force

        $forced.Verified | Should -BeFalse
        $forced.Blocked | Should -BeTrue
        $forced.State | Should -Be 'Blocked'
        $forced.TriesLeft | Should -Be 0
        $forced.Message | Should -Match 'blocked.*Unlock-CardPin'
        (Get-ApduSince $script:Card $before)[-1] | Should -Be '00 20 00 11 [code redacted] -> 63 C0'
        (Read-CardFile $script:Card.Path).Pin1.TriesLeft | Should -Be 0
        (Get-CardPinStatus -Code Pin1).State | Should -Be 'Blocked'
    }

    It 'reports a blocked code as Blocked without sending a VERIFY, even for the right code' {
        Remove-Card 0
        $script:Card = New-TestCard $script:Folder 'test-blocked' 0 @{ Serial = '9246500002'; Pin1 = '2580' } -Edit { $args[0].Pin1.TriesLeft = 0 }
        $before = Get-CardSnapshot $script:Card

        $result = Test-CardPin -Code Pin1 -Pin (S '2580') -Force

        $result.Verified | Should -BeFalse
        $result.Blocked | Should -BeTrue
        $result.TriesLeft | Should -Be 0
        $result.Message | Should -Match 'is blocked'
        $result.Message | Should -Match 'Unlock-CardPin'
        $sent = Get-ApduSince $script:Card $before
        $sent | Where-Object { $_ -like '00 20 *' } | Should -BeNullOrEmpty
        Get-Content -Raw $script:Card.Path | Should -BeExactly $before.State
    }
}

Describe 'Unlock-CardPin' {
    AfterEach { Remove-Card 0 }

    It 'unblocks a blocked PIN1 with the activation code, and the new PIN verifies' {
        $card = New-TestCard $script:Folder 'unlock' 0 @{ Serial = '9246600001'; ActivationCode = '31415926' } -Edit { $args[0].Pin1.TriesLeft = 0 }
        $before = Get-CardSnapshot $card

        # -Puk: the parameter's old name still binds (vocabulary: old name, kept)
        $status = Unlock-CardPin -Code Pin1 -Puk (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false -PassThru # vocabulary: old name, kept

        $status | Should -BeOfType 'FinCardPin.PinStatus'
        $status.Code | Should -Be 'Pin1'
        $status.State | Should -Be 'Ready'
        $status.TriesLeft | Should -Be 5
        $status.NextStep | Should -BeNullOrEmpty
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 2C 00 11 [code redacted] -> 90 00')
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '8642'
        (Test-CardPin -Code Pin1 -Pin (S '8642')).Verified | Should -BeTrue
    }

    It 'refuses a wrong activation code as WrongActivationCode with the tries left' {
        $card = New-TestCard $script:Folder 'unlock-wrong' 0 @{ Serial = '9246600002'; ActivationCode = '31415926' } -Edit { $args[0].Pin2.TriesLeft = 0 }

        $status = Unlock-CardPin -Code Pin2 -ActivationCode (S '31415927') -NewPin (S '975310') -ReaderName $card.Reader -Confirm:$false -PassThru `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        $status | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'WrongActivationCode,FinCardPin.Cmdlets.UnlockCardPinCommand' -Category 'AuthenticationError'
        $failures[0].Exception.Message | Should -Be 'Wrong activation code (PUK): 4 tries left.'
        $state = Read-CardFile $card.Path
        $state.ActivationCode.TriesLeft | Should -Be 4
        $state.Pin2.TriesLeft | Should -Be 0 -Because 'PIN2 stays blocked'
    }

    It 'keeps the activation code''s last try unless -Force, and then unblocks' {
        $card = New-TestCard $script:Folder 'unlock-lasttry' 0 @{ Serial = '9246600003'; ActivationCode = '31415926' } -Edit {
            $args[0].Pin1.TriesLeft = 0
            $args[0].ActivationCode.TriesLeft = 1
        }
        $before = Get-CardSnapshot $card

        Unlock-CardPin -Code Pin1 -ActivationCode (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'LastTryProtected,FinCardPin.Cmdlets.UnlockCardPinCommand' -Category 'SecurityError'
        $failures[0].Exception.Message | Should -Match 'activation code \(PUK\).*only one try left'
        $sent = Get-ApduSince $card $before
        # An unblock reads the card's own PIN rules (EF.ODF and the AODF) once, then the PIN's counter (a 2026 card's
        # preset code is refused there) and the activation code's.
        Get-ApduCommand $sent | Should -Be ($script:SessionStart + (Get-Pkcs15ReadCommands) + '00 CB 00 FF 05 A0 03 83 01 11' + '00 CB 00 FF 05 A0 03 83 01 83')
        Get-Content -Raw $card.Path | Should -BeExactly $before.State

        $status = Unlock-CardPin -Code Pin1 -ActivationCode (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false -Force -PassThru

        $status.State | Should -Be 'Ready'
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '8642'
        $state.ActivationCode.TriesLeft | Should -Be 5
    }

    It 'refuses when the activation code is used up (ActivationCodeBlocked), without sending it' {
        $card = New-TestCard $script:Folder 'unlock-activation-code-blocked' 0 @{ Serial = '9246600004'; ActivationCode = '31415926' } -Edit {
            $args[0].Pin1.TriesLeft = 0
            $args[0].ActivationCode.TriesLeft = 0
        }
        $before = Get-CardSnapshot $card

        Unlock-CardPin -Code Pin1 -ActivationCode (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false -Force `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ActivationCodeBlocked,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'new card or a new code letter'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State
    }

    It 'activates both PINs of a card issued before 13.1.2026 with the 8-digit activation code' {
        $card = New-TestCard $script:Folder 'unlock-pre2026' 0 @{ UnactivatedCode = '62840517'; Serial = '9246600005' }
        $before = Get-CardSnapshot $card

        $pin1 = Unlock-CardPin -Code Pin1 -ActivationCode (S '62840517') -NewPin (S '9753') -ReaderName $card.Reader -Confirm:$false -PassThru
        $pin2 = Unlock-CardPin -Code Pin2 -ActivationCode (S '62840517') -NewPin (S '864209') -ReaderName $card.Reader -Confirm:$false -PassThru

        $pin1.State | Should -Be 'Ready'
        $pin2.State | Should -Be 'Ready'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @(
            '00 2C 00 11 [code redacted] -> 90 00'
            '00 2C 00 82 [code redacted] -> 90 00'
        )
        $status = Get-CardPinStatus -ReaderName $card.Reader
        $status.State | Should -Be @('Ready', 'Ready', 'Ready')
        $status.NextStep | Where-Object { $_ } | Should -BeNullOrEmpty
        (Test-CardPin -Code Pin2 -Pin (S '864209')).Verified | Should -BeTrue
    }
}

Describe 'Set-CardPin' {
    AfterEach { Remove-Card 0 }

    It 'changes PIN1 with the current code; -PassThru writes the new state' {
        $card = New-TestCard $script:Folder 'set' 0 @{ Serial = '9246700001'; Pin1 = '2580' }
        $before = Get-CardSnapshot $card

        $status = Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '147036') -PassThru

        $status | Should -BeOfType 'FinCardPin.PinStatus'
        $status.Code | Should -Be 'Pin1'
        $status.State | Should -Be 'Ready'
        $status.TriesLeft | Should -Be 5
        $status.CardSerial | Should -Be '9246700001'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 24 00 11 [code redacted] -> 90 00')
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '147036'
        (Test-CardPin -Code Pin1 -Pin (S '147036')).Verified | Should -BeTrue
        (Test-CardPin -Code Pin1 -Pin (S '2580')).Verified | Should -BeFalse -Because 'the old code is gone'

        Set-CardPin -Code Pin1 -CurrentPin (S '147036') -NewPin (S '3690') | Should -BeNullOrEmpty -Because 'without -PassThru nothing is written'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '3690'
    }

    It 'refuses a wrong current code as WrongPin with the tries left, and changes nothing' {
        $card = New-TestCard $script:Folder 'set-wrong' 0 @{ Serial = '9246700002'; Pin1 = '2580' }

        $status = Set-CardPin -Code Pin1 -CurrentPin (S '2581') -NewPin (S '147036') -ReaderName $script:Reader0 -PassThru `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        $status | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'WrongPin,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'AuthenticationError'
        $failures[0].TargetObject | Should -Be $script:Reader0
        $failures[0].Exception.Message | Should -Be 'Wrong basic code (PIN1): 4 tries left.'
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '2580'
        $state.Pin1.TriesLeft | Should -Be 4
    }

    It 'refuses a blocked code as PinBlocked without sending a CHANGE' {
        $card = New-TestCard $script:Folder 'set-blocked' 0 @{ Serial = '9246700003'; Pin2 = '147036' } -Edit { $args[0].Pin2.TriesLeft = 0 }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin2 -CurrentPin (S '147036') -NewPin (S '258036') -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'PinBlocked,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'AuthenticationError'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Unlock-CardPin'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State
    }

    It 'refuses PIN1 of a card issued before 13.1.2026 and not activated, pointing to Unlock-CardPin' {
        $card = New-TestCard $script:Folder 'set-pre2026' 0 @{ UnactivatedCode = '62840517'; Serial = '9246700004' }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (S '62840517') -NewPin (S '9753') -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PinNotActivated,*'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Unlock-CardPin'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
    }

    It 'activates a card issued from 13.1.2026 with the 7-digit activation code as the current code' {
        $card = New-TestCard $script:Folder 'set-2026' 0 @{ Unactivated2026Code = '4711235'; Serial = '9246700005' }
        $before = Get-CardSnapshot $card

        $pin1 = Set-CardPin -Code Pin1 -CurrentPin (S '4711235') -NewPin (S '802461') -PassThru

        $pin1.State | Should -Be 'Ready'
        $pin1.TriesLeft | Should -Be 5
        $pin1.NextStep | Should -BeNullOrEmpty
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 24 00 11 [code redacted] -> 90 00')
        $status = Get-CardPinStatus -ReaderName $card.Reader
        $status[0].State | Should -Be 'Ready'
        $status[1].State | Should -Be 'NotActivated' -Because 'PIN2 is activated separately'
        (Test-CardPin -Code Pin1 -Pin (S '802461')).Verified | Should -BeTrue

        $pin2 = Set-CardPin -Code Pin2 -CurrentPin (S '4711235') -NewPin (S '35791357') -PassThru
        $pin2.State | Should -Be 'Ready'
        (Read-CardFile $card.Path).Pin2.Value | Should -Be '35791357'
    }

    It 'takes the card piped from Get-CardPinStatus -Code Pin2 when -Code names the same code' {
        $card = New-TestCard $script:Folder 'set-pipe' 0 @{ Serial = '9246700006'; Pin2 = '147036' }

        $status = Get-CardPinStatus -Code Pin2 | Set-CardPin -Code Pin2 -CurrentPin (S '147036') -NewPin (S '369258') -PassThru

        $status.Code | Should -Be 'Pin2'
        $status.State | Should -Be 'Ready'
        $state = Read-CardFile $card.Path
        $state.Pin2.Value | Should -Be '369258'
        $state.Pin1.Value | Should -Be '1234' -Because 'only PIN2 was piped'
    }
}

Describe 'organisation and SOTE cards' {
    AfterEach { Remove-Card 1 }

    It 'changes PIN1 of an organisation card with unpadded digits' {
        $card = New-TestCard $script:Folder 'org-set' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246800001'; Pin1 = '2580' }
        $before = Get-CardSnapshot $card

        $status = Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '13572468') -ReaderName $card.Reader -PassThru

        $status.State | Should -Be 'Ready'
        $status.CardKind | Should -Be 'OrganisationOrSoteCard'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 03 [code redacted] -> 90 00', '00 24 00 03 [code redacted] -> 90 00') -Because 'the current code is verified before CHANGE'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '13572468' -Because 'the card split 4 + 8 unpadded digits where they were meant'
    }

    It 'unblocks PIN2 of an organisation card in two steps: VERIFY of the activation code, then RESET RETRY COUNTER with P1 02' {
        $card = New-TestCard $script:Folder 'org-unlock' 1 @{ CardProfile = 'OrganisationIdemiaCosmoX'; Serial = '9246800002'; ActivationCode = '31415926' } -Edit {
            $args[0].Pin2.TriesLeft = 0
        }
        $before = Get-CardSnapshot $card

        $status = Unlock-CardPin -Code Pin2 -ActivationCode (S '31415926') -NewPin (S '271828') -ReaderName $card.Reader -Confirm:$false -PassThru

        $status.State | Should -Be 'Ready'
        $status.TriesLeft | Should -Be 5
        $sent = Get-ApduSince $card $before
        Get-PinCommand $sent | Should -Be @(
            '00 20 00 12 [code redacted] -> 90 00'
            '00 2C 02 04 [code redacted] -> 90 00'
        )
        $verify = [array]::IndexOf($sent, '00 20 00 12 [code redacted] -> 90 00')
        $sent[$verify + 1] | Should -Be '00 2C 02 04 [code redacted] -> 90 00' -Because 'the unblock follows the activation code check directly'
        $state = Read-CardFile $card.Path
        $state.Pin2.Value | Should -Be '271828'
        $state.Pin2.TriesLeft | Should -Be 5
    }

    It 'sets a 4-digit PIN2 on a SOTE card' {
        $card = New-TestCard $script:Folder 'sote-set' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Variant = 'Sote'; Serial = '9246800003'; Pin2 = '147036' }

        $status = Set-CardPin -Code Pin2 -CurrentPin (S '147036') -NewPin (S '2468') -ReaderName $card.Reader -PassThru

        $status.State | Should -Be 'Ready'
        (Read-CardFile $card.Path).Pin2.Value | Should -Be '2468'
    }

    It 'reports the organisation card''s refusal of a 4-digit PIN2 as CardRejectedNewPin, and nothing changes' {
        # A card without PKCS#15 PIN objects: the built-in rule (4-8 on organisation and SOTE cards) applies and the card
        # itself refuses. (A card whose AODF says 6-8 refuses it before any code: CardTruth.Tests.ps1.)
        $card = New-TestCard $script:Folder 'org-set-short' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Variant = 'Organisation'; Serial = '9246800004'; Pin2 = '147036' } -Edit {
            $args[0].AodfHex = 'FF'
        }
        $before = Get-CardSnapshot $card

        $status = Set-CardPin -Code Pin2 -CurrentPin (S '147036') -NewPin (S '2468') -ReaderName $card.Reader -PassThru `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        $status | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'CardRejectedNewPin,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match '6-8'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 04 [code redacted] -> 90 00', '00 24 00 04 [code redacted] -> 6A 80')
        $state = Read-CardFile $card.Path
        $state.Pin2.Value | Should -Be '147036'
        $state.Pin2.TriesLeft | Should -Be 5
    }

    It 'refuses a 7-digit activation code on an organisation card before the card sees it' {
        $card = New-TestCard $script:Folder 'org-activation-code-7' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246800005'; ActivationCode = '31415926' } -Edit {
            $args[0].Pin1.TriesLeft = 0
        }
        $before = Get-CardSnapshot $card

        Unlock-CardPin -Code Pin1 -ActivationCode (S '3141592') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'InvalidPinLength,*' -Like
        Assert-Untouched $card $before
    }
}

Describe 'refusals before the card sees anything' {
    BeforeAll {
        $script:Identity = New-TestCard $script:Folder 'refuse-identity' 0 @{ Serial = '9246900001'; Pin1 = '1234'; Pin2 = '123456'; ActivationCode = '12345678' }
        $script:Organisation = New-TestCard $script:Folder 'refuse-org' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246900002' }
    }
    AfterAll {
        Remove-Card 0
        Remove-Card 1
    }

    It 'refuses <Case> with <Id>' -ForEach @(
        @{ Case = 'a 3-digit PIN1'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = '123' }; Id = 'InvalidPinLength' }
        @{ Case = 'a 13-digit PIN1 (the card stores 12)'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = '1234567890123' }; Id = 'InvalidPinLength' }
        @{ Case = 'an empty PIN1'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = '' }; Id = 'InvalidPinLength' }
        @{ Case = 'a new 3-digit PIN1'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = '123' }; Id = 'InvalidPinLength' }
        @{ Case = 'a new 9-digit PIN1'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = '123456789' }; Id = 'InvalidPinLength' }
        @{ Case = 'a 5-digit PIN2 on an identity card'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin2'; Pin = '12345' }; Id = 'InvalidPinLength' }
        @{ Case = 'a new 5-digit PIN2 on an identity card'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin2'; CurrentPin = '123456'; NewPin = '12345' }; Id = 'InvalidPinLength' }
        @{ Case = 'a new 5-digit PIN2 by unblock on an identity card'; Command = 'Unlock-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin2'; ActivationCode = '12345678'; NewPin = '12345'; Confirm = $false }; Id = 'InvalidPinLength' }
        @{ Case = 'a 3-digit PIN2 on an organisation card'; Command = 'Test-CardPin'; Slot = 1; Arguments = @{ Code = 'Pin2'; Pin = '123' }; Id = 'InvalidPinLength' }
        @{ Case = 'letters'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = 'abcd' }; Id = 'InvalidPinCharacters' }
        @{ Case = 'a letter among digits'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = '12a4' }; Id = 'InvalidPinCharacters' }
        @{ Case = 'a space before the digits'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = ' 1234' }; Id = 'InvalidPinCharacters' }
        @{ Case = 'Arabic-Indic digits'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = "`u{0661}`u{0662}`u{0663}`u{0664}" }; Id = 'InvalidPinCharacters' }
        @{ Case = 'fullwidth digits'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; Pin = "`u{FF11}`u{FF12}`u{FF13}`u{FF14}" }; Id = 'InvalidPinCharacters' }
        @{ Case = 'a new PIN of fullwidth digits'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = "`u{FF15}`u{FF16}`u{FF17}`u{FF18}" }; Id = 'InvalidPinCharacters' }
        @{ Case = 'a new PIN equal to the current one'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = '1234' }; Id = 'NewPinSameAsCurrent' }
        @{ Case = 'a 6-digit activation code'; Command = 'Unlock-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; ActivationCode = '123456'; NewPin = '5678'; Confirm = $false }; Id = 'InvalidPinLength' }
        @{ Case = 'a 13-digit activation code'; Command = 'Unlock-CardPin'; Slot = 0; Arguments = @{ Code = 'Pin1'; ActivationCode = '1234567890123'; NewPin = '5678'; Confirm = $false }; Id = 'InvalidPinLength' }
        @{ Case = 'Set-CardPin -Code ActivationCode'; Command = 'Set-CardPin'; Slot = 0; Arguments = @{ Code = 'ActivationCode'; CurrentPin = '12345678'; NewPin = '87654321' }; Id = 'CodeNotApplicable' }
        @{ Case = 'Unlock-CardPin -Code Puk'; Command = 'Unlock-CardPin'; Slot = 0; Arguments = @{ Code = 'Puk'; ActivationCode = '12345678'; NewPin = '87654321'; Confirm = $false }; Id = 'CodeNotApplicable' }
        @{ Case = 'Test-CardPin -Code ActivationCode'; Command = 'Test-CardPin'; Slot = 0; Arguments = @{ Code = 'ActivationCode'; Pin = '12345678' }; Id = 'CodeNotApplicable' }
    ) {
        $splat = @{}
        foreach ($name in $Arguments.Keys) {
            $value = $Arguments[$name]
            $splat[$name] = if ($name -in 'Pin', 'CurrentPin', 'NewPin', 'ActivationCode') { S $value } else { $value }
        }
        $cards = $script:Identity, $script:Organisation
        $before = $cards | ForEach-Object { Get-CardSnapshot $_ }

        $output = & $Command @splat -ReaderName $cards[$Slot].Reader -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "$Id,FinCardPin.Cmdlets.$($Command -replace '-', '')Command"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Assert-Untouched $cards[0] $before[0]
        Assert-Untouched $cards[1] $before[1]
    }

    It 'sends nothing for Set-CardPin -WhatIf' {
        $before = Get-CardSnapshot $script:Identity
        Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5678') -ReaderName $script:Reader0 -WhatIf -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 0
        Assert-Untouched $script:Identity $before
    }

    It 'sends nothing for Unlock-CardPin -WhatIf' {
        $before = Get-CardSnapshot $script:Identity
        Unlock-CardPin -Code Pin2 -ActivationCode (S '12345678') -NewPin (S '567890') -ReaderName $script:Reader0 -WhatIf -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 0
        Assert-Untouched $script:Identity $before
    }

    It 'neither prompts nor sends for -WhatIf without the codes' {
        $before = Get-CardSnapshot $script:Identity
        Set-CardPin -Code Pin1 -ReaderName $script:Reader0 -WhatIf -ErrorVariable failures | Should -BeNullOrEmpty
        Unlock-CardPin -Code Pin1 -ReaderName $script:Reader0 -WhatIf -ErrorVariable +failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be 0 -Because 'a prompt in this non-interactive session would have failed with PinPromptNotAvailable'
        Assert-Untouched $script:Identity $before
    }

    It 'refuses to guess between two FINEID cards (MultipleFineidCards) with <Command>' -ForEach @(
        @{ Command = 'Test-CardPin'; Arguments = @{ Code = 'Pin1'; Pin = '1234' } }
        @{ Command = 'Set-CardPin'; Arguments = @{ Code = 'Pin1'; CurrentPin = '1234'; NewPin = '5678' } }
        @{ Command = 'Unlock-CardPin'; Arguments = @{ Code = 'Pin1'; ActivationCode = '12345678'; NewPin = '5678'; Confirm = $false } }
    ) {
        $splat = @{}
        foreach ($name in $Arguments.Keys) {
            $splat[$name] = if ($name -eq 'Code' -or $name -eq 'Confirm') { $Arguments[$name] } else { S $Arguments[$name] }
        }
        $before = $script:Identity, $script:Organisation | ForEach-Object { Get-CardSnapshot $_ }

        $output = & $Command @splat -ErrorVariable failures -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        Assert-OneFailure $failures 'MultipleFineidCards,*' -Category 'InvalidArgument' -Like
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:Reader0))
        $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:Reader1))
        Assert-Untouched $script:Identity $before[0]
        Assert-Untouched $script:Organisation $before[1]
    }

    # The card host holds the card exclusively: another process, through pcscd.
    It 'refuses a reader held exclusively by another program past $FinCardPinBusyTimeout (ReaderInExclusiveUse)' -Tag 'Daemon' {
        $before = Get-CardSnapshot $script:Identity
        $FinCardPinBusyTimeout = 1
        Send-CardHost 'lock 0' | Out-Null
        try {
            Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5678') -ReaderName $script:Reader0 -ErrorVariable failures -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
        }
        finally {
            Send-CardHost 'unlock 0' | Out-Null
        }
        Assert-OneFailure $failures 'ReaderInExclusiveUse,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'ResourceBusy'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Close the other smart card program'
        Assert-Untouched $script:Identity $before
    }
}

Describe 'a card that changes under the command' {
    AfterEach {
        Remove-Card 0
        Remove-Card 1
    }

    # The reader's event counter, which only pcscd keeps between two calls.
    It 'refuses a card swapped since Get-CardReader as CardChanged, and sends it no PIN command' -Tag 'Daemon' {
        $first = New-TestCard $script:Folder 'swap-first' 0 @{ Serial = '9247000001' }
        $stale = Get-CardReader -Name $first.Reader
        $stale.CardSerial | Should -Be '9247000001'
        Remove-Card 0
        $second = New-TestCard $script:Folder 'swap-second' 0 @{ Serial = '9247000002' }
        $before = Get-CardSnapshot $second

        $stale | Set-CardPin -Code Pin1 -CurrentPin (S '1234') -NewPin (S '5678') -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty

        Assert-OneFailure $failures 'CardChanged,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'InvalidOperation'
        $failures[0].Exception.Message | Should -Match '9247000002'
        $failures[0].Exception.Message | Should -Match '9247000001'
        Get-ApduCommand (Get-ApduSince $second $before) | Should -Be $script:SessionStart -Because 'only the serial was read, no PIN command and no counter'
        Get-Content -Raw $second.Path | Should -BeExactly $before.State
    }

    It 'reports a card removed during the change as PinOutcomeUnknown: the removal, and that a try may be spent' {
        $card = New-TestCard $script:Folder 'removed-error' 0 @{ Serial = '9247000003'; Pin1 = '2580'; RemoveOnInstruction = '24' }

        Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '1357') -ReaderName $card.Reader -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'PinOutcomeUnknown,FinCardPin.Cmdlets.SetCardPinCommand'
        $failures[0].Exception.Message | Should -Match 'removed'
        $failures[0].Exception.Message | Should -Match 'a try may have been used'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Get-CardPinStatus'
    }

    It 'leaves the PIN unchanged when the card is removed during the change: the old code still verifies' {
        $card = New-TestCard $script:Folder 'removed' 0 @{ Serial = '9247000004'; Pin1 = '2580'; RemoveOnInstruction = '24' }
        $before = Get-CardSnapshot $card

        $status = Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '1357') -ReaderName $card.Reader -PassThru -ErrorVariable failures -ErrorAction SilentlyContinue

        $status | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1 -Because 'the command failed'
        (Get-ApduSince $card $before)[-1] | Should -Be '00 24 00 11 [code redacted] -> (card removed)'
        Remove-Card 0

        # The same card again: a fresh copy of its state file, without the fault.
        $again = Join-Path $script:Folder 'removed-again.json'
        Copy-Item $card.Path $again
        Update-CardFile $again { $args[0].Faults.RemoveOnInstruction = $null }
        Add-Card 0 $again (Join-Path $script:Folder 'removed-again.log')

        $state = Read-CardFile $again
        $state.Pin1.Value | Should -Be '2580'
        $state.Pin1.TriesLeft | Should -Be 5
        (Test-CardPin -Code Pin1 -Pin (S '2580') -ReaderName $card.Reader).Verified | Should -BeTrue
    }
}
