# Card truth end to end: the cards' own PKCS#15 PIN rules, IDEMIA's counters, a variant card whose AODF differs
# from the built-in profile, the diagnostics report and its round trip back into a card, and OpenSC reading the
# same PIN objects as the module. Real pwsh, the laid-out module, real pcscd, vpcd readers, our virtual cards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'cardtruth'
    $script:SessionStart = Get-SessionStartCommands

    # Every command a PIN carries in the APDU log: VERIFY/CHANGE/RESET RETRY COUNTER with data.
    function script:Get-CodeCommands([string[]] $Lines) {
        @(Get-ApduCommand $Lines | Where-Object { $_ -match '^00 (20|24|2C) .. .. \[code redacted\]' })
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'The card''s own PKCS#15 PIN rules' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'an organisation card whose AODF says PIN2 is 6-8 digits refuses a 5-digit new PIN2 before any code is sent' {
        $card = New-TestCard $script:Folder 'org-pin2-min6' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200001'; Pin2 = '246813'; Variant = 'Organisation' }
        $before = Get-CardSnapshot $card

        $verbose = Set-CardPin -Code Pin2 -CurrentPin (ConvertTo-TestSecret '246813') -NewPin (ConvertTo-TestSecret '13579') `
            -ReaderName $card.Reader -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue -Verbose 4>&1

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPinLength*'
        $failure[0].Exception.Message | Should -BeLike '*6-8 digits*'
        ($verbose | Out-String) | Should -BeLike "*card's own rule*"
        $since = Get-ApduSince $card $before
        Get-CodeCommands $since | Should -BeNullOrEmpty -Because 'the card''s own rule refused the code before any PIN command'
        (Get-ApduCommand $since) | Should -Contain '00 A4 02 0C 02 44 01' -Because 'the AODF was read'
        (Read-CardFile $card.Path).Pin2.TriesLeft | Should -Be 5
    }

    It 'a SOTE card whose AODF says PIN2 is 4-8 digits takes a 5-digit new PIN2' {
        $card = New-TestCard $script:Folder 'sote-pin2-min4' 0 @{ CardProfile = 'OrganisationIdemiaCosmoX'; Serial = '9246200002'; Pin2 = '246813'; Variant = 'Sote' }

        # Not a digit run like 13579: the module remembers new codes per reader for its same-code warning, and other
        # suites that run later in this process check that warning in the same reader.
        Set-CardPin -Code Pin2 -CurrentPin (ConvertTo-TestSecret '246813') -NewPin (ConvertTo-TestSecret '61853') -ReaderName $card.Reader -Confirm:$false

        (Read-CardFile $card.Path).Pin2.Value | Should -Be '61853'
    }

    It 'an identity card (<CardProfile>) is changed with its PKCS#15 data read once and its long TokenInfo read whole' -ForEach @(
        @{ CardProfile = 'IdentityThales2025'; T0 = $true }
        @{ CardProfile = 'IdentityMultiAppV42'; T0 = $true }
    ) {
        $card = New-TestCard $script:Folder "identity-$CardProfile" 0 @{ CardProfile = $CardProfile; Serial = '9246200003'; Pin1 = '2468'; T0 = $T0 }
        $before = Get-CardSnapshot $card

        Set-CardPin -Code Pin1 -CurrentPin (ConvertTo-TestSecret '2468') -NewPin (ConvertTo-TestSecret '97531') -ReaderName $card.Reader -Confirm:$false

        (Read-CardFile $card.Path).Pin1.Value | Should -Be '97531'
        $commands = Get-ApduCommand (Get-ApduSince $card $before)
        @($commands | Where-Object { $_ -eq '00 A4 02 0C 02 50 31' }).Count | Should -Be 1
        @($commands | Where-Object { $_ -eq '00 A4 02 0C 02 44 01' }).Count | Should -Be 1
        (Get-CardPinStatus -ReaderName $card.Reader -Code Pin1).CardSerial | Should -Be '9246200003'
    }

    It 'Get-CardPinStatus reads no PKCS#15 data' {
        $card = New-TestCard $script:Folder 'status-no-aodf' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200004' }
        $before = Get-CardSnapshot $card

        Get-CardPinStatus -ReaderName $card.Reader | Out-Null

        (Get-ApduCommand (Get-ApduSince $card $before)) | Should -Not -Contain '00 A4 02 0C 02 50 31'
    }
}

Describe 'A variant card whose AODF differs from the built-in profile' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'names PIN1 as 01, which holds no code on the card: Test-CardPin asks the card, then uses the built-in 03' {
        $card = New-TestCard $script:Folder 'variant-01' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200006'; Pin1 = '2468' } -Edit {
            $state = $args[0]
            $pins = (Get-InternalType FinCardPin.VirtualCard.VirtualPkcs15)::PinObjectsOf($state)
            $pins[0].Reference = 0x01
            $state.AodfHex = (Get-InternalType FinCardPin.Engine.Apdu.Hex)::Format((Get-InternalType FinCardPin.VirtualCard.VirtualPkcs15)::Aodf($pins))
        }
        $before = Get-CardSnapshot $card

        $verbose = Test-CardPin -Code Pin1 -Pin (ConvertTo-TestSecret '2468') -ReaderName $card.Reader -Verbose 4>&1
        $result = $verbose | Where-Object { $_ -is [FinCardPin.PinTestResult] }

        $result.Verified | Should -BeTrue
        $sent = Get-ApduSince $card $before
        $sent | Should -Contain '00 20 00 01 -> 6A 88'
        Get-CodeCommands $sent | Should -Be @('00 20 00 03 [code redacted]')
        $sent | Should -Contain '00 20 00 03 [code redacted] -> 90 00'
        ($verbose | Out-String) | Should -Match 'empty VERIFY'
    }

    It 'names other padding (<Name>): <Command> refuses with CardPinRulesMismatch and sends no code' -ForEach @(
        @{ Name = 'codes padded with FF to 12'; Command = 'Set-CardPin'; Reference = 0x03; Padding = $true }
    ) {
        $card = New-TestCard $script:Folder "variant-$Reference-$Padding" 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200005'; Pin1 = '2468' } -Edit {
            $state = $args[0]
            $pins = (Get-InternalType FinCardPin.VirtualCard.VirtualPkcs15)::PinObjectsOf($state)
            $pins[0].Reference = $Reference
            foreach ($pin in $pins) {
                if ($Padding) { $pin.NeedsPadding = $true; $pin.PadChar = 0xFF; $pin.StoredLength = 12 }
            }
            $state.AodfHex = (Get-InternalType FinCardPin.Engine.Apdu.Hex)::Format((Get-InternalType FinCardPin.VirtualCard.VirtualPkcs15)::Aodf($pins))
        }
        $before = Get-CardSnapshot $card

        if ($Command -eq 'Test-CardPin') {
            Test-CardPin -Code Pin1 -Pin (ConvertTo-TestSecret '2468') -ReaderName $card.Reader -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
        } else {
            Set-CardPin -Code Pin1 -CurrentPin (ConvertTo-TestSecret '2468') -NewPin (ConvertTo-TestSecret '1357') -ReaderName $card.Reader `
                -Confirm:$false -ErrorVariable failure -ErrorAction SilentlyContinue
        }

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'CardPinRulesMismatch*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-CodeCommands (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '2468'
        (Read-CardFile $card.Path).Pin1.TriesLeft | Should -Be 5
    }
}

