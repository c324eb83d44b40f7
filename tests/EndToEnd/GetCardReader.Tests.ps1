# Get-CardReader end to end: real pwsh, the laid-out module, real pcscd, vpcd readers, our virtual cards.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'reader'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'Get-CardReader' {
    Context 'an identity card and an organisation card' {
        BeforeAll {
            $identity = New-CardFile -Path (Join-Path $script:Folder 'identity.json') -Serial '9246000001'
            $organisation = New-CardFile -Path (Join-Path $script:Folder 'org.json') -CardProfile OrganisationIdemiaIdMe -Serial '9246000002'
            Add-Card 0 $identity
            Add-Card 1 $organisation
        }
        AfterAll {
            Remove-Card 0
            Remove-Card 1
        }

        It 'lists both readers with their card kinds, ATRs and serials' {
            $readers = Get-CardReader -Name (Get-VirtualReaderPattern)
            $readers.Count | Should -Be 2
            $first = $readers | Where-Object Name -eq $script:Reader0
            $first.CardKind | Should -Be 'IdentityCard'
            $first.Chip | Should -Be 'Thales MultiApp v5.0'
            $first.Atr | Should -Be '3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00'
            $first.CardSerial | Should -Be '9246000001'
            $first.CardPresent | Should -BeTrue
            $first.IsFineid | Should -BeTrue
            $second = $readers | Where-Object Name -eq $script:Reader1
            $second.CardKind | Should -Be 'OrganisationOrSoteCard'
            $second.Chip | Should -Be 'IDEMIA ID.me'
            $second.Atr | Should -Be '3B DD 96 00 80 31 FE 45 00 31 B8 64 04 29 EC C1 73 94 01 80 82 48'
            $second.CardSerial | Should -Be '9246000002'
        }

        It 'writes typed objects' {
            $reader = Get-CardReader -Name $script:Reader0
            $reader | Should -BeOfType 'FinCardPin.CardReader'
            $reader.State | Should -BeOfType 'FinCardPin.ReaderState'
            $reader.ReaderType | Should -Be (Get-VirtualReaderType)
        }

        It 'selects readers by wildcard, case-insensitively' {
            # The end of reader 1's name in lower case ('*cd 00 01', '*reader 1'): the match ignores case.
            (Get-CardReader -Name ('*' + $script:Reader1.Substring($script:Reader1.Length - 8).ToLowerInvariant())).Name | Should -Be $script:Reader1
            @(Get-CardReader -Name (Get-VirtualReaderPattern), ('*' + $script:Reader1.Substring($script:Reader1.Length - 2))).Count | Should -Be 2 -Because 'a reader matched twice is listed once'
        }

        It 'takes reader names from the pipeline' {
            ($script:Reader1 | Get-CardReader).Name | Should -Be $script:Reader1
        }

        It 'reports an exact name that matches no reader as ReaderNotFound, and a wildcard that matches none as nothing' {
            Get-CardReader -Name 'No Such Reader' -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Assert-OneFailure $failures 'ReaderNotFound,*' -Category 'ObjectNotFound' -Like
            Get-CardReader -Name 'No Such*' -ErrorVariable none -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $none.Count | Should -Be 0
        }

        It 'pipes into Where-Object and Select-Object' {
            $names = Get-CardReader | Where-Object CardKind -eq 'OrganisationOrSoteCard' | Select-Object -ExpandProperty Name
            $names | Should -Be @($script:Reader1)
        }

        It 'renders the default table view, also for objects that came through serialization' {
            $table = Get-CardReader -Name (Get-VirtualReaderPattern) | Out-String -Width 200
            $table | Should -Match 'Name\s+State\s+CardKind\s+CardSerial\s+Chip'
            $table | Should -Match 'IdentityCard\s+9246000001\s+Thales MultiApp v5\.0'
            $file = Join-Path $script:Folder 'readers.clixml'
            Get-CardReader -Name (Get-VirtualReaderPattern) | Export-Clixml -Path $file
            $deserialized = Import-Clixml -Path $file
            $deserialized[0].pstypenames[0] | Should -Be 'Deserialized.FinCardPin.CardReader'
            ($deserialized | Out-String -Width 200) | Should -Match 'Name\s+State\s+CardKind\s+CardSerial\s+Chip'
        }

        # The card host holds the card exclusively: another process, through pcscd.
        It 'shows a reader held exclusively by another program as Exclusive, without an error' -Tag 'Daemon' {
            Send-CardHost 'lock 0' | Out-Null
            try {
                $reader = Get-CardReader -Name $script:Reader0 -ErrorVariable failures
                $reader.State | Should -Be 'Exclusive'
                $reader.CardKind | Should -Be 'IdentityCard' -Because 'the ATR is known without talking to the card'
                $reader.CardSerial | Should -BeNullOrEmpty
                $failures.Count | Should -Be 0
            }
            finally {
                Send-CardHost 'unlock 0' | Out-Null
            }
        }
    }

    Context 'empty readers, removal and other cards' {
        It 'lists an empty reader as Empty, and -CardPresent leaves it out' {
            $reader = Get-CardReader -Name $script:Reader0
            $reader.State | Should -Be 'Empty'
            $reader.CardPresent | Should -BeFalse
            $reader.CardKind | Should -Be 'None'
            $reader.Atr | Should -BeNullOrEmpty
            Get-CardReader -Name $script:Reader0 -CardPresent | Should -BeNullOrEmpty
        }

        It 'sees a card removed and inserted again' {
            $path = New-CardFile -Path (Join-Path $script:Folder 'again.json') -Serial '9246000003'
            Add-Card 0 $path
            (Get-CardReader -Name $script:Reader0).CardSerial | Should -Be '9246000003'
            Remove-Card 0
            (Get-CardReader -Name $script:Reader0).State | Should -Be 'Empty'
            Add-Card 0 $path
            (Get-CardReader -Name $script:Reader0 -CardPresent).CardSerial | Should -Be '9246000003'
            Remove-Card 0
        }

        It 'recognises <CardProfile> as <Chip>' -ForEach @(
            @{ CardProfile = 'IdentityMultiAppV3'; Kind = 'IdentityCard'; Chip = 'Gemalto MultiApp v3.0' }
            @{ CardProfile = 'IdentityMultiAppV42'; Kind = 'IdentityCard'; Chip = 'Gemalto MultiApp v4.2' }
            @{ CardProfile = 'IdentityThalesV5'; Kind = 'IdentityCard'; Chip = 'Thales MultiApp v5.0' }
            @{ CardProfile = 'IdentityThales2025'; Kind = 'IdentityCard'; Chip = 'Thales MultiApp v5.0 (2025 revision)' }
            @{ CardProfile = 'OrganisationIdemiaCosmoX'; Kind = 'OrganisationOrSoteCard'; Chip = 'IDEMIA Cosmo X' }
            @{ CardProfile = 'OrganisationOberthurCosmoV7'; Kind = 'OrganisationOrSoteCard'; Chip = 'Oberthur Cosmo v7' }
        ) {
            $path = New-CardFile -Path (Join-Path $script:Folder "$CardProfile.json") -CardProfile $CardProfile -Serial '5550001'
            Add-Card 1 $path
            try {
                $reader = Get-CardReader -Name $script:Reader1
                $reader.CardKind | Should -Be $Kind
                $reader.Chip | Should -Be $Chip
                $reader.CardSerial | Should -Be '5550001'
            }
            finally { Remove-Card 1 }
        }

        It 'lists a card that is not a FINEID card as OtherCard, without reading it' {
            $path = New-CardFile -Path (Join-Path $script:Folder 'generic.json') -CardProfile GenericIso -Serial '1'
            $log = Join-Path $script:Folder 'generic.log'
            Add-Card 0 $path $log
            try {
                $reader = Get-CardReader -Name $script:Reader0 -ErrorVariable failures
                $reader.CardKind | Should -Be 'OtherCard'
                $reader.IsFineid | Should -BeFalse
                $reader.Atr | Should -Be '3B 95 13 81 01 80 73 FF 01 00 0B'
                $failures.Count | Should -Be 0
                Get-ApduLog $log | Should -BeNullOrEmpty -Because 'an unknown card is identified by its ATR alone'
            }
            finally { Remove-Card 0 }
        }
    }

    # pcsc-lite's own failure when its socket is missing.
    Context 'no PC/SC daemon' -Tag 'Daemon' {
        It 'fails with PcscServiceNotRunning and says how to start it' {
            $script = "Import-Module '$env:FINCARDPIN_MODULE'; try { Get-CardReader -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.ErrorDetails.RecommendedAction }"
            $output = (Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -Environment @{ PCSCLITE_CSOCK_NAME = '/nonexistent/pcscd.comm' }).Output
            $lines = $output -split "`r?`n"
            $lines[0] | Should -Be 'PcscServiceNotRunning,FinCardPin.Cmdlets.GetCardReaderCommand'
            $lines[1] | Should -Be 'ResourceUnavailable'
            $lines[2] | Should -Match 'pcscd'
        }
    }
}
