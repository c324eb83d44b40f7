# Binding and input errors a new admin meets (issue "A first day without surprises", item 9): a code typed as plain
# text, a code name the cmdlet does not take, a virtual card file that is not one. Each is refused with its own id and
# a plain sentence that says what to do, never repeating what was typed, never a .NET serializer's text.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'input'
    $script:Card = Join-Path $script:Folder 'input.json'
    New-VirtualCard -Path $script:Card -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') `
        -ActivationCode (ConvertTo-TestSecret '28461937') -Serial 9246600041 | Out-Null

    # Every SecureString parameter of every cmdlet, with the other parameters a call needs to get as far as binding.
    $script:SecretParameters = foreach ($command in Get-Command -Module FinCardPin) {
        foreach ($parameter in $command.Parameters.Values | Where-Object ParameterType -EQ ([securestring])) {
            [pscustomobject]@{ Command = $command.Name; Parameter = $parameter.Name }
        }
    }

    # Whatever a user or a log can see of an error record, except the command line itself.
    function script:Get-ShownText($Record) {
        $texts = @($Record.Exception.Message, $Record.ErrorDetails.Message, $Record.ErrorDetails.RecommendedAction, "$($Record.CategoryInfo)", "$($Record.TargetObject)")
        $inner = $Record.Exception
        while ($inner) { $texts += $inner.Message; $inner = $inner.InnerException }
        $texts -join "`n"
    }

    # A call of Command with Parameter given Value and every other code as a SecureString (so that only Value is wrong).
    function script:Invoke-WithPlainCode([string] $Command, [string] $Parameter, $Value) {
        $arguments = @{ $Parameter = $Value }
        $others = @((Get-Command $Command).Parameters.Values | Where-Object { $_.ParameterType -eq [securestring] -and $_.Name -ne $Parameter })
        foreach ($other in $others) { $arguments[$other.Name] = ConvertTo-TestSecret '13572468' }
        if ($Command -eq 'New-VirtualCard') { $arguments.Path = Join-Path $script:Folder 'never-written.json' }
        else { $arguments.Code = 'Pin1' }
        if ((Get-Command $Command).Parameters.ContainsKey('Confirm')) { $arguments.Confirm = $false }
        $failure = $null
        # No reader at all: a call that got past its own checks would fail otherwise (no card), not with the id sought.
        try { Use-VirtualCard -Path @() { & $Command @arguments -ErrorAction Stop } } catch { $failure = $_ }
        $failure
    }
}

AfterAll {
    # Also stops the card host the card-in-reader tests start on the daemon tier.
    Complete-TestSuite $script:Folder
}

