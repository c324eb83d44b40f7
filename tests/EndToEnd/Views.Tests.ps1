# The default views at 80 and 120 columns, with a reader name as long as real pcsc-lite names: the key columns are
# there, no line is wider than the console, and no word is cut except where a value is shortened with an ellipsis.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-FinCardPin

    $script:LongName = 'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00'
    $script:Ellipsis = [string][char]0x2026

    function script:New-Status([string] $Reader, [string] $Kind, [string] $Serial, [string] $Code, [string] $State, $Tries) {
        $info = New-InternalObject (Get-InternalType FinCardPin.Engine.Fineid.PinStatusInfo) @([FinCardPin.Engine.Fineid.PinCode] $Code, [FinCardPin.Engine.Fineid.PinState] $State, [Nullable[int]] $Tries, 5)
        $advice = (Get-InternalType FinCardPin.Engine.Fineid.NextStep)::For($info)
        New-InternalObject ([FinCardPin.PinStatus]) @($Reader, [FinCardPin.Engine.Fineid.CardKind] $Kind, $Serial, $info, $advice)
    }

    $script:Readers = @(
        [FinCardPin.CardReader]::new($script:LongName, 'CardReader', 'CardPresent', '3B 7F 96', 'IdentityCard', 'Thales MultiApp v5.0', '9246001234')
        [FinCardPin.CardReader]::new('HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 01 00', 'CardReader', 'Exclusive', '3B 7F 96', 'OrganisationOrSoteCard', 'IDEMIA ID.me', $null)
        [FinCardPin.CardReader]::new('Alcor Micro AU9540 00 00', 'CardReader', 'CardPresent', '3B 7F 96', 'OrganisationOrSoteCard', 'IDEMIA Cosmo X', '1234567890')
        [FinCardPin.CardReader]::new('Generic EMV Smartcard Reader 02 00', 'CardReader', 'Empty', $null, 'None', $null, $null)
    )
    $script:Statuses = @(
        New-Status $script:LongName 'IdentityCard' '9246001234' 'Pin1' 'Ready' 5
        New-Status $script:LongName 'IdentityCard' '9246001234' 'Pin2' 'Blocked' 0
        New-Status $script:LongName 'IdentityCard' '9246001234' 'ActivationCode' 'Ready' 3
        New-Status 'Alcor Micro AU9540 00 00' 'OrganisationOrSoteCard' '1234567890' 'Pin1' 'NotActivated' 0
        New-Status 'Alcor Micro AU9540 00 00' 'OrganisationOrSoteCard' '1234567890' 'Pin2' 'NotActivated' 5
        New-Status 'Alcor Micro AU9540 00 00' 'OrganisationOrSoteCard' '1234567890' 'ActivationCode' 'Blocked' 0
    )
    $checkResult = New-InternalObject (Get-InternalType FinCardPin.Engine.Fineid.PinCheckResult) @($false, [FinCardPin.Engine.Fineid.PinState]::Blocked, [Nullable[int]] 0)
    $script:TestResult = New-InternalObject ([FinCardPin.PinTestResult]) @($script:LongName, '9246001234', [FinCardPin.Engine.Fineid.PinCode]::Pin2, $checkResult,
        ('The signature code (PIN2) is blocked. ' + (Get-InternalType FinCardPin.Localization.Texts)::Get('Advice.Unblock')))

    function script:Render($Objects, [int] $Width, [switch] $List) {
        $text = if ($List) { $Objects | Format-List | Out-String -Width $Width } else { $Objects | Out-String -Width $Width }
        @($text -split "`r?`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ })
    }

    # Every whitespace-separated piece of the text must be a whole word of the objects' texts (or of the view's
    # labels); a piece with an ellipsis must be a word's start, the ellipsis, and a word's end.
    function script:Get-BrokenWords([string[]] $Lines, [string[]] $Texts) {
        $words = [System.Collections.Generic.HashSet[string]]::new()
        foreach ($text in $Texts) { foreach ($word in ([string]$text -split '\s+')) { if ($word) { [void]$words.Add($word) } } }
        foreach ($line in $Lines) {
            foreach ($piece in ($line -split '\s+' | Where-Object { $_ })) {
                if ($words.Contains($piece) -or $piece -match '^-+$') { continue }
                if ($piece.Contains($script:Ellipsis)) {
                    $head, $tail = $piece -split [regex]::Escape($script:Ellipsis), 2
                    $headOk = (-not $head) -or @($words | Where-Object { $_.StartsWith($head) }).Count -gt 0
                    $tailOk = (-not $tail) -or @($words | Where-Object { $_.EndsWith($tail) }).Count -gt 0
                    if ($headOk -and $tailOk) { continue }
                }
                "'$piece' in: $line"
            }
        }
    }

    function script:Get-Texts($Objects) {
        foreach ($object in $Objects) { foreach ($property in $object.PSObject.Properties) { [string]$property.Value } }
    }
}

