# -Code tab completion (TabExpansion2, as the console asks it) and status objects piped on by reader name.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'completion'

    function script:Complete([string] $Line) {
        $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        @($result.CompletionMatches)
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe '-Code tab completion' {
    It 'completes "s" on Set-CardPin to the signature code names, with a tooltip naming the code' {
        $found = Complete 'Set-CardPin -Code s'
        $found.CompletionText | Should -Be @('Signature', 'signaturkod')
        $found | ForEach-Object { $_.ToolTip | Should -Match 'signature code \(PIN2\)' }
    }

    It 'offers on <Command> only the names of PIN1 and PIN2 (never the activation code, which it refuses)' -ForEach @(
        @{ Command = 'Test-CardPin' }, @{ Command = 'Set-CardPin' }, @{ Command = 'Unlock-CardPin' }
    ) {
        $names = (Complete "$Command -Code ").CompletionText
        $names | Should -Be @('Pin1', 'Pin2', 'Basic', 'Authentication', 'Signature', 'grundkod', 'baskod', 'signaturkod', 'perustunnusluku', 'allekirjoitustunnusluku')
    }

    It 'offers on Get-CardPinStatus the activation code too, also after a comma' {
        $names = (Complete 'Get-CardPinStatus -Code ').CompletionText
        $names | Should -Contain 'ActivationCode'
        $names | Should -Contain 'aktivointitunnusluku'
        $names | Should -Contain 'perustunnusluku'
        (Complete 'Get-CardPinStatus -Code Pin1,akt').CompletionText | Should -Be @('aktiveringskod', 'aktivointitunnusluku')
    }

    It 'completes the Finnish and Swedish names: <Typed> -> <Expected>' -ForEach @(
        @{ Typed = 'per'; Expected = 'perustunnusluku'; Code = 'PIN1' }
        @{ Typed = 'alle'; Expected = 'allekirjoitustunnusluku'; Code = 'PIN2' }
        @{ Typed = 'gru'; Expected = 'grundkod'; Code = 'PIN1' }
        @{ Typed = 'Basi'; Expected = 'Basic'; Code = 'PIN1' }
    ) {
        $found = Complete "Unlock-CardPin -Code $Typed"
        $found.CompletionText | Should -Be @($Expected)
        $found[0].ToolTip | Should -Match "\($Code\)"
    }

    It 'binds every offered name: -Code <Name> means <Code>' -ForEach @(
        @{ Name = 'grundkod'; Code = 'Pin1' }, @{ Name = 'signaturkod'; Code = 'Pin2' }, @{ Name = 'perustunnusluku'; Code = 'Pin1' }
        @{ Name = 'allekirjoitustunnusluku'; Code = 'Pin2' }, @{ Name = 'Basic'; Code = 'Pin1' }, @{ Name = 'Pin2'; Code = 'Pin2' }
        @{ Name = 'aktivointitunnusluku'; Code = 'ActivationCode' }, @{ Name = 2; Code = 'Pin2' }
    ) {
        $card = New-TestCard $script:Folder "bind-$Name" 0 @{ Serial = '9246200001' }
        try {
            $status = Get-CardPinStatus -ReaderName $card.Reader -Code $Name
            $status.Code | Should -Be $Code
            $status.Code | Should -BeOfType 'FinCardPin.Engine.Fineid.PinCode'
        }
        finally { Remove-Card 0 }
    }

    It 'refuses an unknown code name before anything is read, naming the valid ones' {
        { Set-CardPin -Code Pin3 -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCodeName,FinCardPin.Cmdlets.SetCardPinCommand' -ExpectedMessage '*Pin1*Pin2*'
        { Set-CardPin -Code Pin1, Pin2 -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCodeName,FinCardPin.Cmdlets.SetCardPinCommand' -ExpectedMessage '*one code at a time*'
    }
}

Describe 'PinStatus piped on' {
    It 'names the code CodeName, so piping a status into Get-CardReader finds its reader' {
        $card = New-TestCard $script:Folder 'pipe' 0 @{ Serial = '9246200002' }
        try {
            $status = Get-CardPinStatus -ReaderName $card.Reader -Code Pin2
            $status.CodeName | Should -Be 'signature code (PIN2)'
            $status.PSObject.Properties.Name | Should -Not -Contain 'Name'
            $readers = @($status | Get-CardReader -ErrorVariable failures)
            $failures.Count | Should -Be 0
            $readers.Count | Should -Be 1
            $readers[0].Name | Should -Be $card.Reader
            $readers[0].CardSerial | Should -Be '9246200002'
        }
        finally { Remove-Card 0 }
    }
}