Describe 'a code given as plain text' {
    It 'finds the SecureString code parameters (the walk below is not empty)' {
        # The module's SecureString parameters as they are now: one added or lost must be looked at here.
        @($script:SecretParameters | ForEach-Object { "$($_.Command) -$($_.Parameter)" } | Sort-Object) | Should -Be @(
            'New-VirtualCard -ActivationCode'
            'New-VirtualCard -Pin1'
            'New-VirtualCard -Pin2'
            'Set-CardPin -CurrentPin'
            'Set-CardPin -NewPin'
            'Test-CardPin -Pin'
            'Unlock-CardPin -ActivationCode'
            'Unlock-CardPin -NewPin'
        )
    }

    It 'every cmdlet, every code parameter: <Value> is refused with CodeNotSecureString, a hint, and never repeated' -ForEach @(
        @{ Value = 4826 }
        @{ Value = '4826' }
        @{ Value = [char[]]'4826' }
    ) {
        foreach ($target in $script:SecretParameters) {
            $failure = Invoke-WithPlainCode $target.Command $target.Parameter $Value
            $failure | Should -Not -BeNullOrEmpty -Because "$($target.Command) -$($target.Parameter) must refuse a plain value"
            $failure.FullyQualifiedErrorId | Should -Be "CodeNotSecureString,FinCardPin.Cmdlets.$($target.Command -replace '-', '')Command" -Because "$($target.Command) -$($target.Parameter)"
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $shown = Get-ShownText $failure
            $shown | Should -Not -Match '4826' -Because "$($target.Command) -$($target.Parameter) must not repeat the value"
            $shown | Should -Not -Match 'System\.(Int32|String|Char)' -Because 'no .NET conversion text'
            $failure.ErrorDetails.Message | Should -Match ([regex]::Escape("-$($target.Parameter)"))
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Read-Host -AsSecureString'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'ConvertTo-SecureString'
            $failure.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("-$($target.Parameter)"))
        }
        Test-Path (Join-Path $script:Folder 'never-written.json') | Should -BeFalse
    }

    It 'the admin''s step: Test-CardPin -Code Pin1 -Pin 4826 spends no try and names the way to pass a code' {
        $before = (Read-CardFile $script:Card).Pin1.TriesLeft
        $failure = $null
        try { Use-VirtualCard -Path $script:Card { Test-CardPin -Code Pin1 -Pin 4826 -ErrorAction Stop } } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'CodeNotSecureString,FinCardPin.Cmdlets.TestCardPinCommand'
        (Read-CardFile $script:Card).Pin1.TriesLeft | Should -Be $before
    }

    It 'a SecureString and $null still bind as before' {
        Use-VirtualCard -Path $script:Card { Test-CardPin -Code Pin1 -Pin (ConvertTo-TestSecret '4826') -Quiet -WarningAction SilentlyContinue } | Should -BeTrue
    }
}