Describe 'Default views at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
    It 'Get-CardReader: one line per reader; Name shortened in the middle; State, CardKind and CardSerial whole; Chip last' {
        $lines = Render $script:Readers $Width
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width -Because "'$_' must fit" }
        $lines[0] | Should -Match '^Name\s+State\s+CardKind\s+CardSerial\s+Chip$'
        $rows = $lines | Select-Object -Skip 2
        $rows.Count | Should -Be $script:Readers.Count -Because 'no value wraps onto a second line'
        $rows[0] | Should -Match "^HID Global OMNI$($script:Ellipsis)r\] 00 00 +CardPresent +IdentityCard +9246001234 +Thales"
        $rows[1] | Should -Match "^HID Global OMNI$($script:Ellipsis)r\] 01 00 +Exclusive +OrganisationOrSoteCard +IDEMIA"
        $rows[2] | Should -Match '^Alcor Micro AU9540 00 00 +CardPresent +OrganisationOrSoteCard +1234567890 +IDEMIA'
        $rows[3] | Should -Match '^Generic EMV Sma.+ 02 00 +Empty +None$'
        if ($Width -ge 120) { $rows[0] | Should -Match 'Thales MultiApp v5\.0$' }
        Get-BrokenWords $lines ((Get-Texts $script:Readers) + 'Name State CardKind CardSerial Chip') | Should -BeNullOrEmpty
    }

    It 'Get-CardPinStatus: a card header per card, one line per code, the command to run as the next step' {
        $lines = Render $script:Statuses $Width
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width -Because "'$_' must fit" }
        $headers = @($lines | Where-Object { $_ -match '^\s*Card: ' })
        $headers.Count | Should -Be 2
        $headers[0] | Should -Match "Card: 9246001234 \(IdentityCard\) in HID Global OMNIKEY 3x21 Sma$($script:Ellipsis)r\] 00 00$"
        $headers[1] | Should -Match 'Card: 1234567890 \(OrganisationOrSoteCard\) in Alcor Micro AU9540 00 00$'
        @($lines | Where-Object { $_ -match '^Code\s+State\s+Tries\s+Length\s+NextCommand$' }).Count | Should -Be 2
        $rows = @($lines | Where-Object { $_ -match '^(Pin1|Pin2|ActivationCode) ' })
        $rows.Count | Should -Be $script:Statuses.Count -Because 'no value wraps onto a second line'
        $rows[0] | Should -Match '^Pin1 +Ready +5/5 4-8$'
        $rows[1] | Should -Match '^Pin2 +Blocked +0/5 6-8 +Unlock-CardPin -Code Pin2$'
        $rows[3] | Should -Match '^Pin1 +NotActivated +0/5 4-8 +Unlock-CardPin -Code Pin1$'
        $rows[4] | Should -Match '^Pin2 +NotActivated +5/5 4-8 +Set-CardPin -Code Pin2$'
        $rows[5] | Should -Match '^ActivationCode +Blocked +0/5 8\s*$' -Because 'no command helps a used-up activation code: NextCommand is empty'
        $labels = 'Card: Code State Tries Length NextCommand 5/5 0/5 3/5 4-8 6-8 7-8 8 (IdentityCard) (OrganisationOrSoteCard) in'
        Get-BrokenWords $lines ((Get-Texts $script:Statuses) + $labels) | Should -BeNullOrEmpty
    }

    It 'Get-CardPinStatus | Format-List: the full advice, wrapped between words' {
        $lines = Render $script:Statuses[1] $Width -List
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        ($lines -join ' ') | Should -Match ('NextStep +: ' + [regex]::Escape((Get-InternalType FinCardPin.Localization.Texts)::Get('Advice.Unblock')).Replace('\ ', '\s+'))
        ($lines -join ' ') | Should -Match ('ReaderName +: ' + [regex]::Escape($script:LongName).Replace('\ ', '\s+'))
        $lines | Should -Contain 'NextCommand : Unlock-CardPin -Code Pin2'
        $lines | Should -Contain 'CodeName    : signature code (PIN2)'
        Get-BrokenWords $lines ((Get-Texts $script:Statuses[1]) + 'ReaderName CardKind CardSerial Code CodeName State TriesLeft LengthRule NextCommand NextStep : 0 of 5') | Should -BeNullOrEmpty
    }

    It 'Test-CardPin: a list with the whole message, wrapped between words' {
        $lines = Render $script:TestResult $Width
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $lines | Should -Contain 'CodeName   : signature code (PIN2)'
        $lines | Should -Contain 'Verified   : False'
        ($lines -join ' ') | Should -Match ('Message +: ' + [regex]::Escape($script:TestResult.Message).Replace('\ ', '\s+'))
        Get-BrokenWords $lines ((Get-Texts $script:TestResult) + 'ReaderName CardSerial CodeName Verified TriesLeft Message :') | Should -BeNullOrEmpty
    }
}
