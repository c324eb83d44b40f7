# The promises about codes, proven on cards that misbehave: real pwsh, the laid-out module, real pcscd, vpcd readers
# and our virtual cards with faults switched on in their state files. What reached the card is read from its APDU log,
# what it holds from its state file, and what another program sees from a second process connected through pcscd.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'unhappy'

    function script:S([string] $Digits) { ConvertTo-TestSecret $Digits }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'a command that carries a code reaches the card at most once' {
    AfterEach { Remove-Card 0 }

    It 'VERIFY answered 6C0C: Test-CardPin sends the code once and says the outcome is unknown' {
        $card = New-TestCard $script:Folder 'verify-6c' 0 @{ Serial = '9248000001'; Pin1 = '2580' } -Edit {
            $args[0].Faults.AnswerInstruction = '20'
            $args[0].Faults.AnswerStatusWord = '6C0C'
            $args[0].Faults.AnswerOnlyCommandsWithData = $true
        }
        $before = Get-CardSnapshot $card

        $result = Test-CardPin -Code Pin1 -Pin (S '2580') -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Get-ErrorId $failures | Should -Be @('PinOutcomeUnknown')
        $failures[0].CategoryInfo.Category | Should -Be 'ProtocolError'
        $failures[0].Exception.Message | Should -Match 'a try may have been used'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Get-CardPinStatus'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 11 [code redacted] -> 6C 0C')
    }

    It 'CHANGE answered 6C08 (and 63C2 had it been sent again): Set-CardPin sends it once and reports no tries' {
        $card = New-TestCard $script:Folder 'change-6c' 0 @{ Serial = '9248000002'; Pin1 = '2580' } -Edit {
            $args[0].Faults.AnswerInstruction = '24'
            $args[0].Faults.AnswerStatusWord = '6C08'
            $args[0].Faults.AnswerTimes = 1
        }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (S '0000') -NewPin (S '1357') -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -Be @('PinOutcomeUnknown')
        $failures[0].Exception.Message | Should -Not -Match 'tries left'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 24 00 11 [code redacted] -> 6C 08')
        (Read-CardFile $card.Path).Pin1.TriesLeft | Should -Be 5 -Because 'a resend of the wrong current code would have spent a try'
    }

    It 'a CHANGE whose answer is lost (the card executed it, then vanished) ends in PinOutcomeUnknown' {
        $card = New-TestCard $script:Folder 'change-lost' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9248000003'; Pin1 = '2580' } -Edit {
            $args[0].Faults.LoseAnswerOnInstruction = '24'
        }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '135790') -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -Be @('PinOutcomeUnknown')
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 03 [code redacted] -> 90 00', '00 24 00 03 [code redacted] -> (card removed)')
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '135790' -Because 'the card did execute it: that is why the outcome is reported as unknown, not as failed'
    }
}

Describe 'an organisation card never gets a code nobody chose' {
    AfterEach { Remove-Card 1 }

    It 'a current code of another length than the stored one is caught by VERIFY, and no CHANGE is sent' {
        $card = New-TestCard $script:Folder 'org-split' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9248000011'; Pin1 = '1234' }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (S '12345') -NewPin (S '6789') -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -Be @('WrongPin')
        $failures[0].Exception.Message | Should -Match '4 tries left'
        Get-PinCommand (Get-ApduSince $card $before) | Should -Be @('00 20 00 03 [code redacted] -> 63 C4')
        $state = Read-CardFile $card.Path
        $state.Pin1.Value | Should -Be '1234' -Because 'CHANGE alone would have left 56789 on the card'
    }
}

