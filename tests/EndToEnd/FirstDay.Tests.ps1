# A new admin's first day (issue "A first day without surprises"): each step they tripped over, run the way they ran
# it — an unattended pwsh, two cards in two readers, the views at the widths they had — and what it must do instead.
# Runs in both tiers (in-process virtual readers, and pcscd + vpcd).

BeforeDiscovery {
    # The module's languages, from the project file (tools/Languages.psm1).
    Import-Module (Join-Path $PSScriptRoot '../../tools/Languages.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'firstday'
    $script:Reader0 = Get-VirtualReaderName 0
    $script:Reader1 = Get-VirtualReaderName 1

    $script:Codes = [ordered]@{
        Pin1           = '73028461'
        Pin2           = '649027'
        ActivationCode = '58302719'
        NewPin2        = '940617'
    }

    # pwsh -NonInteractive -Command $Command; prints the first error's id and advice on lines of their own.
    function script:Invoke-Unattended([string] $Command) {
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; $Command; 'ID=' + `$Error[0].FullyQualifiedErrorId; 'ACTION=' + `$Error[0].ErrorDetails.RecommendedAction"
        Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSeconds 60 -ThrowOnTimeout
    }

    function script:Secret([string] $Name) { "(ConvertTo-SecureString '$($script:Codes[$Name])' -AsPlainText -Force)" }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'a confirmation that cannot be asked (item 1)' {
    BeforeAll {
        $script:Card = New-TestCard $script:Folder 'confirm' 0 @{ Serial = '9252200001'; Pin1 = $script:Codes.Pin1; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode } -Edit { $args[0].Pin2.TriesLeft = 0 }
    }
    AfterAll { Remove-Card 0 }

    It 'ends <Command> in pwsh -NonInteractive with ConfirmationNotAvailable and the advice to add -Confirm:$false, sending nothing' -ForEach @(
        @{ Command = 'Unlock-CardPin -Code Pin2'; Parameters = '-ActivationCode {ActivationCode} -NewPin {NewPin2}'; Class = 'UnlockCardPinCommand' }
        @{ Command = 'Set-CardPin -Code Pin1 -Confirm'; Parameters = '-CurrentPin {Pin1} -NewPin {NewPin2}'; Class = 'SetCardPinCommand' }
    ) {
        $before = Get-CardSnapshot $script:Card
        $given = $Parameters -replace '\{(\w+)\}', { Secret $_.Groups[1].Value }

        $child = Invoke-Unattended "$Command -ReaderName '$($script:Reader0)' $given"

        $child.Exited | Should -BeTrue
        $child.Output | Should -Match "ID=ConfirmationNotAvailable,FinCardPin\.Cmdlets\.$Class"
        $child.Output | Should -Match 'ACTION=.*-Confirm:\$false'
        $child.Output + $child.Errors | Should -Not -Match 'UnexpectedError|failed unexpectedly|please report'
        Get-ApduSince $script:Card $before | Should -BeNullOrEmpty
        Get-Content -Raw $script:Card.Path | Should -BeExactly $before.State
    }

    It 'still runs unattended with -Confirm:$false' {
        $child = Invoke-Unattended "Unlock-CardPin -Code Pin2 -ReaderName '$($script:Reader0)' -ActivationCode $(Secret ActivationCode) -NewPin $(Secret NewPin2) -Confirm:`$false; `$Error.Clear()"

        $child.Output | Should -Match '(?m)^ID=\r?$' -Because 'no error'
        (Read-CardFile $script:Card.Path).Pin2.Value | Should -Be $script:Codes.NewPin2
    }

    It 'advises <Parameter> for a missing code of <Command>, a parameter that command has' -ForEach @(
        @{ Command = 'Set-CardPin -Code Pin1 -Confirm:$false'; Parameter = '-CurrentPin'; Not = '-Pin\b|-ActivationCode' }
        @{ Command = 'Set-CardPin -Code Pin1 -Confirm:$false -CurrentPin {Pin1}'; Parameter = '-NewPin'; Not = '-Pin\b|-ActivationCode' }
        @{ Command = 'Unlock-CardPin -Code Pin1 -Confirm:$false'; Parameter = '-ActivationCode'; Not = '-Pin\b|-CurrentPin' }
        @{ Command = 'Test-CardPin -Code Pin1'; Parameter = '-Pin'; Not = '-NewPin|-CurrentPin|-ActivationCode' }
    ) {
        $given = $Command -replace '\{(\w+)\}', { Secret $_.Groups[1].Value }

        $child = Invoke-Unattended "$given -ReaderName '$($script:Reader0)'"

        $child.Output | Should -Match 'ID=PinPromptNotAvailable,'
        $action = ($child.Lines | Where-Object { $_ -like 'ACTION=*' }) -join ''
        $action | Should -Match ([regex]::Escape($Parameter) + '\b')
        $action | Should -Not -Match $Not
    }
}

Describe 'NextCommand is a command that works (item 6)' {
    AfterEach { Remove-Card 0; Remove-Card 1 }

    It 'names the reader when two cards are present, and the command as shown unblocks the code' {
        $blocked = New-TestCard $script:Folder 'next-blocked' 0 @{ Serial = '9252200601'; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode } -Edit { $args[0].Pin2.TriesLeft = 0 }
        New-TestCard $script:Folder 'next-other' 1 @{ Serial = '9252200602' } | Out-Null

        $status = Get-CardPinStatus -Code Pin2 | Where-Object State -EQ 'Blocked'

        $status.NextCommand | Should -BeExactly ("Unlock-CardPin -Code Pin2 -ReaderName '{0}'" -f $blocked.Reader.Replace("'", "''"))
        $failures = $null
        Invoke-Expression "$($status.NextCommand) -ActivationCode `$(ConvertTo-TestSecret '$($script:Codes.ActivationCode)') -NewPin `$(ConvertTo-TestSecret '$($script:Codes.NewPin2)') -Confirm:`$false" -ErrorVariable failures -ErrorAction SilentlyContinue
        Get-ErrorId $failures | Should -BeNullOrEmpty -Because 'before, the command without -ReaderName stopped at MultipleFineidCards'
        (Read-CardFile $blocked.Path).Pin2.Value | Should -Be $script:Codes.NewPin2
    }

    It 'names no reader with one card present' {
        New-TestCard $script:Folder 'next-single' 0 @{ Serial = '9252200603' } -Edit { $args[0].Pin2.TriesLeft = 0 } | Out-Null

        (Get-CardPinStatus -Code Pin2).NextCommand | Should -BeExactly 'Unlock-CardPin -Code Pin2'
    }

    It 'leaves NextCommand empty for a used-up activation code, with the words in NextStep' {
        New-TestCard $script:Folder 'next-usedup' 0 @{ Serial = '9252200604' } -Edit { $args[0].ActivationCode.TriesLeft = 0 } | Out-Null

        $status = Get-CardPinStatus -Code ActivationCode

        $status.State | Should -Be 'Blocked'
        $status.NextCommand | Should -BeNullOrEmpty
        $status.NextStep | Should -Match 'new card or a new code letter'
    }
}

Describe 'views and objects (item 8)' {
    It 'New-VirtualCard returns a card file that reads well (path, kind, serial) and pipes into Use-VirtualCard' {
        $path = Join-Path $script:Folder 'readable.json'

        $card = New-VirtualCard -Path $path -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') -ActivationCode (ConvertTo-TestSecret '28461937') -Serial 9252200801 -Force

        $card | Should -BeOfType 'FinCardPin.VirtualCardFile'
        $card.Path | Should -Be $path
        $card.FullName | Should -Be $path
        "$card" | Should -Be $path
        $lines = @(($card | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Path +: '
        $lines | Should -Contain 'CardKind  : IdentityCard'
        $lines | Should -Contain 'Serial    : 9252200801'
        $lines | Should -Contain 'Activated : True'
        ($card | Use-VirtualCard -ScriptBlock { Get-CardReader }).CardSerial | Should -Be '9252200801'
        (Use-VirtualCard -Path $card { Get-CardReader }).CardSerial | Should -Be '9252200801'
    }

    It 'gives virtual cards made without -Serial distinct serials' {
        $cards = foreach ($name in 'noserial-a', 'noserial-b') {
            New-VirtualCard -Path (Join-Path $script:Folder "$name.json") -NotActivated -ActivationCode (ConvertTo-TestSecret '28461937') -Force
        }

        $cards[0].Serial | Should -Match '^\d{10}$'
        $cards[1].Serial | Should -Not -Be $cards[0].Serial
        $readers = $cards | Use-VirtualCard -ScriptBlock { Get-CardReader }
        @($readers.CardSerial | Sort-Object -Unique).Count | Should -Be 2 -Because 'two cards, two serials (before: both 1000000001)'
    }
}

Describe 'the README''s Format-List example at 80 columns (item 8)' {
    BeforeAll {
        New-TestCard $script:Folder 'list-blocked' 0 @{ Serial = '9252200811' } -Edit { $args[0].Pin2.TriesLeft = 0 } | Out-Null
        $script:Example = (Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')) -split "`r?`n" |
            Where-Object { $_ -match '^PS> Get-CardPinStatus -Code Pin2 \| Format-List' } | Select-Object -Last 1
    }
    AfterAll { Remove-Card 0 }

    It 'runs the README''s example (<_>) without splitting a word of NextStep' -ForEach (Get-ModuleCulture) {
        $script:Example | Should -Not -BeNullOrEmpty
        $command = ($script:Example -replace '^PS> ', '') -replace '\s+#.*$', ''
        $saved = [Threading.Thread]::CurrentThread.CurrentUICulture
        [Threading.Thread]::CurrentThread.CurrentUICulture = $_
        try {
            $status = Get-CardPinStatus -Code Pin2
            $text = Invoke-Expression "$command | Out-String -Width 80"
        } finally {
            [Threading.Thread]::CurrentThread.CurrentUICulture = $saved
        }

        $words = $status.NextStep -split '\s+'
        $shown = @($text -split "`r?`n" | ForEach-Object { $_ -replace '^\s*NextStep\s*:\s*', '' -replace '^\s+', '' } | ForEach-Object { $_ -split '\s+' } | Where-Object { $_ })
        foreach ($word in $words) { $shown | Should -Contain $word -Because "'$word' of NextStep must stay whole at 80 columns" }
    }
}

Describe 'the reader view uses the width there is (item 8)' {
    # A console of the given width (a pseudo-terminal from util-linux's script), as the admin's window was; the view
    # is written to the console itself, as typing Get-CardReader does.
    It 'lays the reader view out in a console of <Columns> columns: a 27-character name <Shown>, every line within them' -ForEach @(
        @{ Columns = 120; Whole = $true; Shown = 'whole' }
        @{ Columns = 80; Whole = $false; Shown = 'shortened in the middle to 24' }
    ) {
        $name = 'FinCardPin Virtual Reader 0'
        $long = 'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 01 00'
        $child = "Import-Module '$env:FINCARDPIN_MODULE'; [FinCardPin.CardReader]::new('$name', 'CardReader', 'CardPresent', '3B 7F 96', 'IdentityCard', 'Thales MultiApp v5.0', '9246001234'), [FinCardPin.CardReader]::new('$long', 'CardReader', 'CardPresent', '3B 7F 96', 'OrganisationOrSoteCard', 'IDEMIA ID.me', '1234567890') | Out-Host"
        $file = Join-Path $script:Folder "readers-$Columns.ps1"
        Set-Content -Path $file -Value $child
        $pwsh = Join-Path $PSHOME 'pwsh'

        $raw = script -q -c "stty cols $Columns rows 50; '$pwsh' -NoProfile -NonInteractive -File '$file'" /dev/null
        $lines = @(($raw -join "`n") -replace '\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r', '' -split "`n" | Where-Object { $_.Trim() })

        ($lines -join "`n") | Should -Match '(?m)^Name\s+State\s+CardKind\s+CardSerial\s+Chip'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Columns -Because "'$_' must fit" }
        $row = $lines | Where-Object { $_ -match '9246001234' }
        if ($Whole) { $row | Should -Match ('^' + [regex]::Escape($name) + ' ') -Because 'there is room for it' }
        else { $row | Should -Match "^FinCardPin Virt$([char]0x2026)Reader 0 " -Because 'at 80 columns the name is shortened in the middle to 24 characters' }
        ($lines | Where-Object { $_ -match '1234567890' }) | Should -Match '01 00 ' -Because 'a shortened name keeps its slot number'
    }
}

Describe 'small inconsistencies (item 10)' {
    BeforeAll {
        $script:Card10 = New-TestCard $script:Folder 'small' 0 @{ Serial = '9252201001'; Pin1 = $script:Codes.Pin1; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode }
    }
    AfterAll { Remove-Card 0 }

    It 'Export-CardDiagnostic refuses to overwrite a file without -Force, before reading the card; -Force overwrites' {
        $path = Join-Path $script:Folder 'existing-report.json'
        Set-Content -Path $path -Value 'my own notes'
        $before = Get-CardSnapshot $script:Card10

        Export-CardDiagnostic -Path $path -ReaderName $script:Card10.Reader -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Get-ErrorId $failures | Should -Be 'DiagnosticFileExists'
        (Get-Content -Raw $path).Trim() | Should -Be 'my own notes'
        Get-ApduSince $script:Card10 $before | Should -BeNullOrEmpty
        (Export-CardDiagnostic -Path $path -ReaderName $script:Card10.Reader -Force).Path | Should -Be $path
        Get-Content -Raw $path | Should -Match '"Atr"'
    }

    It 'Get-CardReader -Timeout alone waits for a card, as -WaitForCard does (it was ignored)' {
        $pattern = Get-VirtualReaderName 1
        $failures = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()

        $found = Get-CardReader -Name $pattern -Timeout 1 -ErrorVariable failures -ErrorAction SilentlyContinue

        $found | Should -BeNullOrEmpty
        Get-ErrorId $failures | Should -Be 'WaitForCardTimeout' -Because 'reader 1 is empty: a wait of 1 s ends without a card'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        (Get-CardReader -Timeout 5).CardSerial | Should -Be '9252201001' -Because 'the waiting lists only readers holding a FINEID card'
    }

    It 'takes a reader name piped as a string to Get-CardPinStatus' {
        $status = $script:Card10.Reader | Get-CardPinStatus -Code Pin1 -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorId $failures | Should -BeNullOrEmpty
        $status.CardSerial | Should -Be '9252201001'
        $status.Code | Should -Be 'Pin1'
    }

    It '-Verbose on <Command> says what was read and why, and shows no code' -ForEach @(
        @{ Command = 'Get-CardReader'; Expect = 'Read the state of \d+ card reader', 'Reading the serial of the FINEID card in reader' }
        @{ Command = 'Get-CardPinStatus'; Expect = , 'Read the state and tries left of Pin1, Pin2, ActivationCode on the card in reader .*no code sent, no try spent' }
    ) {
        $saved = [Threading.Thread]::CurrentThread.CurrentUICulture
        [Threading.Thread]::CurrentThread.CurrentUICulture = 'en-US'
        try { $verbose = @(& $Command -ReaderName $script:Card10.Reader -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) }
        finally { [Threading.Thread]::CurrentThread.CurrentUICulture = $saved }

        foreach ($line in $Expect) { ($verbose -join "`n") | Should -Match $line }
        foreach ($code in $script:Codes.Values) { ($verbose -join "`n") | Should -Not -Match $code }
    }

    It 'sets no HelpUri, and says in about_FinCardPin (<_>) that there is no online help' -ForEach (Get-ModuleCulture) {
        Get-Command -Module FinCardPin | Where-Object { $_.HelpUri } | Should -BeNullOrEmpty
        $about = Get-Content -Raw (Join-Path (Split-Path $env:FINCARDPIN_MODULE) "$_/about_FinCardPin.help.txt")
        $about | Should -Match 'Get-Help -Online'
        $about | Should -Match 'HelpUri'
    }
}

Describe 'activating a 2026 card with Set-CardPin asks for the activation code (item 3)' {
    AfterEach { Remove-Card 0 }

    # A fresh session, the card not looked at before: the cmdlet reads the code's state (no code sent, no try spent)
    # to know what to ask for, since it must ask anyway.
    It 'asks in <Culture> for "<Expected>", not for the current code, in a fresh session, and activates' -ForEach @(
        @{ Culture = 'en-US'; Expected = 'Activation code from your code letter'; Wrong = 'Current basic code \(PIN1\): ' }
        @{ Culture = 'fi-FI'; Expected = 'Tunnuslukukirjeen aktivointitunnusluku'; Wrong = 'Nykyinen perustunnusluku \(PIN1\):' }
        @{ Culture = 'sv-SE'; Expected = 'Aktiveringskoden i ditt kodbrev'; Wrong = 'Nuvarande grundkod \(PIN1\):' }
    ) {
        $card = New-TestCard $script:Folder "activate-$Culture" 0 @{ Serial = '9252200301'; Unactivated2026Code = '7654321' }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '7654321', '4826', '4826' $Culture).Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Written | Should -Match ([regex]::Escape($Expected))
        $result.Written | Should -Not -Match $Wrong
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '4826'
    }

    It 'still asks an activated card for its current code' {
        $card = New-TestCard $script:Folder 'activated-prompt' 0 @{ Serial = '9252200302'; Pin1 = $script:Codes.Pin1 }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" $script:Codes.Pin1, '4826', '4826').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Written | Should -Match 'Current basic code \(PIN1\): '
        $result.Written | Should -Not -Match 'Activation code from your code letter'
    }

    It 'checks a -NewPin given as a parameter before it reads the card for the prompt: <Name>' -ForEach @(
        @{ Name = 'too short'; NewPin = '12'; Id = 'InvalidPinLength' }
        @{ Name = 'not digits'; NewPin = '48a6'; Id = 'InvalidPinCharacters' }
    ) {
        $card = New-TestCard $script:Folder 'activate-bad-new' 0 @{ Serial = '9252200303'; Unactivated2026Code = '7654321' }
        $before = Get-CardSnapshot $card

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)' -NewPin (ConvertTo-SecureString '$NewPin' -AsPlainText -Force)" '7654321').Result

        $result.Errors | Should -Be @("$Id,FinCardPin.Cmdlets.SetCardPinCommand")
        $result.SecureReads | Should -Be 0 -Because 'nothing is asked for once a parameter is refused'
        Get-ApduSince $card $before | Should -BeNullOrEmpty -Because 'a code given as a parameter is checked before any command reaches the card'
    }

    It 'reads nothing from the card for the prompt under <Name>' -ForEach @(
        @{ Name = '-WhatIf'; Extra = '-WhatIf'; Via = 'answering' }
        @{ Name = 'pwsh -NonInteractive'; Extra = ''; Via = 'noninteractive' }
    ) {
        $card = New-TestCard $script:Folder 'activate-noread' 0 @{ Serial = '9252200304'; Unactivated2026Code = '7654321' }
        $before = Get-CardSnapshot $card

        if ($Via -eq 'answering') {
            $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)' $Extra" '7654321').Result
            $result.SecureReads | Should -Be 0
        }
        else {
            $child = Invoke-Unattended "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)' -Confirm:`$false"
            $child.Output | Should -Match 'ID=PinPromptNotAvailable,'
        }

        Get-ApduSince $card $before | Should -BeNullOrEmpty
    }

    It 'sends no code when the typed activation code is refused for its length, only the status read' {
        $card = New-TestCard $script:Folder 'activate-short' 0 @{ Serial = '9252200305'; Unactivated2026Code = '7654321' }
        $before = Get-CardSnapshot $card

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '12').Result

        $result.Errors | Should -Be @('InvalidPinLength,FinCardPin.Cmdlets.SetCardPinCommand')
        $result.Written | Should -Match 'Activation code from your code letter'
        Get-ApduSince $card $before | Should -Not -BeNullOrEmpty -Because 'the state was read to choose the prompt'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty -Because 'a status read sends no code'
        Get-Content -Raw $card.Path | Should -BeExactly $before.State -Because 'no try was spent'
    }
}

