# Where the public sources disagree about the cards (README, "Which behaviour comes from where"): the module spends
# nothing on its own uncertainty and accepts what the card holds. What reached the card is read from its APDU log,
# what it holds from its state file.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'realcards'

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'codes the holder already has: up to what the card stores' {
    AfterEach { Remove-Card 0 }

    It 'checks and changes a <Digits>-digit PIN1 on an identity card' -ForEach @(
        @{ Digits = 10; Held = '7391582046' }
        @{ Digits = 12; Held = '739158204613' }
    ) {
        $card = New-TestCard $script:Folder "held-$Digits" 0 @{ Serial = '9247000001'; Pin1 = $Held }
        $before = Get-CardSnapshot $card

        $checked = Test-CardPin -Code Pin1 -Pin (S $Held) -ReaderName $card.Reader
        Set-CardPin -Code Pin1 -CurrentPin (S $Held) -NewPin (S '80246813') -ReaderName $card.Reader

        $checked.Verified | Should -BeTrue
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 11 [code redacted] -> 90 00', '00 24 00 11 [code redacted] -> 90 00')
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '80246813'
        $state.Pin1.TriesLeft | Should -Be 5
    }

    It 'still refuses a 9-digit NEW code with nothing sent' {
        $card = New-TestCard $script:Folder 'held-new9' 0 @{ Serial = '9247000002'; Pin1 = '7391582046' }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (S '7391582046') -NewPin (S '802468135') -ReaderName $card.Reader `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'InvalidPinLength,FinCardPin.Cmdlets.SetCardPinCommand' -Category 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match '4-8'
        Assert-Untouched $card $before
    }

    It 'refuses a 13-digit code the holder types, with nothing sent' {
        $card = New-TestCard $script:Folder 'held-13' 0 @{ Serial = '9247000003'; Pin1 = '7391582046' }
        $before = Get-CardSnapshot $card

        Test-CardPin -Code Pin1 -Pin (S '7391582046135') -ReaderName $card.Reader -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'InvalidPinLength,FinCardPin.Cmdlets.TestCardPinCommand' -Category 'InvalidArgument'
        $failures[0].Exception.Message | Should -Match '4-12'
        Assert-Untouched $card $before
    }
}

Describe 'cards issued from 13.1.2026: the letter''s code activates, it does not unblock' {
    AfterEach { Remove-Card 0 }

    It 'refuses the 7-digit letter code to Unlock-CardPin before any code is sent, and names Set-CardPin' {
        $card = New-TestCard $script:Folder 'unlock-2026' 0 @{ Unactivated2026Code = '4711235'; Serial = '9247100001' }
        $before = Get-CardSnapshot $card

        Unlock-CardPin -Code Pin1 -ActivationCode (S '4711235') -NewPin (S '802461') -ReaderName $card.Reader -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'PinNotActivated,FinCardPin.Cmdlets.UnlockCardPinCommand' -Category 'InvalidOperation'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Set-CardPin'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'separately ordered'
        $failures[0].Exception.Message | Should -Match 'no try was spent'
        Assert-NoCodeSent $card $before
        (Read-CardFile $card.Path).ActivationCode.TriesLeft | Should -Be 5
    }

    It 'sends a 7-digit code to Unlock-CardPin on a card issued before 13.1.2026 as before (the card decides)' {
        $card = New-TestCard $script:Folder 'unlock-pre2026-7' 0 @{ UnactivatedCode = '62840517'; Serial = '9247100002' }
        $before = Get-CardSnapshot $card

        Unlock-CardPin -Code Pin1 -ActivationCode (S '6284051') -NewPin (S '802461') -ReaderName $card.Reader -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'WrongActivationCode,FinCardPin.Cmdlets.UnlockCardPinCommand'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 2C 00 11 [code redacted] -> 63 C4')
    }

    It 'activates a card issued before 13.1.2026 with Unlock-CardPin as before' {
        $card = New-TestCard $script:Folder 'unlock-pre2026-8' 0 @{ UnactivatedCode = '62840517'; Serial = '9247100003' }

        $pin1 = Unlock-CardPin -Code Pin1 -ActivationCode (S '62840517') -NewPin (S '802461') -ReaderName $card.Reader -Confirm:$false -PassThru

        $pin1.State | Should -Be 'Ready'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '802461'
    }

    It 'says in the status that the letter''s code activates and unblocking needs the separately ordered code' {
        $card = New-TestCard $script:Folder 'status-2026' 0 @{ Unactivated2026Code = '4711235'; Serial = '9247100004' }

        $status = @(Get-CardPinStatus -ReaderName $card.Reader)

        $status[0].NextStep | Should -Match 'Set-CardPin'
        $status[0].NextStep | Should -Match 'separately ordered unblocking code'
        $status[0].NextStep | Should -Not -Match 'new card'
    }
}

Describe 'status words in the context of the command that got them' {
    AfterEach { Remove-Card 0 }

    It 'reports a never-activated organisation slot that answers 6984 as blocked or not activated yet, and Unlock-CardPin sets it' {
        $card = New-TestCard $script:Folder 'org-6984' 0 @{ CardProfile = 'OrganisationOberthurCosmoV7'; UnactivatedCode = '31415926'; Serial = '9247200001' }
        $before = Get-CardSnapshot $card

        $status = @(Get-CardPinStatus -ReaderName $card.Reader)
        Set-CardPin -Code Pin1 -CurrentPin (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false `
            -ErrorVariable failures -ErrorAction SilentlyContinue

        (Get-ApduSince $card $before) | Where-Object { $_ -like '00 20 00 03*' } | Select-Object -First 1 | Should -Be '00 20 00 03 -> 69 84'
        $status[0].State | Should -Be 'BlockedOrNotActivated'
        $status[0].NextCommand | Should -Be 'Unlock-CardPin -Code Pin1'
        $status[0].NextStep | Should -Match 'never activated'
        Assert-OneFailure $failures 'PinBlocked,FinCardPin.Cmdlets.SetCardPinCommand'
        $failures[0].Exception.Message | Should -Match 'blocked, or it has not been activated yet'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty

        $pin1 = Unlock-CardPin -Code Pin1 -ActivationCode (S '31415926') -NewPin (S '8642') -ReaderName $card.Reader -Confirm:$false -PassThru
        $pin1.State | Should -Be 'Ready'
    }

    It 'treats 6985 after a VERIFY as an unexpected answer, not as "the same code as now"' {
        $card = New-TestCard $script:Folder 'verify-6985' 0 @{ Serial = '9247200002'; Pin1 = '2580' } -Edit {
            $args[0].Faults.AnswerInstruction = '20'
            $args[0].Faults.AnswerStatusWord = '6985'
            $args[0].Faults.AnswerOnlyCommandsWithData = $true
        }
        $before = Get-CardSnapshot $card

        Test-CardPin -Code Pin1 -Pin (S '2580') -ReaderName $card.Reader -ErrorVariable failures -ErrorAction SilentlyContinue

        Assert-OneFailure $failures 'UnexpectedCardAnswer,FinCardPin.Cmdlets.TestCardPinCommand'
        $failures[0].Exception.Message | Should -Match 'answered 69 85'
        $failures[0].Exception.Message | Should -Not -Match 'same'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 11 [code redacted] -> 69 85')
    }
}

