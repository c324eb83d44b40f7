# A warning, never a refusal, on new codes anyone would try first, and on a new PIN1 equal to the new PIN2 set in
# the same session. The warning comes before anything is sent and never contains the code.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'guessable'
    $script:PinCommand = '^00 2[4C] '

    # The warnings about the code, without the one the PIN cmdlets write when virtual readers are in use (in process).
    function script:Own($Warnings) { Select-OwnWarning $Warnings }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'Warnings on new codes' {
    AfterEach { Remove-Card 0 }

    It 'warns on the guessable new <Code> <Digits> under -WhatIf, sends nothing, and never shows the code' -ForEach @(
        @{ Code = 'Pin1'; Digits = '0000' }, @{ Code = 'Pin1'; Digits = '5678' }, @{ Code = 'Pin2'; Digits = '12345678' }, @{ Code = 'Pin2'; Digits = '654321' }
        @{ Code = 'Pin1'; Digits = '13579' }, @{ Code = 'Pin2'; Digits = '88888888' }
    ) {
        $card = New-TestCard $script:Folder "weak-$Digits" 0 @{ Serial = '9246400001' }
        $before = Get-CardSnapshot $card
        $current = if ($Code -eq 'Pin1') { '1234' } else { '123456' }
        if ($Digits -eq $current) { throw 'test data: the new code must differ from the current one' }
        Set-CardPin -ReaderName $card.Reader -Code $Code -CurrentPin (ConvertTo-TestSecret $current) -NewPin (ConvertTo-TestSecret $Digits) -WhatIf -WarningVariable warnings 3>$null
        (Own $warnings).Count | Should -Be 1
        (Own $warnings)[0].Message | Should -Match 'easy to guess'
        (Own $warnings)[0].Message | Should -Not -Match '\d{4}'
        Get-ApduSince $card $before | Should -BeNullOrEmpty -Because '-WhatIf sends nothing'
    }

    It 'warns and still changes the code when asked to (a warning, not a refusal), the warning before the change' {
        $card = New-TestCard $script:Folder 'weak-applied' 0 @{ Serial = '9246400002' }
        $before = Get-CardSnapshot $card
        $output = Set-CardPin -ReaderName $card.Reader -Code Pin1 -CurrentPin (ConvertTo-TestSecret '1234') -NewPin (ConvertTo-TestSecret '4444') -PassThru -WarningVariable warnings 3>&1 | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -or $_.Message -notmatch 'virtual test readers' }
        (Own $warnings).Count | Should -Be 1
        $output[0] | Should -BeOfType 'System.Management.Automation.WarningRecord'
        $output[1].State | Should -Be 'Ready'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '4444'
        @(Get-ApduCommand (Get-ApduSince $card $before) | Where-Object { $_ -match $script:PinCommand }).Count | Should -Be 1
    }

    It 'does not warn on a code that is not guessable' {
        $card = New-TestCard $script:Folder 'strong' 0 @{ Serial = '9246400003' }
        Set-CardPin -ReaderName $card.Reader -Code Pin2 -CurrentPin (ConvertTo-TestSecret '123456') -NewPin (ConvertTo-TestSecret '48261937') -WarningVariable warnings 3>$null
        (Own $warnings).Count | Should -Be 0
        (Read-CardFile $card.Path).Pin2.Value | Should -Be '48261937'
    }

    It 'warns when the new PIN2 equals the new PIN1 set on the same card in this session, and only then' {
        $card = New-TestCard $script:Folder 'same' 0 @{ Serial = '9246400004' }
        Get-CardReader -Name $card.Reader | Set-CardPin -Code Pin1 -CurrentPin (ConvertTo-TestSecret '1234') -NewPin (ConvertTo-TestSecret '482619') -WarningVariable first 3>$null
        (Own $first).Count | Should -Be 0
        # Under -WhatIf nothing is read from the card: the card is known by the serial its listed object carries.
        Get-CardReader -Name $card.Reader | Set-CardPin -Code Pin2 -CurrentPin (ConvertTo-TestSecret '123456') -NewPin (ConvertTo-TestSecret '482619') -WhatIf -WarningVariable same 3>$null
        (Own $same).Count | Should -Be 1
        (Own $same)[0].Message | Should -Match 'same as the new basic code \(PIN1\)'
        (Own $same)[0].Message | Should -Not -Match '482619'
        Set-CardPin -ReaderName $card.Reader -Code Pin2 -CurrentPin (ConvertTo-TestSecret '123456') -NewPin (ConvertTo-TestSecret '591738') -WhatIf -WarningVariable other 3>$null
        (Own $other).Count | Should -Be 0
    }

    It 'warns on Unlock-CardPin too' {
        $card = New-TestCard $script:Folder 'unlock' 0 @{ Serial = '9246400005' } -Edit { $args[0].Pin1.TriesLeft = 0 }
        Unlock-CardPin -ReaderName $card.Reader -Code Pin1 -ActivationCode (ConvertTo-TestSecret '12345678') -NewPin (ConvertTo-TestSecret '9876') -WhatIf -WarningVariable warnings 3>$null
        (Own $warnings).Count | Should -Be 1
        (Own $warnings)[0].Message | Should -Match 'basic code \(PIN1\) is easy to guess'
    }
}