Describe 'a second chance when prompting for the new code (item 4)' {
    AfterEach { Remove-Card 0 }

    # Card codes: PIN1 1234, PIN2 123456, activation code 12345678 (New-CardFile's defaults) unless named.
    It 'asks again for the new code after <Name>, keeps the current code typed once, and changes the code' -ForEach @(
        @{ Name = 'a mismatched confirmation'; Answers = '1234', '482619', '482610', '482619', '482619'; Said = 'The two entries of the new basic code \(PIN1\) differ' }
        @{ Name = 'a too-short new code'; Answers = '1234', '48', '482619', '482619'; Said = 'The new basic code \(PIN1\) must be 4-8 digits' }
        @{ Name = 'a too-long new code'; Answers = '1234', '482619374', '482619', '482619'; Said = 'The new basic code \(PIN1\) must be 4-8 digits' }
        @{ Name = 'a new code that is not digits'; Answers = '1234', '48a6', '482619', '482619'; Said = 'digits' }
        @{ Name = 'a new code the same as the current one'; Answers = '1234', '1234', '1234', '482619', '482619'; Said = 'same as the current one' }
    ) {
        $card = New-TestCard $script:Folder 'again-set' 0 @{ Serial = '9252200401' }
        $before = Get-CardSnapshot $card

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" $Answers).Result

        $result.Errors | Should -BeNullOrEmpty -Because 'before, the command ended at the first bad entry'
        $result.SecureReads | Should -Be $Answers.Count
        $result.Written | Should -Match $Said
        $result.Written | Should -Match 'No code was sent to the card\. Enter the new basic code \(PIN1\) again \(2 of 3\)'
        ([regex]::Matches($result.Written, 'Current basic code \(PIN1\): ')).Count | Should -Be 1 -Because 'the current code is not asked again'
        @(Get-PinCommand (Get-ApduSince $card $before)).Count | Should -Be 1
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '482619'
    }

    It 'gives Unlock-CardPin the same second chance' {
        $card = New-TestCard $script:Folder 'again-unlock' 0 @{ Serial = '9252200402' } -Edit { $args[0].Pin2.TriesLeft = 0 }

        $result = (Invoke-Answering "Unlock-CardPin -Code Pin2 -ReaderName '$($card.Reader)' -Confirm:`$false" '12345678', '4826', '482619', '482610', '482619', '482619').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Written | Should -Match '\(3 of 3\)'
        ([regex]::Matches($result.Written, 'Activation code \(PUK\): ')).Count | Should -Be 1
        (Read-CardFile $card.Path).Pin2.Value | Should -Be '482619'
    }

    It 'stops after three bad new codes with the last refusal, sending no code' {
        $card = New-TestCard $script:Folder 'again-three' 0 @{ Serial = '9252200403' }
        $before = Get-CardSnapshot $card

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '1234', '482619', '482610', '48', '482619', '482611').Result

        $result.Errors | Should -Be @('PinConfirmationMismatch,FinCardPin.Cmdlets.SetCardPinCommand')
        $result.SecureReads | Should -Be 6 -Because 'the current code, then three rounds of the new code (a too-short one is not asked to repeat)'
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State
    }

    It 'asks whether to keep a guessable new code, No by default, and then asks for another one' {
        $card = New-TestCard $script:Folder 'guess-no' 0 @{ Serial = '9252200404' }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '1234', '5678', '5678', 'choice:default', '482619', '482619').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.ChoiceReads | Should -Be 1 -Because 'before, the guessable code was warned about and taken'
        $result.Written | Should -Match 'CHOICE: .*easy to guess.* \| &Yes / &No \| default 1'
        $result.Written | Should -Not -Match '5678'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '482619'
    }

    It 'keeps a guessable new code when the holder says Yes, with the warning' {
        $card = New-TestCard $script:Folder 'guess-yes' 0 @{ Serial = '9252200405' }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '1234', '5678', '5678', 'choice:0').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.ChoiceReads | Should -Be 1
        @($result.Warnings | Where-Object { $_ -match 'easy to guess' }).Count | Should -Be 1
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '5678'
    }

    It 'keeps a guessable new code without asking under -Force' {
        $card = New-TestCard $script:Folder 'guess-force' 0 @{ Serial = '9252200406' }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)' -Force" '1234', '5678', '5678').Result

        $result.Errors | Should -BeNullOrEmpty
        $result.ChoiceReads | Should -Be 0
        @($result.Warnings | Where-Object { $_ -match 'easy to guess' }).Count | Should -Be 1
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '5678'
    }

    It 'ends with GuessablePinNotKept when every new code typed is guessable and not kept, sending no code' {
        $card = New-TestCard $script:Folder 'guess-never' 0 @{ Serial = '9252200407' }
        $before = Get-CardSnapshot $card

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '1234', '5678', '5678', 'choice:1', '0000', '0000', 'choice:1', '4321', '4321', 'choice:default').Result

        $result.Errors | Should -Be @('GuessablePinNotKept,FinCardPin.Cmdlets.SetCardPinCommand')
        $result.ChoiceReads | Should -Be 3
        Get-PinCommand (Get-ApduSince $card $before) | Should -BeNullOrEmpty
        Get-Content -Raw $card.Path | Should -BeExactly $before.State
    }

    It 'asks in <Culture> with the language''s own words' -ForEach @(
        @{ Culture = 'fi-FI'; Again = 'Korttiin ei lähetetty koodia'; Choices = '&Kyllä / &Ei' }
        @{ Culture = 'sv-SE'; Again = 'Ingen kod skickades till kortet'; Choices = '&Ja / &Nej' }
    ) {
        $card = New-TestCard $script:Folder "again-$Culture" 0 @{ Serial = '9252200408' }

        $result = (Invoke-Answering "Set-CardPin -Code Pin1 -ReaderName '$($card.Reader)'" '1234', '48', '5678', '5678', 'choice:1', '482619', '482619' $Culture).Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Written | Should -Match $Again
        $result.Written | Should -Match ([regex]::Escape($Choices))
        $result.Written | Should -Not -Match 'No code was sent|easy to guess|&Yes'
        (Read-CardFile $card.Path).Pin1.Value | Should -Be '482619'
    }
}