# OtherProgram.ps1 probes the card from a process of its own, through pcscd.
Describe 'no code stays verified for other programs' -Tag 'Daemon' {
    AfterEach {
        Stop-OtherProgram $script:Other
        Remove-Card $script:Slot
    }

    It 'after <Command> on <Profile>, another program''s empty VERIFY of <Reference> finds the code not verified' -ForEach @(
        @{ Profile = 'IdentityThalesV5'; Slot = 0; Reference = '82'; Command = 'Test-CardPin -Code Pin2'; Run = { Test-CardPin -Code Pin2 -Pin (S '147036') -ReaderName $args[0] } }
        @{ Profile = 'OrganisationIdemiaIdMe'; Slot = 1; Reference = '04'; Command = 'Test-CardPin -Code Pin2'; Run = { Test-CardPin -Code Pin2 -Pin (S '147036') -ReaderName $args[0] } }
        @{ Profile = 'OrganisationIdemiaCosmoX'; Slot = 1; Reference = '03'; Command = 'Set-CardPin -Code Pin1'; Run = { Set-CardPin -Code Pin1 -CurrentPin (S '2580') -NewPin (S '135790') -ReaderName $args[0] -PassThru } }
    ) {
        $script:Slot = $Slot
        $card = New-TestCard $script:Folder "verified-$Slot" $Slot @{ CardProfile = $Profile; Serial = '9248000021'; Pin1 = '2580'; Pin2 = '147036' }
        $script:Other = Start-OtherProgram $Slot

        $outcome = & $Run $card.Reader

        $outcome | Should -Not -BeNullOrEmpty -Because 'the code was right and the operation succeeded'
        Invoke-OtherProgramProbe $script:Other $Reference | Should -Be '63 C5' -Because 'a verified code would answer 90 00 and let the other program use the key without the code'
        Get-Content $card.Log | Should -Contain '# reset'
    }

    It 'a status read leaves the card as it is: no reset disturbs the other program' {
        $script:Slot = 0
        $card = New-TestCard $script:Folder 'status-leave' 0 @{ Serial = '9248000022' }
        $script:Other = Start-OtherProgram 0
        $before = @(Get-Content $card.Log)

        Get-CardPinStatus -ReaderName $card.Reader | Should -HaveCount 3

        @(Get-Content $card.Log | Select-Object -Skip $before.Count) | Should -Not -Contain '# reset'
    }
}

Describe 'a piped object binds the code and the card' {
    BeforeAll {
        $script:Card = New-TestCard $script:Folder 'pipe' 0 @{ Serial = '9248000031'; Pin1 = '2580'; Pin2 = '147036' }
        $script:Statuses = @(Get-CardPinStatus -ReaderName $script:Card.Reader)
    }
    AfterAll { Remove-Card 0 }

    It 'refuses a code given as a parameter when -Code comes from the piped objects (CodeNotNamed), sending nothing' {
        $before = Get-CardSnapshot $script:Card

        $results = $script:Statuses | Test-CardPin -Pin (S '147036') -ErrorVariable failures -ErrorAction SilentlyContinue

        $results | Should -BeNullOrEmpty
        Get-ErrorId $failures | Should -Be @('CodeNotNamed', 'CodeNotNamed', 'CodeNotNamed')
        Assert-Untouched $script:Card $before
    }

    It 'checks only the code -Code names, and refuses the piped objects of other codes (PipedCodeMismatch)' {
        $before = Get-CardSnapshot $script:Card

        $results = @($script:Statuses | Test-CardPin -Code Pin1 -Pin (S '2580') -ErrorVariable failures -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 1
        $results[0].Code | Should -Be 'Pin1'
        $results[0].Verified | Should -BeTrue
        Get-ErrorId $failures | Should -Be @('PipedCodeMismatch', 'PipedCodeMismatch')
        Get-PinCommand (Get-ApduSince $script:Card $before) | Should -Be @('00 20 00 11 [code redacted] -> 90 00')
    }

    It 'refuses a piped object whose card serial is empty (CardSerialUnknown), sending nothing' {
        $before = Get-CardSnapshot $script:Card
        $unread = [pscustomobject]@{ ReaderName = $script:Card.Reader; CardSerial = $null }

        $unread | Test-CardPin -Code Pin1 -Pin (S '2580') -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -Be @('CardSerialUnknown')
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'Get-CardReader'
        Assert-Untouched $script:Card $before
    }

    It 'binds only the reader for a piped object that carries no CardSerial property at all' {
        $result = [pscustomobject]@{ ReaderName = $script:Card.Reader } | Test-CardPin -Code Pin1 -Pin (S '2580')

        $result.Verified | Should -BeTrue
    }
}

Describe 'a counter the card cannot have' {
    AfterEach { Remove-Card 1 }

    It 'is reported as Unknown, and guarded like a last try' {
        $card = New-TestCard $script:Folder 'impossible' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9248000041'; Pin1 = '2580' } -Edit {
            $args[0].Faults.ReportedTriesLeft = 9
        }

        $status = Get-CardPinStatus -ReaderName $card.Reader -Code Pin1
        $status.State | Should -Be 'Unknown'
        $status.TriesLeft | Should -BeNullOrEmpty
        $before = Get-CardSnapshot $card

        Test-CardPin -Code Pin1 -Pin (S '2580') -ReaderName $card.Reader -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -Be @('LastTryProtected')
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
    }
}
