# Which tests a run takes, and what it tells: one suite found by its name (an xunit class or test folder, a Pester
# file), the counts read from xunit's trx report and coverlet's Cobertura report, the counts table, and the final
# "Total: N passed, N failed, N skipped" line, which is always the last line a test run prints. build.ps1 imports it.

Set-StrictMode -Version 3.0

$script:Root = Split-Path -Parent $PSScriptRoot

# The top-level test classes of xunit source files, with their namespaces: "FinCardPin.UnitTests.Engine.CardWorkerTests".
function Get-XunitClass([IO.FileInfo[]] $Files) {
    foreach ($file in $Files) {
        $namespace = $null
        foreach ($line in Get-Content -LiteralPath $file.FullName) {
            if ($line -match '^namespace\s+([\w.]+)') { $namespace = $Matches[1] }
            elseif ($namespace -and $line -match '^    (public|internal)\s+(?:(?:sealed|static|abstract|partial)\s+)*class\s+(\w+)') {
                [pscustomobject]@{ Name = $Matches[2]; FullName = "$namespace.$($Matches[2])"; File = $file.FullName }
            }
        }
    }
}

<#
.SYNOPSIS
    The suites a name stands for, for build.ps1 Test -Suite: every one that matches, never a guess.
.DESCRIPTION
    xunit: a folder of tests/FinCardPin.UnitTests (Engine, Localization, ...) or a test class (CardWorkerTests); the
    result's Filter is for dotnet test --filter. Pester: a file of tests/EndToEnd, by its name with or without
    ".Tests.ps1" (PinOperations, PinOperations.Tests.ps1). A Pester file runs in the in-process tier, or with -Tier
    Daemon against pcscd; a file tagged 'PinPad' runs in the PIN-pad tier, the only one it can run in. A name that
    matches nothing is an error that lists what there is.
