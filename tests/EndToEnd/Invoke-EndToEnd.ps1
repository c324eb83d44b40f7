#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs the Pester end-to-end suites of one tier in this pwsh process and writes the counts (in all and per suite
    file) as JSON for build.ps1.
.DESCRIPTION
    -Tier Daemon     every test, over pcscd with vpcd readers. Needs pcscd running with the vpcd driver,
                     FINCARDPIN_MODULE (the laid-out manifest) and FINCARDPIN_CARD_HOST (FinCardPin.VirtualCard.Host.dll).
    -Tier InProcess  every test not tagged 'Daemon', over the module's in-process virtual readers: any OS, no daemon,
                     only FINCARDPIN_MODULE.
    -Tier PinPad     only PinPadReader.Tests.ps1 (tagged PinPad), over an emulated keypad reader driven by Debian's
                     libccidtwin in a pcscd of its own (tests/EndToEnd/pinpad-tier.sh). The other tiers leave that file
                     out, as it needs that reader.
    -DiscoverOnly    runs nothing: counts the tier's tests as skipped (a tier this machine cannot run, never hidden).
    -Path            one suite file instead of every one (build.ps1 Test -Suite), with the tier's tags as above.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsDir,
    [ValidateSet('Daemon', 'InProcess', 'PinPad')] [string] $Tier = 'Daemon',
    [switch] $DiscoverOnly,
    [string] $Path
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
# TestUtilities.psm1 reads the tier when a suite imports it.
$env:FINCARDPIN_TEST_TIER = $Tier

$configuration = New-PesterConfiguration
$pinPadSuite = Join-Path $PSScriptRoot 'PinPadReader.Tests.ps1'
$configuration.Run.Path = if ($Path) { $Path }
elseif ($Tier -eq 'PinPad') { $pinPadSuite }
else { @(Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1' | Where-Object FullName -NE $pinPadSuite | ForEach-Object FullName) }
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = if ($DiscoverOnly) { 'None' } else { 'Detailed' }
if ($Tier -eq 'InProcess') { $configuration.Filter.ExcludeTag = 'Daemon', 'PinPad' }
elseif ($Tier -eq 'Daemon') { $configuration.Filter.ExcludeTag = 'PinPad' }
else { $configuration.Filter.Tag = 'PinPad' }
if ($DiscoverOnly) { $configuration.Run.SkipRun = $true }
else {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = Join-Path $ResultsDir "pester-$($Tier.ToLowerInvariant()).xml"
}

$result = Invoke-Pester -Configuration $configuration

# Pester reports some failures of its own (e.g. writing the XML report) without returning a result: that run failed.
if ($null -eq $result) {
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Suites = @(); Failures = @(@{ Name = 'the tier itself'; Message = 'Invoke-Pester returned no result (see its output above)' }) } |
        ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryPath -Encoding utf8
    exit 1
}

# The blocks (Describe/Context, at any depth) whose BeforeAll/AfterAll failed: they fail no single test.
function Get-FailedBlockCount($Blocks) {
    $count = 0
    foreach ($block in $Blocks) {
        if ($block.ErrorRecord.Count -gt 0) { $count++ }
        $count += Get-FailedBlockCount $block.Blocks
    }
    $count
}

# Per suite file. A test this tier leaves out (tagged Daemon, in the in-process tier) is counted as LeftOut, not as
# skipped: it runs, or is counted as skipped, in the daemon tier.
# The tests of blocks (Describe/Context) at any depth.
function Get-BlockTests($Blocks) {
    foreach ($block in $Blocks) {
        $block.Tests
        Get-BlockTests $block.Blocks
    }
}

$suites = foreach ($container in $result.Containers) {
    $tests = @(Get-BlockTests $container.Blocks)
    $selected = @($tests | Where-Object ShouldRun)
    $passed = @($selected | Where-Object Result -EQ 'Passed').Count
    $failedTests = @($selected | Where-Object Result -EQ 'Failed').Count
    $failed = $failedTests + (Get-FailedBlockCount $container.Blocks) + $(if ($container.ErrorRecord.Count -gt 0) { 1 } else { 0 })
    $skipped = $selected.Count - $passed - $failedTests
    if ($DiscoverOnly) { $passed = 0; $failed = 0; $skipped = $selected.Count }
    [pscustomobject]@{
        Name = Split-Path -Leaf $container.Item; Passed = $passed; Failed = $failed; Skipped = $skipped
        LeftOut = $tests.Count - $selected.Count
    }
}
$suites = @($suites)
$sum = { param($property) [int] (($suites | Measure-Object $property -Sum).Sum) }

# What failed, by name and with Pester's message, for the run's last lines: a CI log that keeps only its end still
# says which test failed and why.
function Get-BlockFailures($Blocks, [string] $File) {
    foreach ($block in $Blocks) {
        foreach ($record in @($block.ErrorRecord)) { [pscustomobject]@{ Name = "$File > $($block.ExpandedPath) (its set-up)"; Message = [string] $record } }
        foreach ($test in @($block.Tests | Where-Object { $_.ShouldRun -and $_.Result -eq 'Failed' })) {
            [pscustomobject]@{ Name = "$File > $($test.ExpandedPath)"; Message = $(if ($test.ErrorRecord.Count) { [string] $test.ErrorRecord[0] } else { 'not run: a set-up around it failed' }) }
        }
        Get-BlockFailures $block.Blocks $File
    }
}
$failures = @(foreach ($container in $result.Containers) {
        $file = Split-Path -Leaf $container.Item
        foreach ($record in @($container.ErrorRecord)) { [pscustomobject]@{ Name = "$file (the file itself)"; Message = [string] $record } }
        Get-BlockFailures $container.Blocks $file
    })
$failedInAll = [Math]::Max((& $sum Failed), $(if ($DiscoverOnly) { 0 } else { $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount }))
[pscustomobject]@{
    Passed  = & $sum Passed
    Failed  = $failedInAll
    Skipped = & $sum Skipped
    LeftOut = & $sum LeftOut
    Suites  = $suites
    Failures = $(if ($DiscoverOnly) { @() } else { $failures })
} | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryPath -Encoding utf8

if ($DiscoverOnly) { exit 0 }
if ($failedInAll -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
