#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs the Pester end-to-end suites in this pwsh process and writes the counts as JSON for build.ps1.
    Needs: pcscd running with the vpcd driver, FINCARDPIN_MODULE (the laid-out manifest) and
    FINCARDPIN_CARD_HOST (FinCardPin.VirtualCard.Host.dll) in the environment.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $ResultsDir
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputPath = Join-Path $ResultsDir 'pester.xml'

$result = Invoke-Pester -Configuration $configuration

# Pester reports some failures of its own (e.g. writing the XML report) without returning a result: that run failed.
if ($null -eq $result) {
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
    exit 1
}

# A failure in BeforeAll/AfterAll fails no single test but the whole block: count those too.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8

if ($failed -gt 0 -or $result.PassedCount -eq 0) { exit 1 }
