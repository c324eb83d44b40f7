# build.ps1's own promises that need no build: Test -Suite finds every suite a name stands for (an xunit folder or
# class, a Pester file, each in the tier it can run in) and refuses a name that matches nothing before anything is
# built; the run's report ends with the Total line in its one format (tools/TestRun.psm1).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/TestRun.psm1') -Force
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:UnitRoot = Join-Path $script:Root 'tests/FinCardPin.UnitTests'

    # build.ps1 in a new pwsh, with these arguments: what it printed (both streams) and its exit code.
    function script:Invoke-BuildScript([string[]] $Arguments) {
        $run = Invoke-TestPwsh -Arguments (@('-NoProfile', '-NonInteractive', '-File', (Join-Path $script:Root 'build.ps1')) + $Arguments) -TimeoutSeconds 120 -ThrowOnTimeout
        [pscustomobject]@{ ExitCode = $run.ExitCode; Text = $run.Output + $run.Errors }
    }
}

Describe 'build.ps1 Test -Suite' {
    It 'finds an xunit test class by its name' {
        $found = @(Resolve-TestSuite -Name 'CardWorkerTests')

        $found.Count | Should -Be 1
        $found[0].Kind | Should -Be 'xunit'
        $found[0].Filter | Should -BeExactly 'FullyQualifiedName~FinCardPin.UnitTests.Engine.CardWorkerTests.'
    }

    It 'finds an xunit folder: every test class in it, whatever its namespace, and none from elsewhere' {
        $found = @(Resolve-TestSuite -Name 'VirtualCard')

        $found.Count | Should -Be 1
        $found[0].Kind | Should -Be 'xunit'
        $parts = @($found[0].Filter -split '\|')
        $parts | Should -Contain 'FullyQualifiedName~FinCardPin.UnitTests.VirtualCards.VirtualPcscApiTests.'
        $parts | Should -Not -Contain 'FullyQualifiedName~FinCardPin.UnitTests.Engine.CardWorkerTests.'
        $classes = @(Get-ChildItem (Join-Path $script:UnitRoot 'VirtualCard') -Recurse -Filter '*.cs' |
            Select-String -Pattern '^    (public|internal)\s+(?:(?:sealed|static|abstract|partial)\s+)*class\s+\w+')
        $parts.Count | Should -Be $classes.Count
    }

    It 'finds a Pester file with or without .Tests.ps1, in the in-process tier, or against pcscd with -Tier Daemon' {
        foreach ($name in 'PinOperations', 'PinOperations.Tests.ps1') {
            $found = @(Resolve-TestSuite -Name $name)
            $found.Count | Should -Be 1
            $found[0].Kind | Should -Be 'Pester'
            $found[0].Path | Should -Be (Join-Path $script:Root 'tests/EndToEnd/PinOperations.Tests.ps1')
            $found[0].Tier | Should -Be 'InProcess'
        }

        (Resolve-TestSuite -Name 'PinOperations' -Tier Daemon).Tier | Should -Be 'Daemon'
    }

    It 'runs the file tagged PinPad in the PIN-pad tier, the only one it can run in' {
        (Resolve-TestSuite -Name 'PinPadReader').Tier | Should -Be 'PinPad'
        (Resolve-TestSuite -Name 'PinPadReader' -Tier Daemon).Tier | Should -Be 'PinPad'
    }

    It 'runs every suite a name matches: PinPad is an xunit folder and a Pester file' {
        $found = @(Resolve-TestSuite -Name 'PinPad')

        @($found.Kind) | Should -Be 'xunit', 'Pester'
        $found[1].Name | Should -Be 'PinPad.Tests.ps1'
    }

    It 'refuses a name that matches nothing, naming what there is, before it builds anything' {
        $run = Invoke-BuildScript 'Test', '-Suite', 'NoSuchSuite'

        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match "No test suite is named 'NoSuchSuite'"
        $run.Text | Should -Match 'CardWorkerTests'
        $run.Text | Should -Match 'PinOperations'
        $run.Text | Should -Not -Match '== Build'
    }

    It 'takes -Tier Daemon only for one suite' {
        $run = Invoke-BuildScript 'Test', '-Tier', 'Daemon'

        $run.ExitCode | Should -Not -Be 0
        $run.Text | Should -Match '-Tier Daemon is for one suite'
        $run.Text | Should -Not -Match '== Build'
    }
}