Describe '-Code with a name the cmdlet does not take' {
    BeforeAll {
        $script:Canonical = 'Pin1', 'Pin2', 'ActivationCode'
        # What each cmdlet with -Code accepts, found by trying each canonical name with no reader present: a name it does
        # not take is refused (at binding or with CodeNotApplicable); one it takes gets as far as looking for a card.
        # The errors of Command -Code Name with no reader present (the block's errors come out through 2>&1).
        function script:Get-CodeFailure([string] $Command, [string] $Name) {
            $ErrorActionPreference = 'Continue'
            $more = @{}
            if ((Get-Command $Command).Parameters.ContainsKey('Confirm')) { $more.Confirm = $false }
            try { @(Use-VirtualCard -Path @() { & $Command -Code $Name @more } 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }
            catch { @($_) }
        }
        $script:Accepted = @{}
        foreach ($command in Get-Command -Module FinCardPin | Where-Object { $_.Parameters.ContainsKey('Code') }) {
            $script:Accepted[$command.Name] = @(foreach ($name in $script:Canonical) {
                $ids = Get-ErrorId (Get-CodeFailure $command.Name $name)
                if ($ids -notcontains 'CodeNotApplicable' -and $ids -notcontains 'InvalidCodeName') { $name }
            })
        }
    }

    It 'knows what each cmdlet takes (Test/Set/Unlock-CardPin: PIN1 and PIN2; Get-CardPinStatus: all three)' {
        # Pinned, not derived: the tests below judge each cmdlet by what it accepts, so a cmdlet that took too much or
        # too little would otherwise be measured against its own mistake.
        @($script:Accepted.Keys | Sort-Object) | Should -Be 'Get-CardPinStatus', 'Set-CardPin', 'Test-CardPin', 'Unlock-CardPin'
        $script:Accepted['Test-CardPin'] | Should -Be 'Pin1', 'Pin2'
        $script:Accepted['Set-CardPin'] | Should -Be 'Pin1', 'Pin2'
        $script:Accepted['Unlock-CardPin'] | Should -Be 'Pin1', 'Pin2'
        $script:Accepted['Get-CardPinStatus'] | Should -Be 'Pin1', 'Pin2', 'ActivationCode'
    }

    It 'every cmdlet × <Bad>: the refusal suggests only the names that cmdlet takes' -ForEach @(
        @{ Bad = 'Pin3' }
        @{ Bad = 'Signatur' }
        @{ Bad = '4826' }
    ) {
        foreach ($command in $script:Accepted.Keys) {
            $failure = $null
            try { & $command -Code $Bad -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCodeName,*' -Because "$command -Code $Bad"
            $message = $failure.Exception.Message
            foreach ($name in $script:Canonical) {
                if ($script:Accepted[$command] -contains $name) { $message | Should -Match "\b$name\b" -Because "$command takes $name" }
                else { $message | Should -Not -Match $name -Because "$command does not take $name" }
            }
            $message | Should -Not -Match 'Puk' -Because "$command's suggestions are its own"
            Get-ShownText $failure | Should -Not -Match '4826' -Because "$command must not show a code typed as a name anywhere"
        }
    }

    Context 'with a FINEID card in the reader' {
        # The refusal comes before any card is touched: with no reader it could not reach one anyway, so only a card
        # that is there shows that nothing is sent when the name is wrong.
        BeforeAll { $script:NameCard = New-TestCard $script:Folder 'code-name' 0 @{ Pin1 = '4826' } }
        AfterAll { Remove-Card 0 }

        It 'every cmdlet × <Bad>: refused with nothing sent to the card' -ForEach @(
            @{ Bad = 'Pin3' }
            @{ Bad = '4826' }
        ) {
            foreach ($command in $script:Accepted.Keys) {
                $more = @{}
                if ((Get-Command $command).Parameters.ContainsKey('Confirm')) { $more.Confirm = $false }
                $snapshot = Get-CardSnapshot $script:NameCard
                $failure = $null
                try { & $command -Code $Bad @more -ErrorAction Stop } catch { $failure = $_ }
                $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCodeName,*' -Because "$command -Code $Bad"
                Get-ShownText $failure | Should -Not -Match '4826' -Because "$command must not show a code typed as a name"
                Assert-Untouched $script:NameCard $snapshot
            }
        }

        It 'piped by property name (Code, ReaderName): refused with nothing sent to the card' {
            $snapshot = Get-CardSnapshot $script:NameCard
            $failure = $null
            try { [pscustomobject]@{ Code = 'Pin3'; ReaderName = $script:NameCard.Reader } | Test-CardPin -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCodeName,*'
            Assert-Untouched $script:NameCard $snapshot
        }
    }

    It 'every cmdlet: tab completion of -Code offers only names that cmdlet takes' {
        # PinCodeNames.Suggested: every name offered for PIN1 and PIN2, and on Get-CardPinStatus the activation code's too.
        $pins = 'Pin1', 'Pin2', 'Basic', 'Authentication', 'Signature', 'grundkod', 'baskod', 'signaturkod', 'perustunnusluku', 'allekirjoitustunnusluku'
        $script:Offered = @{
            'Test-CardPin'      = $pins
            'Set-CardPin'       = $pins
            'Unlock-CardPin'    = $pins
            'Get-CardPinStatus' = $pins + 'ActivationCode', 'Puk', 'aktiveringskod', 'aktivointitunnusluku'
        }
        foreach ($command in $script:Accepted.Keys) {
            $line = "$command -Code "
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
            @($offered | Sort-Object) | Should -BeExactly @($script:Offered[$command] | Sort-Object) -Because "Tab after $line"
            foreach ($name in $offered) {
                $ids = Get-ErrorId (Get-CodeFailure $command $name)
                $ids | Should -Not -Contain 'CodeNotApplicable' -Because "$command offers $name"
                $ids | Should -Not -Contain 'InvalidCodeName' -Because "$command offers $name"
            }
        }
    }
}

Describe 'a virtual card file that is not one' {
    BeforeAll {
        $script:NotCards = [ordered]@{}
        $passwd = Join-Path $script:Folder 'passwd'
        Set-Content -Path $passwd -Value "root:x:0:0:root:/root:/bin/bash`ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin"
        $script:NotCards['a passwd file'] = $passwd
        $binary = Join-Path $script:Folder 'random.bin'
        [IO.File]::WriteAllBytes($binary, [byte[]](@(0x7B) + @(1..300 | ForEach-Object { ($_ * 37) % 256 })))
        $script:NotCards['a random binary'] = $binary
        $empty = Join-Path $script:Folder 'empty.json'
        Set-Content -Path $empty -Value $null -NoNewline
        $script:NotCards['an empty file'] = $empty
        $shapes = @{ 'JSON of another shape' = '{"a":[1,2,3],"Pin1":"x"}'; 'a JSON array' = '[1,2]'; 'an empty JSON object' = '{}'; 'a JSON string' = '"card"'; 'JSON null' = 'null' }
        foreach ($kind in $shapes.Keys) {
            $path = Join-Path $script:Folder ("shape-" + [guid]::NewGuid().ToString('N') + '.json')
            Set-Content -Path $path -Value $shapes[$kind]
            $script:NotCards[$kind] = $path
        }
        # What a .NET serializer or exception says, which no user message may carry.
        $script:Machine = 'deserializ|Expecting state|Encountered|unexpected character|FinCardPin\.VirtualCard|Exception|Element|namespace|System\.'
    }

    It 'every way such a file is read: VirtualCardFileInvalid with a plain sentence, nothing of the serializer' {
        foreach ($kind in $script:NotCards.Keys) {
            $path = $script:NotCards[$kind]
            $ways = @(
                @{ Way = 'Use-VirtualCard + Get-CardReader'; Run = { Use-VirtualCard -Path $path { Get-CardReader -ErrorAction Stop } } }
                @{ Way = 'Use-VirtualCard + Get-CardPinStatus'; Run = { Use-VirtualCard -Path $path { Get-CardPinStatus -ErrorAction Stop } } }
                @{ Way = 'Use-VirtualCard + Test-CardPin'; Run = { Use-VirtualCard -Path $path { Test-CardPin -Code Pin1 -Pin (ConvertTo-TestSecret '4826') -ErrorAction Stop } } }
                @{ Way = 'FINCARDPIN_VIRTUAL_CARDS + Get-CardPinStatus'; Run = {
                        $saved = $env:FINCARDPIN_VIRTUAL_CARDS
                        $env:FINCARDPIN_VIRTUAL_CARDS = $path
                        try { Get-CardPinStatus -ErrorAction Stop } finally { $env:FINCARDPIN_VIRTUAL_CARDS = $saved }
                    }
                }
            )
            foreach ($way in $ways) {
                $failure = $null
                try { & $way.Run | Out-Null } catch { $failure = $_ }
                $because = "$kind through $($way.Way)"
                $failure | Should -Not -BeNullOrEmpty -Because $because
                Get-ErrorId $failure | Should -Be 'VirtualCardFileInvalid' -Because $because
                $failure.CategoryInfo.Category | Should -Be 'InvalidData'
                $message = $failure.Exception.Message
                $message | Should -Not -Match $script:Machine -Because $because
                $failure.ErrorDetails.Message | Should -Not -Match $script:Machine -Because $because
                $message | Should -Match ([regex]::Escape((Split-Path -Leaf $path))) -Because 'it names the file'
                $message | Should -Match '\.$' -Because 'a sentence'
            }
        }
    }

    It 'the Intune detection summary says the id and the plain sentence only' {
        $paths = @($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ })
        $variables = @{
            FINCARDPIN_VIRTUAL_CARDS = $script:NotCards['a passwd file']
            PSModulePath             = (@(Split-Path (Split-Path $env:FINCARDPIN_MODULE)) + $paths) -join [IO.Path]::PathSeparator
            NO_COLOR                 = '1'
            FINCARDPIN_NOTICE_FILE   = $null
        }
        $sample = Join-Path $PSScriptRoot '../../samples/Intune/Detect-FinCardPin.ps1'
        $child = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', $sample -Environment $variables -ThrowOnTimeout
        $child.Lines[-1] | Should -BeLike 'FinCardPin Error: VirtualCardFileInvalid: *'
        $child.Lines[-1] | Should -Not -Match $script:Machine
        $child.ExitCode | Should -Be 1
    }
}