Describe 'whole messages in each language, no English .NET text inside (item 11)' {
    BeforeAll {
        $script:Card11 = New-TestCard $script:Folder 'words' 0 @{ Serial = '9252201101' }
        $script:Missing = Join-Path $script:Folder 'puuttuva-kansio'
        # Words of .NET's and PowerShell's own (English) messages for these failures.
        $script:English = '\b(Could|could|find|part|path|Access|access|denied|specified|wildcard|character|valid|the|is|of|not|Cannot|cannot)\b'
    }
    AfterAll { Remove-Card 0 }

    It 'words <Step> wholly in <Culture>' -ForEach @(
        foreach ($culture in Get-ModuleCulture -Translations) {
            @{ Culture = $culture; Step = 'Export-CardDiagnostic into a missing folder'; Id = 'DiagnosticWriteFailed'; Run = { Export-CardDiagnostic -Path (Join-Path $script:Missing 'raportti.json') -ReaderName $script:Card11.Reader } }
            @{ Culture = $culture; Step = 'New-VirtualCard into a missing folder'; Id = 'VirtualCardFileNotWritten'; Run = { New-VirtualCard -Path (Join-Path $script:Missing 'kortti.json') -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') -ActivationCode (ConvertTo-TestSecret '28461937') -Force } }
            @{ Culture = $culture; Step = 'Get-CardReader -Name [abc'; Id = 'InvalidReaderNamePattern'; Run = { Get-CardReader -Name '[abc' } }
            @{ Culture = $culture; Step = 'Test-CardPin -Code Pin3'; Id = 'InvalidCodeName'; Run = { Test-CardPin -Code Pin3 } }
            @{ Culture = $culture; Step = 'Get-CardPinStatus -Code Signatur'; Id = 'InvalidCodeName'; Run = { Get-CardPinStatus -Code Signatur -ReaderName $script:Card11.Reader } }
        }
    ) {
        $saved = [Threading.Thread]::CurrentThread.CurrentUICulture
        [Threading.Thread]::CurrentThread.CurrentUICulture = $Culture
        $failures = $null
        $ErrorActionPreference = 'Continue'
        try { $failures = @(& $Run 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
        catch { $failures = @($_) }
        finally { [Threading.Thread]::CurrentThread.CurrentUICulture = $saved }

        Get-ErrorId $failures | Should -Be @($Id)
        $message = "$($failures[0])"
        $message | Should -Not -BeNullOrEmpty
        $message | Should -Not -Match $script:English -Because "the $Culture message is the module's own sentence (before: .NET's English text in {detail}/{reason})"
    }
}

Describe 'the confirmation and -WhatIf in the module''s words (item 11)' {
    BeforeAll {
        $script:CardW = New-TestCard $script:Folder 'whatif-words' 0 @{ Serial = '9252201102' }
    }
    AfterAll { Remove-Card 0 }

    It 'words <Switch> of <Command> in <Culture> as one sentence of its own, without PowerShell''s "Performing the operation"' -ForEach @(
        foreach ($row in @(
            @{ Culture = 'fi-FI'; Said = 'Vaihda PIN: lukijassa .* olevan kortin perustunnusluku \(PIN1\)'; Caption = 'Vahvista' }
            @{ Culture = 'sv-SE'; Said = 'Byt PIN: grundkoden \(PIN1\) på kortet i läsaren'; Caption = 'Bekräfta' }
        )) {
            @{ Culture = $row.Culture; Said = $row.Said; Caption = $row.Caption; Switch = '-WhatIf'; Command = 'Set-CardPin'; Answers = @('unused') }
            @{ Culture = $row.Culture; Said = $row.Said; Caption = $row.Caption; Switch = '-Confirm'; Command = 'Set-CardPin'; Answers = @('choice:2') }
        }
    ) {
        $before = Get-CardSnapshot $script:CardW
        $secret = { param($digits) "(ConvertTo-SecureString '$digits' -AsPlainText -Force)" }

        $result = (Invoke-Answering "$Command -Code Pin1 -ReaderName '$($script:CardW.Reader)' -CurrentPin $(& $secret '1234') -NewPin $(& $secret '482619') $Switch" $Answers $Culture).Result

        $result.Errors | Should -BeNullOrEmpty
        $result.Written | Should -Match $Said
        $result.Written | Should -Not -Match 'Performing the operation|on target|Are you sure you want to perform this action' -Because 'before: PowerShell''s English sentence around the module''s words'
        if ($Switch -eq '-Confirm') { $result.Written | Should -Match "CHOICE: $Caption \|" }
        Get-ApduSince $script:CardW $before | Should -BeNullOrEmpty
    }
}

Describe '-CardSerial completion (item 10)' {
    BeforeAll {
        New-TestCard $script:Folder 'complete-a' 0 @{ Serial = '9252201011' } | Out-Null
        New-TestCard $script:Folder 'complete-b' 1 @{ Serial = '9252201012' } | Out-Null
    }
    AfterAll { Remove-Card 0; Remove-Card 1 }

    It 'offers the serials of the cards present, not file names, on <_>' -ForEach 'Set-CardPin -Code Pin1 -CardSerial ', 'Get-CardPinStatus -CardSerial ' {
        $line = $_
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        @($result.CompletionMatches.CompletionText | Sort-Object) | Should -Be @('9252201011', '9252201012')
        $result.CompletionMatches.ToolTip | Should -Contain (Get-VirtualReaderName 0)
    }
}
