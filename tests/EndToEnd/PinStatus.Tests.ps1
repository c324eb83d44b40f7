# Get-CardPinStatus end to end: real pwsh, the laid-out module, real pcscd, vpcd readers, our virtual cards.
# Every card a test inserts is removed again before the next test (AfterEach), so no state leaks between tests.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'status'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1

    $script:SessionStart = Get-SessionStartCommands

    # Sets the counters of a card state file (a VirtualCardState) to other values than the factory 5/5/5, so that
    # what Get-CardPinStatus reports can only have come from the card.
    function script:Set-Counters($State, [int] $Pin1, [int] $Pin2, [int] $ActivationCode) {
        $State.Pin1.TriesLeft = $Pin1
        $State.Pin2.TriesLeft = $Pin2
        $State.ActivationCode.TriesLeft = $ActivationCode
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'Get-CardPinStatus' {
    AfterEach {
        # Whatever a test inserted goes out again (removing an empty slot is harmless).
        Remove-Card 0
        Remove-Card 1
    }

    Context 'identity cards (GET DATA)' {
        It 'reads PIN1, PIN2 and the activation code of a <CardProfile> card with the minimum of commands' -ForEach @(
            @{ CardProfile = 'IdentityMultiAppV3'; Serial = '9246100001' }
            @{ CardProfile = 'IdentityMultiAppV42'; Serial = '9246100002' }
            @{ CardProfile = 'IdentityThalesV5'; Serial = '9246100003' }
            @{ CardProfile = 'IdentityThales2025'; Serial = '9246100004' }
        ) {
            $card = New-TestCard $script:Folder "identity-$CardProfile" 0 @{ CardProfile = $CardProfile; Serial = $Serial } -Edit {
                Set-Counters $args[0] -Pin1 3 -Pin2 1 -ActivationCode 4
            }
            $before = Get-CardSnapshot $card

            $status = @(Get-CardPinStatus -ReaderName $card.Reader)

            $status.Count | Should -Be 3
            $status | ForEach-Object { $_ | Should -BeOfType 'FinCardPin.PinStatus' }
            $status.Code | Should -Be @('Pin1', 'Pin2', 'ActivationCode')
            $status | ForEach-Object {
                $_.ReaderName | Should -Be $script:Reader0
                $_.CardKind | Should -Be 'IdentityCard'
                $_.CardSerial | Should -Be $Serial
                $_.State | Should -Be 'Ready'
                $_.MaxTries | Should -Be 5
                $_.NextStep | Should -BeNullOrEmpty
            }
            $status.TriesLeft | Should -Be @(3, 1, 4) -Because 'the counters come from the card, not from defaults'
            $status[0].CodeName | Should -Be 'basic code (PIN1)'
            $status[1].CodeName | Should -Be 'signature code (PIN2)'
            $status[2].CodeName | Should -Be 'activation code (PUK)'
            ($status[0].MinLength, $status[0].MaxLength) | Should -Be @(4, 8)
            ($status[1].MinLength, $status[1].MaxLength) | Should -Be @(6, 8)
            $status[1].LengthRule | Should -Be '6-8 digits'
            ($status[2].MinLength, $status[2].MaxLength) | Should -Be @(7, 8)

            $sent = Get-ApduSince $card $before
            Get-ApduCommand $sent | Should -Be ($script:SessionStart + @(
                    '00 CB 00 FF 05 A0 03 83 01 11'
                    '00 CB 00 FF 05 A0 03 83 01 82'
                    '00 CB 00 FF 05 A0 03 83 01 83'
                )) -Because 'one status read is SELECT, SELECT EF 5032 + READ BINARY, and one GET DATA per code: 6 commands'
            $sent | ForEach-Object { $_ | Should -Match ' -> (.+ )?90 00$' }
            $sent | Where-Object { $_ -match 'redacted' -or $_ -match '^00 20 00 .. 0C' } | Should -BeNullOrEmpty -Because 'no code was sent'
            (Get-Content -Raw $card.Path) | Should -BeExactly $before.State -Because 'reading the status spends no try'
        }

        It 'reports a blocked PIN2 as Blocked with the unblock step, and a used-up activation code with its own step' {
            $card = New-TestCard $script:Folder 'identity-blocked' 0 @{ Serial = '9246100010' } -Edit { Set-Counters $args[0] -Pin1 5 -Pin2 0 -ActivationCode 0 }
            $before = Get-CardSnapshot $card

            $status = @(Get-CardPinStatus -ReaderName $card.Reader)

            $status[0].State | Should -Be 'Ready'
            $status[1].State | Should -Be 'Blocked'
            $status[1].TriesLeft | Should -Be 0
            $status[1].NextStep | Should -Match 'Unlock-CardPin'
            $status[2].State | Should -Be 'Blocked'
            $status[2].NextStep | Should -Match 'new card or a new code letter'
            (Get-Content -Raw $card.Path) | Should -BeExactly $before.State
        }

        It 'reports a card issued before 13.1.2026 and not activated as NotActivated, to be activated with Unlock-CardPin' {
            $card = New-TestCard $script:Folder 'identity-pre2026' 0 @{ UnactivatedCode = '83920475'; Serial = '9246100011' }
            $before = Get-CardSnapshot $card

            $status = @(Get-CardPinStatus -ReaderName $card.Reader)

            foreach ($pin in $status[0], $status[1]) {
                $pin.State | Should -Be 'NotActivated'
                $pin.TriesLeft | Should -Be 0
                $pin.NextStep | Should -Match 'Unlock-CardPin'
                $pin.NextStep | Should -Not -Match 'Set-CardPin'
            }
            $status[2].State | Should -Be 'Ready'
            $status[2].TriesLeft | Should -Be 5
            Assert-NoCodeSent $card $before
        }

        It 'reports a card issued from 13.1.2026 and not activated as NotActivated with 5 tries, to be activated with Set-CardPin' {
            $card = New-TestCard $script:Folder 'identity-2026' 0 @{ Unactivated2026Code = '5820731'; Serial = '9246100012' }
            $before = Get-CardSnapshot $card

            $status = @(Get-CardPinStatus -ReaderName $card.Reader)

            foreach ($pin in $status[0], $status[1]) {
                $pin.State | Should -Be 'NotActivated'
                $pin.TriesLeft | Should -Be 5
                $pin.NextStep | Should -Match 'Set-CardPin'
                $pin.NextStep | Should -Not -Match 'Unlock-CardPin'
            }
            Assert-NoCodeSent $card $before
        }

        It 'gives the same status from a T=0 card, collecting the answers with GET RESPONSE' {
            $plain = New-TestCard $script:Folder 'identity-t1' 0 @{ Serial = '9246100013' } -Edit { Set-Counters $args[0] -Pin1 2 -Pin2 4 -ActivationCode 3 }
            $t0 = New-TestCard $script:Folder 'identity-t0' 1 @{ Serial = '9246100013'; T0 = $true } -Edit { Set-Counters $args[0] -Pin1 2 -Pin2 4 -ActivationCode 3 }
            $before = Get-CardSnapshot $t0

            $expected = Get-CardPinStatus -ReaderName $plain.Reader
            $status = @(Get-CardPinStatus -ReaderName $t0.Reader)

            $status.Count | Should -Be 3
            $properties = 'Code', 'State', 'TriesLeft', 'MaxTries', 'CardKind', 'CardSerial', 'MinLength', 'MaxLength', 'NextStep'
            for ($i = 0; $i -lt 3; $i++) {
                foreach ($property in $properties) {
                    $status[$i].$property | Should -Be $expected[$i].$property -Because "$property of $($expected[$i].Code)"
                }
            }
            $status.TriesLeft | Should -Be @(2, 4, 3)
            $sent = Get-ApduSince $t0 $before
            $getData = @($sent | Where-Object { $_ -like '00 CB 00 FF*' })
            $getData.Count | Should -Be 3
            $getData | ForEach-Object { $_ | Should -Match ' -> 61 [0-9A-F]{2}$' -Because 'a T=0 card cannot send data with a case 4 command' }
            @($sent | Where-Object { $_ -like '00 C0 00 00 *' }).Count | Should -Be 3 -Because 'each 61xx is followed by one GET RESPONSE'
            $sent | Where-Object { $_ -match 'redacted' } | Should -BeNullOrEmpty
            (Get-Content -Raw $t0.Path) | Should -BeExactly $before.State
        }
    }

    Context 'organisation and SOTE cards (probe)' {
        It 'reads the codes of a <CardProfile> card with IDEMIA''s GET DATA, or empty VERIFYs where it is refused, spending no try' -ForEach @(
            @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200001' }
            @{ CardProfile = 'OrganisationIdemiaCosmoX'; Serial = '9246200002' }
            @{ CardProfile = 'OrganisationOberthurCosmoV7'; Serial = '9246200003' }
        ) {
            $card = New-TestCard $script:Folder "org-$CardProfile" 1 @{ CardProfile = $CardProfile; Serial = $Serial } -Edit {
                Set-Counters $args[0] -Pin1 2 -Pin2 4 -ActivationCode 3
            }
            $before = Get-CardSnapshot $card

            $status = @(Get-CardPinStatus -ReaderName $card.Reader)

            $status.Code | Should -Be @('Pin1', 'Pin2', 'ActivationCode')
            $status | ForEach-Object {
                $_.ReaderName | Should -Be $script:Reader1
                $_.CardKind | Should -Be 'OrganisationOrSoteCard'
                $_.CardSerial | Should -Be $Serial
                $_.State | Should -Be 'Ready'
            }
            $status.TriesLeft | Should -Be @(2, 4, 3)
            $status[1].MinLength | Should -Be 4 -Because 'the ATR cannot tell an organisation card from a SOTE card (4-8)'
            $status[1].LengthRule | Should -Match '6-8 on organisation cards'

            $sent = Get-ApduSince $card $before
            $start = Get-SessionStartCommands -Organisation
            if ($CardProfile -eq 'OrganisationOberthurCosmoV7') {
                # This chip refuses IDEMIA's counter GET DATA (as one did in OpenSC issue #2047): asked once, then probed.
                Get-ApduCommand $sent | Should -Be ($start + @('00 CB 3F FF 0A 4D 08 70 06 BF 81 03 02 A0 80 00', '00 20 00 03', '00 20 00 04', '00 20 00 12'))
                $sent[4..6] | Should -Be @('00 20 00 03 -> 63 C2', '00 20 00 04 -> 63 C4', '00 20 00 12 -> 63 C3')
            } else {
                Get-ApduCommand $sent | Should -Be ($start + @('03', '04', '12' | ForEach-Object { "00 CB 3F FF 0A 4D 08 70 06 BF 81 $_ 02 A0 80 00" }))
                $sent[3..5] | ForEach-Object { $_ | Should -Match '-> 70 0C BF 81 (03|04|12) 08 A0 06 9A 01 05 9B 01 0[243] 90 00$' }
                $status.MaxTries | Should -Be @(5, 5, 5) -Because 'the maximum is the card''s own 9A'
            }
            $sent | Where-Object { $_ -match 'redacted' } | Should -BeNullOrEmpty
            (Get-Content -Raw $card.Path) | Should -BeExactly $before.State -Because 'the probe spends no try'
        }

        It 'shows the activation code of an organisation card as 8 digits' {
            $card = New-TestCard $script:Folder 'org-activation-code-length' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200004' }
            $activationCode = Get-CardPinStatus -ReaderName $card.Reader -Code ActivationCode
            $activationCode.MinLength | Should -Be 8
            $activationCode.MaxLength | Should -Be 8
        }

        It 'reports a blocked organisation PIN2 (probe answers 6983) as Blocked' {
            $card = New-TestCard $script:Folder 'org-blocked' 1 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200005' } -Edit {
                Set-Counters $args[0] -Pin1 5 -Pin2 0 -ActivationCode 5
            }
            $pin2 = Get-CardPinStatus -ReaderName $card.Reader -Code Signature
            $pin2.Code | Should -Be 'Pin2'
            $pin2.State | Should -Be 'Blocked'
            $pin2.TriesLeft | Should -Be 0
            $pin2.NextStep | Should -Match 'Unlock-CardPin'
        }
    }

    Context 'several cards, the pipeline and the view' {
        BeforeEach {
            $script:Identity = New-TestCard $script:Folder 'two-identity' 0 @{ Serial = '9246300001' } -Edit { Set-Counters $args[0] -Pin1 4 -Pin2 5 -ActivationCode 5 }
            $script:Organisation = New-TestCard $script:Folder 'two-org' 1 @{ CardProfile = 'OrganisationIdemiaCosmoX'; Serial = '9246300002' } -Edit {
                Set-Counters $args[0] -Pin1 5 -Pin2 3 -ActivationCode 5
            }
        }

        It 'reads every FINEID card when no reader is named' {
            $status = @(Get-CardPinStatus)
            $status.Count | Should -Be 6
            $first = @($status | Where-Object ReaderName -eq $script:Reader0)
            $second = @($status | Where-Object ReaderName -eq $script:Reader1)
            $first.Count | Should -Be 3
            $second.Count | Should -Be 3
            $first.CardSerial | Select-Object -Unique | Should -Be '9246300001'
            $second.CardSerial | Select-Object -Unique | Should -Be '9246300002'
            ($first | Where-Object Code -eq Pin1).TriesLeft | Should -Be 4
            ($second | Where-Object Code -eq Pin2).TriesLeft | Should -Be 3
        }

        It 'takes the readers and serials piped from Get-CardReader' {
            $status = @(Get-CardReader -Name (Get-VirtualReaderPattern) | Get-CardPinStatus -Code Pin2)
            $status.Count | Should -Be 2
            ($status | Where-Object ReaderName -eq $script:Reader0).CardSerial | Should -Be '9246300001'
            ($status | Where-Object ReaderName -eq $script:Reader1).TriesLeft | Should -Be 3
            $status.Code | Select-Object -Unique | Should -Be 'Pin2'
        }

        It 'takes -Code by the names the DVV and DigiSign use' {
            (Get-CardPinStatus -ReaderName $script:Reader0 -Code grundkod).Code | Should -Be 'Pin1'
            (Get-CardPinStatus -ReaderName $script:Reader0 -Code signaturkod).Code | Should -Be 'Pin2'
            (Get-CardPinStatus -ReaderName $script:Reader0 -Code Authentication, Signature).Code | Should -Be @('Pin1', 'Pin2')
        }

        # The swap shows in the reader's event counter, which only pcscd keeps between two calls.
        It 'refuses a piped reader object whose card has been replaced since, as CardChanged' -Tag 'Daemon' {
            $stale = Get-CardReader -Name $script:Reader0
            Remove-Card 0
            $other = New-TestCard $script:Folder 'two-other' 0 @{ Serial = '9246300009' }
            $before = Get-CardSnapshot $other

            $status = $stale | Get-CardPinStatus -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            Assert-OneFailure $failures 'CardChanged,*' -Like
            Get-ApduCommand (Get-ApduSince $other $before) | Should -Be $script:SessionStart -Because 'only the serial was read'
        }

        It 'renders the default table view, grouped by card' {
            $table = Get-CardPinStatus | Out-String -Width 200
            # A long reader name (pcsc-lite's, with its interface name) is cut in the middle to 36 characters, its start
            # and its numbers kept.
            $shown = $script:Reader0, $script:Reader1 | ForEach-Object { [regex]::Escape([FinCardPin.Formatting]::ShortenMiddle($_, 36)) }
            $table | Should -Match "Card: 9246300001 \(IdentityCard\) in $($shown[0])"
            $table | Should -Match "Card: 9246300002 \(OrganisationOrSoteCard\) in $($shown[1])"
            $table | Should -Match 'Code\s+State\s+Tries\s+Length\s+NextCommand'
            $table | Should -Match 'Pin1\s+Ready\s+4/5\s+4-8'
            $table | Should -Match 'Pin2\s+Ready\s+3/5\s+4-8'
            $table | Should -Match 'ActivationCode\s+Ready\s+5/5\s+7-8'
        }

        It 'shows the command for a blocked code in the table, and the full advice in the list' {
            Remove-Card 0
            New-TestCard $script:Folder 'two-blocked' 0 @{ Serial = '9246300003' } -Edit { Set-Counters $args[0] -Pin1 5 -Pin2 0 -ActivationCode 5 } | Out-Null
            $table = Get-CardPinStatus -ReaderName $script:Reader0 | Out-String -Width 250
            $table | Should -Match 'Pin2\s+Blocked\s+0/5\s+6-8\s+Unlock-CardPin -Code Pin2'
            (Get-CardPinStatus -ReaderName $script:Reader0 -Code Pin2 | Format-List | Out-String -Width 250) | Should -Match 'NextStep\s+: Unblock it with Unlock-CardPin'
        }
    }

    Context 'no FINEID card to read' {
        It 'fails with NoFineidCard when the only card is not a FINEID card, and does not talk to it' {
            $card = New-TestCard $script:Folder 'generic' 0 @{ CardProfile = 'GenericIso'; Serial = '1' }

            $status = Get-CardPinStatus -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            Assert-OneFailure $failures 'NoFineidCard,FinCardPin.Cmdlets.GetCardPinStatusCommand' -Category 'ObjectNotFound'
            $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            Get-ApduLog $card.Log | Should -BeNullOrEmpty
        }

        It 'fails with NotFineidCard when the named reader holds another kind of card' {
            $card = New-TestCard $script:Folder 'generic-named' 0 @{ CardProfile = 'GenericIso'; Serial = '1' }

            Get-CardPinStatus -ReaderName $card.Reader -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

            Assert-OneFailure $failures 'NotFineidCard,*' -Like
            Get-ApduLog $card.Log | Should -BeNullOrEmpty
        }

        It 'fails with NoCardInReader when the named reader is empty' {
            $card = New-TestCard $script:Folder 'beside-empty' 0 @{ Serial = '9246400001' }
            $before = Get-CardSnapshot $card

            $status = Get-CardPinStatus -ReaderName $script:Reader1 -ErrorVariable failures -ErrorAction SilentlyContinue

            $status | Should -BeNullOrEmpty
            Assert-OneFailure $failures 'NoCardInReader,FinCardPin.Cmdlets.GetCardPinStatusCommand' -Category 'ObjectNotFound'
            $failures[0].Exception.Message | Should -Match ([regex]::Escape($script:Reader1))
            Get-ApduSince $card $before | Should -BeNullOrEmpty -Because 'the card in the other reader is not touched'
        }
    }
}
