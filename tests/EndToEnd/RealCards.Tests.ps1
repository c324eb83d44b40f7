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
