# Use-VirtualCard runs its script block as & { } would (issue "A first day without surprises", item 2): every stream
# and the scoping are those of & { }, only with the virtual cards in place. Each test runs the same block both ways,
# side by side, so that it is PowerShell's own behaviour the command is held to.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'streams'
    $script:Card = Join-Path $script:Folder 'streams.json'
    New-VirtualCard -Path $script:Card -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') `
        -ActivationCode (ConvertTo-TestSecret '28461937') -Serial 9246600031 | Out-Null
    $script:Missing = Join-Path $script:Folder 'no-such-file'
}

AfterAll {
    Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Use-VirtualCard streams and scoping, side by side with & { }' {
    It '-ErrorVariable gets the errors the block writes (also a FinCardPin error from a card command inside)' {
        $ErrorActionPreference = 'Continue'
        Use-VirtualCard -Path $script:Card { Write-Error 'first failure'; 'out' } -ErrorVariable failures 2>$null | Out-Null
        @($failures).Count | Should -Be 1
        "$($failures[0])" | Should -Be 'first failure'

        Use-VirtualCard -Path @() { Get-CardPinStatus -ReaderName 'No Such Reader' } -ErrorVariable cardFailures 2>$null
        Get-ErrorId $cardFailures | Should -Be 'ReaderNotFound'
    }

    It '2>&1 catches the errors, in the order written, as with & { }' {
        $ErrorActionPreference = 'Continue'
        $expected = & { 'one'; Write-Error 'two'; 'three' } 2>&1
        $actual = Use-VirtualCard -Path $script:Card { 'one'; Write-Error 'two'; 'three' } 2>&1
        $actual.Count | Should -Be 3
        $actual[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        ($actual | ForEach-Object { "$($_.GetType().Name):$_" }) | Should -Be ($expected | ForEach-Object { "$($_.GetType().Name):$_" })
    }

    It 'writes no error straight to the console: 2>$null silences it, as with & { }' {
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; `$ErrorActionPreference = 'Continue'; " +
            "& { Write-Error 'quiet-amp' } 2>`$null; Use-VirtualCard -Path @() { Write-Error 'quiet-use' } 2>`$null; 'done'"
        $result = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSeconds 60 -ThrowOnTimeout
        $all = "$($result.Output)`n$($result.Errors)"
        $all | Should -Not -Match 'quiet-amp'
        $all | Should -Not -Match 'quiet-use'
        $result.Output | Should -Match 'done'
    }

    It 'sends each object down the pipeline as the block writes it, not when it ends' {
        $log = [System.Collections.Generic.List[string]]::new()
        & { $log.Add('made a'); 'a'; $log.Add('made b'); 'b' } | ForEach-Object { $log.Add("got $_") }
        $expected = @($log)
        $log.Clear()
        Use-VirtualCard -Path $script:Card { $log.Add('made a'); 'a'; $log.Add('made b'); 'b' } | ForEach-Object { $log.Add("got $_") }
        @($log) | Should -Be $expected
        @($log) | Should -Be 'made a', 'got a', 'made b', 'got b'
    }

    It 'a terminating error inside keeps what the block already wrote (throw, and -ErrorAction Stop)' {
        foreach ($failing in { 'before'; throw 'stops here'; 'after' }, { 'before'; Write-Error 'stops here' -ErrorAction Stop; 'after' }) {
            $expected = [System.Collections.Generic.List[object]]::new()
            try { & $failing | ForEach-Object { $expected.Add($_) } } catch { $expectedMessage = "$_" }
            $actual = [System.Collections.Generic.List[object]]::new()
            $actualMessage = $null
            try { Use-VirtualCard -Path $script:Card $failing | ForEach-Object { $actual.Add($_) } } catch { $actualMessage = "$_" }
            @($actual) | Should -Be @($expected)
            @($actual) | Should -Be 'before'
            $actualMessage | Should -Be $expectedMessage
        }
    }

    It 'a statement-terminating error keeps what was written, and at top level ends that statement only, as with & { }' {
        # Under a try (Pester's own, here) a statement-terminating error stops the whole block...
        $block = { 'before'; [int]::Parse('not a number'); 'after' }
        $expected = [System.Collections.Generic.List[object]]::new()
        try { & $block | ForEach-Object { $expected.Add($_) } } catch { $expectedId = $_.FullyQualifiedErrorId }
        $actual = [System.Collections.Generic.List[object]]::new()
        try { Use-VirtualCard -Path $script:Card $block | ForEach-Object { $actual.Add($_) } } catch { $actualId = $_.FullyQualifiedErrorId }
        @($actual) | Should -Be 'before'
        $actualId | Should -Be $expectedId
        # ...and in a script with no try around it, the block goes on with its next statement.
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; `$ErrorActionPreference = 'Continue'; `$b = { 'before'; [int]::Parse('x'); 'after' }; " +
            "'AMP=' + ((& `$b 2>&1 | ForEach-Object { `$_.GetType().Name }) -join ','); " +
            "'USE=' + ((Use-VirtualCard -Path @() `$b 2>&1 | ForEach-Object { `$_.GetType().Name }) -join ',')"
        $result = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSeconds 60 -ThrowOnTimeout
        $result.Lines | Should -Contain 'AMP=String,ErrorRecord,String'
        $result.Lines | Should -Contain 'USE=String,ErrorRecord,String'
    }

    It 'variables set inside do not leak out; the caller''s are seen inside (a child scope)' {
        $outer = 'outer'
        & { $outer = 'changed'; $insideOnly = 1 }
        $outer | Should -Be 'outer'
        Use-VirtualCard -Path $script:Card { $outer = 'changed'; $insideOnly = 1 }
        $outer | Should -Be 'outer'
        Test-Path Variable:insideOnly | Should -BeFalse
        Use-VirtualCard -Path $script:Card { $outer } | Should -Be 'outer'
    }

    It 'warning, verbose and information records go to their own streams, as with & { }' {
        $block = { Write-Warning 'w'; Write-Verbose 'v' -Verbose; Write-Information 'i' }
        $expected = & $block 3>&1 4>&1 6>&1 | ForEach-Object { "$($_.GetType().Name):$_" }
        $actual = Use-VirtualCard -Path $script:Card $block 3>&1 4>&1 6>&1 | ForEach-Object { "$($_.GetType().Name):$_" }
        $actual | Should -Be $expected
        $null = Use-VirtualCard -Path $script:Card { Write-Warning 'counted' } -WarningVariable warned 3>$null
        @($warned).Count | Should -Be 1
    }

    It 'the virtual cards are in place inside and gone afterwards, also after a failure' {
        $before = $env:FINCARDPIN_VIRTUAL_CARDS
        (Use-VirtualCard -Path $script:Card { Get-CardReader }).CardSerial | Should -Be '9246600031'
        { Use-VirtualCard -Path $script:Card { throw 'inside' } } | Should -Throw 'inside'
        $env:FINCARDPIN_VIRTUAL_CARDS | Should -Be $before
    }
}