Describe 'What IDEMIA cards answer' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'an IDEMIA <CardProfile> card tells its own maximum with GET DATA (9A/9B), without a probe' -ForEach @(
        @{ CardProfile = 'OrganisationIdemiaIdMe' }
        @{ CardProfile = 'OrganisationIdemiaCosmoX' }
    ) {
        $card = New-TestCard $script:Folder "idemia-$CardProfile" 0 @{ CardProfile = $CardProfile; Serial = '9246200006' } -Edit {
            $args[0].ActivationCode.MaxTries = 3
            $args[0].ActivationCode.TriesLeft = 2
        }
        $before = Get-CardSnapshot $card

        $activationCode = Get-CardPinStatus -ReaderName $card.Reader -Code ActivationCode

        $activationCode.MaxTries | Should -Be 3
        $activationCode.TriesLeft | Should -Be 2
        $commands = Get-ApduCommand (Get-ApduSince $card $before)
        $commands | Should -Contain '00 CB 3F FF 0A 4D 08 70 06 BF 81 12 02 A0 80 00'
        $commands | Where-Object { $_ -like '00 20 00 12*' } | Should -BeNullOrEmpty
        $commands | Where-Object { $_ -like '00 B0 *' } | ForEach-Object { [Convert]::ToInt32($_.Substring(12, 2), 16) | Should -BeLessOrEqual 0xC0 }
    }

    It 'an Oberthur Cosmo v7 that refuses the GET DATA is probed instead' {
        $card = New-TestCard $script:Folder 'cosmo-v7' 0 @{ CardProfile = 'OrganisationOberthurCosmoV7'; Serial = '9246200007' }
        $before = Get-CardSnapshot $card

        $status = @(Get-CardPinStatus -ReaderName $card.Reader)

        $status.TriesLeft | Should -Be @(5, 5, 5)
        $commands = Get-ApduCommand (Get-ApduSince $card $before)
        @($commands | Where-Object { $_ -like '00 CB 3F FF*' }).Count | Should -Be 1 -Because 'a card that refused it is not asked again in the session'
        $commands | Should -Contain '00 20 00 03'
    }

    It 'a Cosmo X card (reads of more than 0xC0 bytes refused) gives its serial from a TokenInfo longer than one read' {
        $card = New-TestCard $script:Folder 'cosmox-long' 0 @{ CardProfile = 'OrganisationIdemiaCosmoX'; Serial = '9246200008' }

        (Get-CardReader -Name $card.Reader).CardSerial | Should -Be '9246200008'
    }
}