Describe 'The test report' {
    It 'ends with the Total line over the tiers that ran, and returns the failed count' {
        $unit = [pscustomobject]@{ Passed = 3; Failed = 1; Skipped = 0 }
        $pester = [pscustomobject]@{ Passed = 2; Failed = 0; Skipped = 2 }

        $lines = @(& { Write-TestTotal $unit, $null, $pester } 6>&1)

        $lines.Count | Should -Be 2
        "$($lines[0])" | Should -BeExactly 'Total: 5 passed, 1 failed, 2 skipped'
        $lines[1] | Should -Be 1
    }

    It 'shows only the tiers that ran' {
        $unit = [pscustomobject]@{ Passed = 3; Failed = 0; Skipped = 0; Groups = @([pscustomobject]@{ Name = 'Engine'; Passed = 3; Failed = 0; Skipped = 0 }) }

        $text = @(& { Write-TestCounts $unit $null $null $null $null $null } 6>&1) -join "`n"

        $text | Should -Match 'xunit  Engine\s+3 passed'
        $text | Should -Not -Match 'Pester|Wine|Check|Coverage'
    }

    It 'names each failed test with its tier and the start of its message, on one line, before the counts' {
        $unit = [pscustomobject]@{ Passed = 3; Failed = 1; Skipped = 0; Failures = @([pscustomobject]@{ Name = 'Engine.PinRulesTests.Check'; Message = "Expected 1,`n  but got 2." }) }
        $daemon = [pscustomobject]@{ Passed = 1; Failed = 1; Skipped = 0; Failures = @([pscustomobject]@{ Name = 'Examples.Tests.ps1 > X'; Message = 'y' * 1100 }) }
        $passing = [pscustomobject]@{ Passed = 4; Failed = 0; Skipped = 0; Failures = @() }

        $lines = @(& { Write-TestFailures ([ordered]@{ xunit = $unit; 'in-process' = $passing; daemon = $daemon; Wine = $null }) } 6>&1 | ForEach-Object { "$_" })

        $lines[0] | Should -BeExactly '== Failed (2)'
        $lines[1] | Should -BeExactly '[xunit] Engine.PinRulesTests.Check'
        $lines[2] | Should -BeExactly '    Expected 1, but got 2.'
        $lines[3] | Should -BeExactly '[daemon] Examples.Tests.ps1 > X'
        $lines[4] | Should -BeExactly ('    ' + 'y' * 1000 + ' ...')
        $lines.Count | Should -Be 5
    }

    It 'ends a run with what failed, then the counts, then the Total line last, and returns the failed count' {
        $unit = [pscustomobject]@{ Passed = 3; Failed = 1; Skipped = 0; Groups = @(); Failures = @([pscustomobject]@{ Name = 'Engine.X'; Message = 'm' }) }
        $daemon = [pscustomobject]@{ Passed = 2; Failed = 0; Skipped = 1; Suites = @(); LeftOut = 0; Failures = @() }

        $lines = @(& { Write-TestReport ([ordered]@{ Unit = $unit; Daemon = $daemon }) } 6>&1 | ForEach-Object { "$_" })

        $lines[0] | Should -BeExactly '== Failed (1)'
        $lines[1] | Should -BeExactly '[xunit] Engine.X'
        [array]::IndexOf($lines, '== Counts') | Should -BeGreaterThan 1
        $lines[-2] | Should -BeExactly 'Total: 5 passed, 1 failed, 1 skipped'
        $lines[-1] | Should -Be '1'
    }

    It 'prints nothing when nothing failed, and at most 30 failures' {
        @(& { Write-TestFailures ([ordered]@{ xunit = [pscustomobject]@{ Passed = 1; Failed = 0; Skipped = 0; Failures = @() } }) } 6>&1).Count | Should -Be 0
        $many = [pscustomobject]@{ Passed = 0; Failed = 31; Skipped = 0; Failures = @(1..31 | ForEach-Object { [pscustomobject]@{ Name = "test $_"; Message = 'm' } }) }

        $lines = @(& { Write-TestFailures ([ordered]@{ daemon = $many }) } 6>&1 | ForEach-Object { "$_" })

        $lines[0] | Should -BeExactly '== Failed (31)'
        @($lines | Where-Object { $_ -like '`[daemon`] test *' }).Count | Should -Be 30
        $lines[-1] | Should -Match '\.\.\. and 1 more'
    }
}

Describe 'the tier scripts stop what they started within a bound' -Skip:(-not $IsLinux) {
    It 'stop_pid ends a process that ignores TERM within about 5 s, by KILL' {
        $stopper = Join-Path $script:Root 'tests/stop-pid.sh'
        $script = Join-Path ([IO.Path]::GetTempPath()) "stop-pid-$PID.sh"
        Set-Content -Path $script -Value @"
source '$stopper'
bash -c 'trap "" TERM; exec sleep 60' &
child=`$!
sleep 0.3
stop_pid `$child
kill -0 `$child 2>/dev/null && echo alive || echo gone
"@
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = & bash $script 2>&1 | ForEach-Object { "$_" }
        Remove-Item $script
        $clock.Stop()

        $output | Should -Contain 'gone'
        ($output -join "`n") | Should -Match 'did not end within 5 s of TERM: KILL'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
    }
}