Describe 'a card whose own PKCS#15 data names other PIN references than the built-in profile' {
    AfterEach { Remove-Card 0 }

    It 'asks the card with an empty VERIFY, uses the references 11 and 95 it holds codes at, and refuses nothing it accepts' {
        $card = New-TestCard $script:Folder 'variant-11-95' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9247300001'; Pin1 = '2468'; Pin2 = '246813' } -Edit {
            $args[0].PinReferencesHex = '11 95'
        }
        $before = Get-CardSnapshot $card

        $verbose = Test-CardPin -Code Pin2 -Pin (S '246813') -ReaderName $card.Reader -Verbose 4>&1
        Set-CardPin -Code Pin1 -CurrentPin (S '2468') -NewPin (S '1357') -ReaderName $card.Reader

        ($verbose | Where-Object { $_ -is [FinCardPin.PinTestResult] }).Verified | Should -BeTrue
        ($verbose | Out-String) | Should -Match 'reference 95, not the built-in 04'
        $sent = Get-ApduSince $card $before
        $sent | Should -Contain '00 20 00 95 -> 63 C5'
        $sent | Should -Contain '00 20 00 04 -> 6A 88'
        Get-PinCommand $sent | Should -Be @(
            '00 20 00 95 [code redacted] -> 90 00'
            '00 20 00 11 [code redacted] -> 90 00'
            '00 24 00 11 [code redacted] -> 90 00'
        )
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '1357'
        $state.Pin2.TriesLeft | Should -Be 5
    }
}

Describe 'reads that adapt, with no try at stake' {
    AfterEach { Remove-Card 0 }

    It 'reads the serial and the tries when SELECT by path is answered <Word> and READ BINARY over <Max> bytes <TooLong>' -ForEach @(
        # 6700 names no length: the module halves its reads (down to 16 bytes); 6Cxx names the length, however short.
        @{ Word = '6A86'; Max = 100; TooLong = '6700' }
        @{ Word = '6A82'; Max = 8; TooLong = '6C' }
    ) {
        $card = New-TestCard $script:Folder "adapt-$Word" 0 @{ Serial = '9247100001' } -Edit {
            $args[0].Faults.SelectUnderDfStatusWord = $Word
            $args[0].Faults.ReadBinaryMaxLength = $Max
            $args[0].Faults.ReadBinaryTooLongAnswer = $TooLong
        }
        $before = Get-CardSnapshot $card

        $reader = Get-CardReader -Name $card.Reader
        $status = @(Get-CardPinStatus -ReaderName $card.Reader -Code Pin1, Pin2)

        $reader.CardSerial | Should -Be '9247100001'
        $status.CardSerial | Should -Be @('9247100001', '9247100001')
        $status.TriesLeft | Should -Be @(5, 5)
        $sent = Get-ApduSince $card $before
        @($sent | Where-Object { $_ -match "^00 A4 02 .* -> $($Word.Substring(0, 2)) $($Word.Substring(2))$" }) | Should -Not -BeNullOrEmpty -Because 'the card refused the SELECT by path'
        Get-PinCommand $sent | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State -Because 'no try was spent'
    }

    It 'reads an IDEMIA card''s tries with the empty VERIFY when it refuses the counter GET DATA (6A88) (<Profile>)' -ForEach @(
        @{ Profile = 'OrganisationIdemiaIdMe' }, @{ Profile = 'OrganisationIdemiaCosmoX' }
    ) {
        $card = New-TestCard $script:Folder "idemia-$Profile" 0 @{ Serial = '9247100011'; CardProfile = $Profile; Variant = 'Organisation' } -Edit {
            $args[0].Faults.IdemiaGlobalGetDataRefused = $true
        }
        $before = Get-CardSnapshot $card

        $status = @(Get-CardPinStatus -ReaderName $card.Reader -Code Pin1, Pin2)

        $status.TriesLeft | Should -Be @(5, 5)
        $sent = Get-ApduSince $card $before
        @($sent | Where-Object { $_ -match '^00 CB .* -> 6A 88$' }) | Should -Not -BeNullOrEmpty -Because 'the card refused the GET DATA'
        Get-PinCommand $sent | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State -Because 'no try was spent'
    }
}