Describe 'Export-CardDiagnostic' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'writes a <CardProfile> report with no code in it, then the report as a card gives the same status' -ForEach @(
        @{ CardProfile = 'IdentityThales2025'; T0 = $true; Serial = '9246200011'; Pin1 = '48151623'; Pin2 = '42108765'; ActivationCode = '31415926' }
        @{ CardProfile = 'OrganisationIdemiaCosmoX'; T0 = $false; Serial = '9246200012'; Pin1 = '48151623'; Pin2 = '42108765'; ActivationCode = '31415926' }
        @{ CardProfile = 'OrganisationOberthurCosmoV7'; T0 = $false; Serial = '9246200013'; Pin1 = '48151623'; Pin2 = '42108765'; ActivationCode = '31415926' }
    ) {
        $card = New-TestCard $script:Folder "diag-$CardProfile" 0 @{ CardProfile = $CardProfile; Serial = $Serial; Pin1 = $Pin1; Pin2 = $Pin2; ActivationCode = $ActivationCode; T0 = $T0 } -Edit {
            $args[0].Pin1.TriesLeft = 3
            $args[0].Pin2.TriesLeft = 1
        }
        $report = Join-Path $script:Folder "report-$CardProfile.json"
        $original = Get-CardPinStatus -ReaderName $card.Reader | Select-Object Code, State, TriesLeft, MaxTries

        $summary = Export-CardDiagnostic -Path $report -ReaderName $card.Reader

        $summary | Should -BeOfType 'FinCardPin.CardDiagnostic'
        $summary.Redacted | Should -BeTrue
        $summary.PinRulesFromCard | Should -BeTrue
        $text = Get-Content -Raw $report
        foreach ($code in $Pin1, $Pin2, $ActivationCode) {
            $asciiHex = (([Text.Encoding]::ASCII.GetBytes($code) | ForEach-Object { $_.ToString('X2') }) -join ' ')
            $text | Should -Not -BeLike "*$code*"
            $text | Should -Not -BeLike "*$asciiHex*"
            $text.Replace(' ', '') | Should -Not -BeLike "*$($asciiHex.Replace(' ', ''))*"
        }
        $text | Should -Not -BeLike "*$Serial*" -Because 'the serial is redacted by default'
        $json = $text | ConvertFrom-Json
        $json.Exchanges.Command | Where-Object { $_ -match '^00 (20|24|2C) ' -and $_.Length -gt 11 } | Should -BeNullOrEmpty

        Remove-Card 0
        Add-Card 1 $report (Join-Path $script:Folder "replay-$CardProfile.log")
        $replayed = Get-CardPinStatus -ReaderName (Get-VirtualReaderName 1) | Select-Object Code, State, TriesLeft, MaxTries

        ($replayed | ConvertTo-Json) | Should -Be ($original | ConvertTo-Json)
        $original[0].TriesLeft | Should -Be 3
    }

    It 'keeps the serial with -Redact:$false' {
        $card = New-TestCard $script:Folder 'diag-unredacted' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200014' }
        $report = Join-Path $script:Folder 'report-unredacted.json'

        Export-CardDiagnostic -Path $report -ReaderName $card.Reader -Redact:$false | Out-Null

        Get-Content -Raw $report | Should -BeLike '*39 32 34 36 32 30 30 30 31 34*'
    }

    It 'a report of the ID.me contactless pseudo-ATR, played as a card, is refused as ContactlessNotSupported' {
        $card = New-TestCard $script:Folder 'diag-contactless' 0 @{ CardProfile = 'OrganisationIdemiaIdMe'; Serial = '9246200015' }
        $report = Join-Path $script:Folder 'report-contactless.json'
        Export-CardDiagnostic -Path $report -ReaderName $card.Reader | Out-Null
        Remove-Card 0
        $json = Get-Content -Raw $report | ConvertFrom-Json
        $json.Atr = '3B 89 80 01 80 57 43 49 54 49 5A 32 31 91'
        $json | ConvertTo-Json -Depth 5 | Set-Content $report
        Add-Card 1 $report

        Get-CardPinStatus -ReaderName (Get-VirtualReaderName 1) -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ContactlessNotSupported*'
        (Get-CardReader -Name (Get-VirtualReaderName 1)).CardKind | Should -Be 'OrganisationOrSoteCard'
    }
}

