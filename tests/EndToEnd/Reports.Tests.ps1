# Reports: ConvertTo-Json (without -EnumsAsStrings, which Windows PowerShell 5.1 lacks) and Export-Csv write the
# states and kinds by name, while the objects keep their typed properties for scripts.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'reports'
    $script:Card = New-TestCard $script:Folder 'reported' 0 @{ Serial = '9246300001' } -Edit { $args[0].Pin2.TriesLeft = 0 }
}

AfterAll {
    Remove-Card 0
    Complete-TestSuite $script:Folder
}

Describe 'Reports' {
    It 'keeps typed properties that scripts compare against' {
        $status = Get-CardPinStatus -ReaderName $script:Card.Reader
        $status[1].State | Should -BeOfType 'FinCardPin.Engine.Fineid.PinState'
        $status[1].State -eq 'Blocked' | Should -BeTrue
        $status[1].State -eq [FinCardPin.Engine.Fineid.PinState]::Blocked | Should -BeTrue
        @($status | Where-Object State -ne 'Ready').Code | Should -Be @('Pin2')
        $reader = Get-CardReader -Name $script:Card.Reader
        $reader.CardKind | Should -BeOfType 'FinCardPin.Engine.Fineid.CardKind'
        $reader.State -eq 'CardPresent' | Should -BeTrue
    }

    It 'ConvertTo-Json writes State, CardKind, Code and ReaderType by name' {
        $json = Get-CardPinStatus -ReaderName $script:Card.Reader | ConvertTo-Json -Compress
        $json | Should -Match '"Code":"Pin2"'
        $json | Should -Match '"State":"Blocked"'
        $json | Should -Match '"CardKind":"IdentityCard"'
        $json | Should -Not -Match '"(State|CardKind|Code)":\d'
        $back = $json | ConvertFrom-Json
        $back[1].State | Should -Be 'Blocked'

        $readerJson = Get-CardReader -Name $script:Card.Reader | ConvertTo-Json -Compress
        $readerJson | Should -Match '"State":"CardPresent"'
        $readerJson | Should -Match "`"ReaderType`":`"$(Get-VirtualReaderType)`""
        $readerJson | Should -Match '"CardKind":"IdentityCard"'
        $readerJson | Should -Match '"CardSerial":"9246300001"'
    }

    It 'Export-Csv writes the names' {
        $csv = Join-Path $script:Folder 'status.csv'
        Get-CardPinStatus -ReaderName $script:Card.Reader | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv $csv
        $rows.Code | Should -Be @('Pin1', 'Pin2', 'ActivationCode')
        $rows.State | Should -Be @('Ready', 'Blocked', 'Ready')
        $rows[1].CodeName | Should -Be 'signature code (PIN2)'
        $rows[1].NextCommand | Should -Be 'Unlock-CardPin -Code Pin2'
        $rows | ForEach-Object { $_.CardKind | Should -Be 'IdentityCard' }

        $readerCsv = Join-Path $script:Folder 'readers.csv'
        Get-CardReader -Name $script:Card.Reader | Export-Csv -Path $readerCsv -NoTypeInformation
        (Import-Csv $readerCsv).State | Should -Be 'CardPresent'
    }
}