#>
function Resolve-TestSuite {
    param(
        [Parameter(Mandatory)] [string] $Name,
        [ValidateSet('InProcess', 'Daemon')] [string] $Tier = 'InProcess'
    )
    $unitRoot = Join-Path $script:Root 'tests/FinCardPin.UnitTests'
    $endToEnd = Join-Path $script:Root 'tests/EndToEnd'
    $sources = @(Get-ChildItem $unitRoot -Recurse -Filter '*.cs' | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
    $folders = @(Get-ChildItem $unitRoot -Directory | Where-Object Name -NotIn 'bin', 'obj')
    $pesterFiles = @(Get-ChildItem $endToEnd -Filter '*.Tests.ps1')
    $found = @()

    $folder = $folders | Where-Object Name -CEQ $Name
    if ($folder) {
        $classes = @(Get-XunitClass @($sources | Where-Object { $_.FullName.StartsWith($folder.FullName + [IO.Path]::DirectorySeparatorChar) }))
        $found += [pscustomobject]@{
            Kind = 'xunit'; Name = "$($folder.Name)/"
            Filter = ($classes | ForEach-Object { "FullyQualifiedName~$($_.FullName)." }) -join '|'
        }
    }
    $class = @(Get-XunitClass $sources | Where-Object Name -CEQ $Name)
    if ($class) {
        $found += [pscustomobject]@{
            Kind = 'xunit'; Name = $Name
            Filter = ($class | ForEach-Object { "FullyQualifiedName~$($_.FullName)." }) -join '|'
        }
    }
    $fileName = if ($Name -like '*.Tests.ps1') { Split-Path -Leaf $Name } else { "$Name.Tests.ps1" }
    $file = $pesterFiles | Where-Object Name -CEQ $fileName
    if ($file) {
        $pinPad = (Get-Content -Raw -LiteralPath $file.FullName) -match "-Tag\s+'PinPad'"
        $found += [pscustomobject]@{
            Kind = 'Pester'; Name = $file.Name; Path = $file.FullName
            Tier = if ($pinPad) { 'PinPad' } else { $Tier }
        }
    }

    if (-not $found) {
        throw "No test suite is named '$Name'. An xunit folder ($(@($folders.Name) -join ', ')), an xunit test class (e.g. CardWorkerTests) or a Pester file of tests/EndToEnd ($(@($pesterFiles.Name -replace '\.Tests\.ps1$', '') -join ', ')) is."
    }
    $found
}

# The trx file xunit wrote, read once for the readers below.
function Read-Trx([string] $Path) { [xml] (Get-Content -Raw $Path) }

function Read-TrxCounts([xml] $Trx) {
    $counters = $Trx.TestRun.ResultSummary.Counters
    $passed = [int] $counters.passed
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    $skipped = [int] $counters.total - [int] $counters.executed
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# The fuzz test's own counts (answers, operations, violations per promise), read from its output in the trx.
function Show-FuzzSummary([xml] $Trx) {
    $fuzz = @($Trx.TestRun.Results.UnitTestResult | Where-Object { $_.testName -like '*FuzzTests*' })
    foreach ($result in $fuzz) {
        $text = "$($result.Output.StdOut)".Trim()
        if ($text) { $text -split "`r?`n" | ForEach-Object { Write-Host "   $_" } }
        else { Write-Host "   Fuzz: $($result.testName) $($result.outcome), printed nothing" }
    }
}

# xunit's counts per test folder (Engine, Interop, Localization, Cmdlets, VirtualCard, ...): the namespace part after
# FinCardPin.UnitTests.
function Read-TrxGroups([xml] $Trx) {
    $results = @($Trx.TestRun.Results.UnitTestResult)
    $results | Group-Object { ($_.testName -replace '^FinCardPin\.UnitTests\.', '' -split '\.')[0] } | Sort-Object Name | ForEach-Object {
        $outcomes = @($_.Group | ForEach-Object outcome)
        [pscustomobject]@{
            Name    = $_.Name
            Passed  = @($outcomes | Where-Object { $_ -eq 'Passed' }).Count
            Failed  = @($outcomes | Where-Object { $_ -in 'Failed', 'Error', 'Timeout', 'Aborted' }).Count
            Skipped = @($outcomes | Where-Object { $_ -notin 'Passed', 'Failed', 'Error', 'Timeout', 'Aborted' }).Count
        }
    }
}

# The failed tests of a trx file: name and message.
function Read-TrxFailures([xml] $Trx) {
    foreach ($result in @($Trx.TestRun.Results.UnitTestResult | Where-Object outcome -In 'Failed', 'Error', 'Timeout', 'Aborted')) {
        $message = $result.SelectSingleNode('*[local-name()="Output"]/*[local-name()="ErrorInfo"]/*[local-name()="Message"]')
        [pscustomobject]@{ Name = [string] $result.testName; Message = $(if ($message) { $message.InnerText } else { [string] $result.outcome }) }
    }
}

# Line and branch coverage per assembly from coverlet's Cobertura report (the run's only coverage.cobertura.xml).
function Read-Coverage([string] $Folder) {
    $report = Get-ChildItem $Folder -Recurse -Filter 'coverage.cobertura.xml' -ErrorAction SilentlyContinue | Sort-Object LastWriteTime | Select-Object -Last 1
    if (-not $report) { return @() }
    [xml] $cobertura = Get-Content -Raw $report.FullName
    foreach ($package in $cobertura.coverage.packages.package) {
        [pscustomobject]@{
            Assembly = [string] $package.name
            Lines    = [double]::Parse($package.'line-rate', [Globalization.CultureInfo]::InvariantCulture) * 100
            Branches = [double]::Parse($package.'branch-rate', [Globalization.CultureInfo]::InvariantCulture) * 100
        }
    }
}

# The counts per suite: xunit per test folder, Pester per suite file in both tiers side by side, the Wine tier, and
# xunit's coverage per assembly. A tier given as $null was not part of the run (build.ps1 Test -Suite) and is left out.
function Write-TestCounts($Unit, $InProcess, $Daemon, $PinPad, $Wine, $LeftOpen) {
    $format = { param($counts) '{0,4} passed {1,3} failed {2,3} skipped' -f $counts.Passed, $counts.Failed, $counts.Skipped }
    Write-Host '== Counts'
    if ($Unit) {
        foreach ($group in $Unit.Groups) { Write-Host ('xunit  {0,-30} {1}' -f $group.Name, (& $format $group)) }
        Write-Host ('xunit  {0,-30} {1}' -f 'in all', (& $format $Unit))
    }
    if ($InProcess -or $Daemon) {
        $notRun = '(not run)'
        Write-Host ('Pester {0,-30} {1,-32} | {2}' -f 'suite', 'in-process', 'daemon (pcscd + vpcd)')
        $names = @(if ($InProcess) { $InProcess.Suites }) + @(if ($Daemon) { $Daemon.Suites }) | ForEach-Object Name | Sort-Object -Unique
        foreach ($name in $names) {
            $here = @(if ($InProcess) { $InProcess.Suites | Where-Object Name -EQ $name }) | Select-Object -First 1
            $there = @(if ($Daemon) { $Daemon.Suites | Where-Object Name -EQ $name }) | Select-Object -First 1
            $left = if ($here) { & $format $here } else { $notRun }
            $right = if ($there) { & $format $there } else { $notRun }
            Write-Host ('Pester {0,-30} {1,-32} | {2}' -f $name, $left, $right)
        }
        Write-Host ('Pester {0,-30} {1,-32} | {2}' -f 'in all', $(if ($InProcess) { & $format $InProcess } else { $notRun }), $(if ($Daemon) { & $format $Daemon } else { $notRun }))
        if ($InProcess) { Write-Host ('       {0} daemon-only tests (tagged Daemon) are left out of the in-process tier' -f $InProcess.LeftOut) }
    }
    if ($PinPad) {
        foreach ($suite in @($PinPad.Suites)) { Write-Host ('Pester {0,-30} {1} (PIN-pad tier: pcscd + libccidtwin)' -f $suite.Name, (& $format $suite)) }
        Write-Host ('Pester {0,-30} {1}' -f 'PIN-pad tier in all', (& $format $PinPad))
    }
    if ($Wine) { Write-Host ('Wine   {0,-30} {1}' -f 'Windows tier', (& $format $Wine)) }
    if ($LeftOpen) { Write-Host ('Check  {0,-30} {1}' -f 'nothing left open', (& $format $LeftOpen)) }
    if ($Unit -and $Unit.PSObject.Properties['Coverage']) {
        foreach ($assembly in $Unit.Coverage) {
            Write-Host ('Coverage (xunit) {0,-20} lines {1,5:N1} %  branches {2,5:N1} %' -f $assembly.Assembly, $assembly.Lines, $assembly.Branches)
        }
        if (-not $Unit.Coverage) { Write-Host 'Coverage (xunit): no coverage report was written' -ForegroundColor Yellow }
    }
}

# Each failed test, its tier, name and the start of its message, just above the counts: a log kept only from its end
# (as CI keeps it) still says what failed. At most 30, each message cut to 1000 characters on one line.
function Write-TestFailures([System.Collections.Specialized.OrderedDictionary] $Tiers) {
    $all = @(foreach ($tier in $Tiers.Keys) {
            $counts = $Tiers[$tier]
            if ($null -eq $counts -or -not $counts.PSObject.Properties['Failures']) { continue }
            foreach ($failure in @($counts.Failures)) { if ($failure) { [pscustomobject]@{ Tier = $tier; Name = $failure.Name; Message = $failure.Message } } }
        })
    if (-not $all) { return }
    Write-Host "== Failed ($($all.Count))" -ForegroundColor Red
    foreach ($failure in $all | Select-Object -First 30) {
        $message = ([string] $failure.Message -replace '\s+', ' ').Trim()
        if ($message.Length -gt 1000) { $message = $message.Substring(0, 1000) + ' ...' }
        Write-Host ('[{0}] {1}' -f $failure.Tier, $failure.Name) -ForegroundColor Red
        if ($message) { Write-Host "    $message" }
    }
    if ($all.Count -gt 30) { Write-Host "    ... and $($all.Count - 30) more (the tier's own output above has them all)" }
}

# The end of a run's report: what failed, the counts, and the Total line, over the tiers given by name (Unit,
# InProcess, Daemon, PinPad, Wine, LeftOpen; a tier that was not part of the run is left out or $null). Returns the
# failed count.
function Write-TestReport([System.Collections.Specialized.OrderedDictionary] $Tiers) {
    $names = [ordered]@{ Unit = 'xunit'; InProcess = 'in-process'; Daemon = 'daemon'; PinPad = 'PIN pad'; Wine = 'Wine'; LeftOpen = 'left open' }
    $labelled = [ordered]@{}
    foreach ($key in $names.Keys) { $labelled[$names[$key]] = $Tiers[$key] }
    Write-TestFailures $labelled
    Write-TestCounts $Tiers['Unit'] $Tiers['InProcess'] $Tiers['Daemon'] $Tiers['PinPad'] $Tiers['Wine'] $Tiers['LeftOpen']
    Write-TestTotal @($labelled.Values)
}

# The run's last line, "Total: N passed, N failed, N skipped", over the tiers that ran; returns the failed count.
function Write-TestTotal([object[]] $Tiers) {
    $ran = @($Tiers | Where-Object { $null -ne $_ })
    $failed = [int] ($ran | Measure-Object Failed -Sum).Sum
    $passed = [int] ($ran | Measure-Object Passed -Sum).Sum
    $skipped = [int] ($ran | Measure-Object Skipped -Sum).Sum
    Write-Host ("Total: {0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    $failed
}

Export-ModuleMember -Function Resolve-TestSuite, Read-Trx, Read-TrxCounts, Show-FuzzSummary, Read-TrxGroups, Read-TrxFailures, Read-Coverage,
    Write-TestFailures, Write-TestCounts, Write-TestTotal, Write-TestReport