# OpenSC's pkcs15-tool reads the card through pcscd: another program, another process.
Describe 'OpenSC reads the same PIN objects as the module' -Tag 'Daemon' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'pkcs15-tool --list-pins on a <CardProfile> card lists the references and lengths the module reads' -ForEach @(
        @{ CardProfile = 'IdentityMultiAppV3'; T0 = $true }
        @{ CardProfile = 'IdentityMultiAppV42'; T0 = $true }
        @{ CardProfile = 'IdentityThalesV5'; T0 = $true }
        @{ CardProfile = 'IdentityThales2025'; T0 = $true }
        @{ CardProfile = 'OrganisationIdemiaIdMe'; T0 = $false }
        @{ CardProfile = 'OrganisationIdemiaCosmoX'; T0 = $false }
        @{ CardProfile = 'OrganisationOberthurCosmoV7'; T0 = $false }
    ) {
        $card = New-TestCard $script:Folder "opensc-$CardProfile" 0 @{ CardProfile = $CardProfile; Serial = '9246200020'; T0 = $T0; Variant = 'Organisation' }
        $report = Join-Path $script:Folder "opensc-$CardProfile-report.json"
        Export-CardDiagnostic -Path $report -ReaderName $card.Reader | Out-Null
        $module = (Get-Content -Raw $report | ConvertFrom-Json).PinObjects |
            ForEach-Object { '{0:X2} {1}-{2} stored {3}' -f [int]$_.Reference, $_.MinLength, $_.MaxLength, $_.StoredLength }

        $env:OPENSC_CONF = Join-Path $PSScriptRoot 'opensc-default-driver.conf'
        try {
            $output = & pkcs15-tool --reader 0 --list-pins 2>&1 | Out-String
        } finally {
            Remove-Item Env:OPENSC_CONF
        }

        $openSc = [regex]::Matches($output, '(?s)Length\s*:\s*min_len:(\d+), max_len:(\d+), stored_len:(\d+).*?Reference\s*:\s*\d+ \(0x([0-9A-Fa-f]{2})\)') |
            ForEach-Object { '{0} {1}-{2} stored {3}' -f $_.Groups[4].Value.ToUpperInvariant(), $_.Groups[1].Value, $_.Groups[2].Value, $_.Groups[3].Value }
        $module.Count | Should -Be 3
        $openSc | Should -Be $module -Because "OpenSC said:`n$output"
    }
}
