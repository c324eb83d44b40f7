#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks FinCardPin.

.DESCRIPTION
    Build      compiles the solution and lays the importable module out in out/FinCardPin (manifest, DLLs,
               format file), exactly as a user has it after installing.
    Test       Build, then every test this machine can run, in tiers:
               1. xunit (engine, virtual card, cmdlets; no daemon), with line and branch coverage per assembly.
               2. Pester in-process: the end-to-end suites in a real pwsh over the module's in-process virtual
                  readers, every test not tagged 'Daemon'. Any OS, no root, no daemon.
               3. Pester daemon: every suite against a real pcscd with our virtual cards behind vsmartcard-vpcd's
                  driver, in private network, mount and pid namespaces (tests/EndToEnd/daemon-tier.sh): a pcscd of
                  its own with a reader configuration of its own (out/test-results/daemon-tier/reader.conf.d), on a
                  socket of its own; the machine's pcscd and /etc/reader.conf.d are never used, and nothing of the
                  tier outlives it. Installs pcscd, opensc and iproute2 with apt-get when running as root on
                  Debian/Ubuntu and unpacks vpcd's driver from the vsmartcard-vpcd package into out/vpcd (the package
                  is not installed). Where it cannot run (not Linux, not root) its tests are counted as skipped, the
                  reason printed. Then a check, counted as one test, that no vpcd entry appeared in
                  /etc/reader.conf.d and no listener remains on vpcd's ports 35963/35964.
               3b. Pester PIN pad: PinPadReader.Tests.ps1 (tagged PinPad) against a real pcscd whose only reader is an
                  emulated serial GemPC Pinpad driven by Debian's own CCID driver for serial readers (libccidtwin.so,
                  unpacked from the libccid package into out/libccid, not installed), the virtual-card host emulating
                  the reader on a pseudo-terminal in front of a virtual card; private namespaces, a pcscd and reader
                  configuration of its own (tests/EndToEnd/pinpad-tier.sh). Where it cannot run, its tests are
                  counted as skipped with the reason.
               4. The Windows tier (tests/Windows/wine-tier.sh): the winscard binding, the engine and the cmdlets
                  as win-x64 programs under Wine 10 in a cached Debian 13 chroot (Linux, root; otherwise counted
                  as skipped with the reason).
               Prints the counts per suite, then ends with "Total: N passed, N failed, N skipped".
               -Tier InProcess runs tiers 1 and 2 only, as a machine without pcscd would (the others counted as
               skipped).
               -Suite <name> runs one suite, without packaging: an xunit test folder (Engine, Localization, ...) or
               class (CardWorkerTests), or a Pester file of tests/EndToEnd (PinOperations or PinOperations.Tests.ps1)
               in the in-process tier; with -Tier Daemon against pcscd + vpcd, every test of it (Linux, root). A file
               tagged PinPad (PinPadReader) runs in the PIN-pad tier. Every suite the name matches runs, and the
               counts and the Total line are printed as for the whole run.
    Demo       Build, then the DVV's three flows on a virtual card (no reader, no daemon needed).
    Benchmark  Build, then the figures: Import-Module cost, Get-CardReader and Get-CardPinStatus against the raw
               calls they need, APDUs per operation (needs pcscd + vpcd like Test).
    Package    Build, then the module as a .nupkg for the PowerShell Gallery, published with Publish-PSResource
               into the local folder repository out/repository (README, LICENSE and CHANGELOG inside). With
               -CertificateThumbprint or -CertificatePath (Windows), signs the DLLs, manifest and format file first.
    Clean      removes out/ and every project's bin/ and obj/ folders, all inside the repository, and nothing else
               (not the NuGet cache, not the Wine chroot in /var/cache/fincardpin-wine). The next Build starts afresh.

    The version, authors and copyright come from Directory.Build.props, the release notes from the newest released
    section of CHANGELOG.md (an "## Unreleased" section above it collects what the next release will say, and is not
    stamped): Build stamps them into the laid-out manifest.

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test

.EXAMPLE
    dotnet pwsh ./build.ps1 Test -Suite CardWorkerTests

.EXAMPLE
    dotnet pwsh ./build.ps1 Clean && dotnet pwsh ./build.ps1 Build
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Benchmark', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Package: sign with this code-signing certificate from Cert:\CurrentUser\My or Cert:\LocalMachine\My (Windows).
    [string] $CertificateThumbprint,

    # Package: sign with the code-signing certificate in this .pfx file (Windows); -CertificatePassword opens it.
    [string] $CertificatePath,

    [securestring] $CertificatePassword,

    # Package: the RFC 3161 time-stamp server for the signatures, so they stay valid after the certificate expires.
    [string] $TimestampServer = 'http://timestamp.digicert.com',

    # Test: All runs every tier this machine can; InProcess only xunit and the in-process Pester tier (what a
    # machine without pcscd runs), counting the others as skipped. With -Suite, Daemon runs a Pester file against
    # pcscd + vpcd instead of in process.
    [ValidateSet('All', 'InProcess', 'Daemon')]
    [string] $Tier = 'All',

    # Test: only this suite (an xunit folder or class, or a Pester file of tests/EndToEnd), without packaging.
    [string] $Suite
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleDir = Join-Path $Out 'FinCardPin'
$ResultsDir = Join-Path $Out 'test-results'
$PackageDir = Join-Path $Out 'package/FinCardPin'
$RepositoryDir = Join-Path $Out 'repository'
$PesterVersion = ([xml] (Get-Content -Raw (Join-Path $Root 'Directory.Packages.props'))).Project.PropertyGroup.PesterVersion
# The daemon tier's vpcd reader name (FRIENDLYNAME in its reader configuration), in this one place: the tests and
# the benchmark get it as FINCARDPIN_VPCD_READER_NAME; pcsc-lite names the two slots "<name> 00 00" and "<name> 00 01".
$VpcdReaderName = 'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader]'
# The PIN-pad tier's reader FRIENDLYNAME (as pcsc-lite names a Gemalto reader, brackets and all; the tests get
# "<name> 00 00" as FINCARDPIN_PINPAD_READER). The tier scripts' paths come from tools/MachineSetup.psm1.
$PinPadReaderName = 'Gemalto GemPC Pinpad [GemPC Pinpad]'
$Pwsh = Join-Path $PSHOME ($(if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'pwsh.exe' } else { 'pwsh' }))

# The machine's set-up for the test tiers (apt-get, pcscd, vpcd's and libccid's drivers, the Wine chroot) and the test
# run's suites and report (the counts, the Total line) live in modules of their own.
Import-Module (Join-Path $Root 'tools/MachineSetup.psm1') -Force
Import-Module (Join-Path $Root 'tools/TestRun.psm1') -Force

function Invoke-Build {
    Write-Host "== Build ($Configuration)"
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'FinCardPin.sln') -c $Configuration --nologo -v quiet -clp:ErrorsOnly | Out-Host }
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleDir | Out-Null
    $binaries = Join-Path $Root "src/FinCardPin/bin/$Configuration/netstandard2.0"
    foreach ($dll in 'FinCardPin.dll', 'FinCardPin.Engine.dll', 'FinCardPin.VirtualCard.dll') {
        Copy-Item (Join-Path $binaries $dll) $ModuleDir
    }
    # The texts in Finnish and Swedish: satellite assemblies in a folder per neutral culture next to FinCardPin.dll,
    # where .NET Framework (Windows PowerShell 5.1) and .NET (PowerShell 7) both look for them; fi-FI and sv-SE
    # sessions fall back to them, any other language to the English texts inside FinCardPin.dll.
    Import-Module (Join-Path $Root 'tools/Languages.psm1') -Force
    foreach ($culture in Get-ModuleLanguage -Translations) {
        $satellite = Join-Path $binaries "$culture/FinCardPin.resources.dll"
        if (-not (Test-Path $satellite)) { throw "The build made no $satellite." }
        New-Item -ItemType Directory -Path (Join-Path $ModuleDir $culture) | Out-Null
        Copy-Item $satellite (Join-Path $ModuleDir $culture)
    }
    Copy-Item (Join-Path $Root 'FinCardPin.psd1'), (Join-Path $Root 'FinCardPin.format.ps1xml') $ModuleDir
    # Get-Help picks the folder of the session's UI culture (en-US, fi-FI, sv-SE), falling back to en-US.
    foreach ($culture in Get-ModuleCulture) {
        $help = Join-Path $Root "src/FinCardPin/$culture"
        if (Test-Path $help) { Copy-Item $help $ModuleDir -Recurse }
    }
    Set-ManifestFacts (Join-Path $ModuleDir 'FinCardPin.psd1')
    Write-Host "   module laid out in $ModuleDir (version $((Get-ReleaseFacts).Version))"
}

# What the build made, and only that: out/ and the bin/ and obj/ beside each project file. Every path is checked to
# lie inside the repository before it is removed.
function Invoke-Clean {
    Write-Host '== Clean'
    $inside = $Root.TrimEnd('/', '\') + [IO.Path]::DirectorySeparatorChar
    $projects = Get-ChildItem $Root -Recurse -File -Include '*.csproj', '*.proj' |
        Where-Object { $_.FullName.Substring($inside.Length) -notmatch '(^|[\\/])(out|bin|obj)[\\/]' }
    $folders = @($Out) + @($projects | ForEach-Object { Join-Path $_.DirectoryName 'bin'; Join-Path $_.DirectoryName 'obj' })
    foreach ($folder in $folders | Select-Object -Unique) {
        if (-not (Test-Path -LiteralPath $folder)) { continue }
        $full = (Resolve-Path -LiteralPath $folder).Path
        if (-not $full.StartsWith($inside, [StringComparison]::Ordinal)) { throw "Clean refuses to remove $($full): it is outside $Root." }
        Remove-Item -LiteralPath $full -Recurse -Force
        Write-Host "   removed $($full.Substring($inside.Length))"
    }
}

# The release's facts from their one source each: Directory.Build.props and the newest released section of
# CHANGELOG.md (not "## Unreleased", the notes gathered for the next version).
function Get-ReleaseFacts {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $group = $props.Project.PropertyGroup
    $changelog = Get-Content -Raw (Join-Path $Root 'CHANGELOG.md')
    $newest = [regex]::Match($changelog, '(?ms)^## (?<version>(?!Unreleased\b)\S+)[^\n]*\n(?<notes>.*?)(?=^## |\z)')
    if (-not $newest.Success) { throw 'CHANGELOG.md has no "## <version>" section.' }
    if ($newest.Groups['version'].Value -ne $group.Version) {
        throw "The newest section of CHANGELOG.md is $($newest.Groups['version'].Value), but Directory.Build.props says version $($group.Version)."
    }
    [pscustomobject]@{
        Version      = [string] $group.Version
        Author       = [string] $group.Authors
        Company      = [string] $group.Company
        Copyright    = [string] $group.Copyright
        ProjectUrl   = ([string] $group.PackageProjectUrl).Trim()
        ReleaseNotes = $newest.Groups['notes'].Value.Trim()
    }
}

function Set-ManifestFacts([string] $Path) {
    $facts = Get-ReleaseFacts
    $quote = { param($text) "'" + ($text -replace "'", "''") + "'" }
    $text = Get-Content -Raw $Path
    $text = $text -replace '(?m)^\s*# (ModuleVersion, Author|Directory\.Build\.props and CHANGELOG).*\r?\n', ''
    $text = $text -replace "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'", "`$1'$($facts.Version)'"
    $text = $text -replace "(?m)^(\s*Author\s*=\s*)'[^']*'", ('$1' + (& $quote $facts.Author).Replace('$', '$$'))
    $text = $text -replace "(?m)^(\s*CompanyName\s*=\s*)'[^']*'", ('$1' + (& $quote $facts.Company).Replace('$', '$$'))
    $text = $text -replace "(?m)^(\s*Copyright\s*=\s*)'[^']*'", ('$1' + (& $quote $facts.Copyright).Replace('$', '$$'))
    $links = ''
    if ($facts.ProjectUrl) {
        $links = "ProjectUri = $(& $quote $facts.ProjectUrl)`n            LicenseUri = $(& $quote ($facts.ProjectUrl.TrimEnd('/') + '/blob/main/LICENSE'))`n            "
    }
    $text = $text -replace "(?m)^(\s*)ReleaseNotes\s*=\s*'[^']*'", ('$1' + $links.Replace('$', '$$') + 'ReleaseNotes = ' + (& $quote $facts.ReleaseNotes).Replace('$', '$$'))
    Set-Content -Path $Path -Value $text -Encoding utf8
    $check = Import-PowerShellDataFile $Path
    if ($check.ModuleVersion -ne $facts.Version -or $check.PrivateData.PSData.ReleaseNotes -ne $facts.ReleaseNotes) {
        throw "Stamping $Path failed."
    }
}

function Get-VirtualCardHost {
    Join-Path $Root "src/FinCardPin.VirtualCard.Host/bin/$Configuration/net10.0/FinCardPin.VirtualCard.Host.dll"
}

function Get-PesterModule {
    Invoke-Native 'restoring Pester' { dotnet restore (Join-Path $Root 'tests/EndToEnd/PesterPackage.proj') --nologo -v quiet | Out-Host }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion was restored but $manifest is missing." }
    $manifest
}

# xunit, every test with coverage; with -Filter (one suite) only those tests, and no coverage.
function Invoke-UnitTests([string] $Filter) {
    $trx = Join-Path $ResultsDir 'unit.trx'
    $coverage = Join-Path $ResultsDir 'coverage'
    Remove-Item $trx -ErrorAction SilentlyContinue
    Remove-Item $coverage -Recurse -Force -ErrorAction SilentlyContinue
    $arguments = @((Join-Path $Root 'tests/FinCardPin.UnitTests'), '-c', $Configuration, '--no-build', '--nologo',
        '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=minimal')
    if ($Filter) {
        Write-Host '== xunit (one suite)'
        $arguments += '--filter', $Filter
    }
    else {
        Write-Host '== xunit (with coverlet coverage)'
        $arguments += '--collect', 'XPlat Code Coverage', '--results-directory', $coverage,
            '--settings', (Join-Path $Root 'tests/FinCardPin.UnitTests/coverage.runsettings')
    }
    dotnet test @arguments | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $trx)) { return New-BrokenTierCounts "dotnet test wrote no results ($trx), exit code $exit." | Add-Member Groups @() -PassThru }
    $report = Read-Trx $trx
    Show-FuzzSummary $report
    $counts = Read-TrxCounts $report
    $failures = @(Read-TrxFailures $report)
    if ($exit -ne 0 -and $counts.Failed -eq 0) {
        $counts.Failed = 1
        $failures = @([pscustomobject]@{ Name = 'the run itself'; Message = "dotnet test ended with exit code $exit and no failed test" })
    }
    $counts | Add-Member Groups @(Read-TrxGroups $report)
    $counts | Add-Member Failures $failures
    if (-not $Filter) { $counts | Add-Member Coverage @(Read-Coverage $coverage) }
    $counts
}

# One Pester tier in a child pwsh: the module is imported from the laid-out folder, in a process of its own, as a
# user would. Returns the counts in all and per suite file.
# With -Path, only that suite file.
function Invoke-PesterTier([ValidateSet('Daemon', 'InProcess', 'PinPad')] [string] $Name, [switch] $DiscoverOnly, [string] $Path) {
    $pester = Get-PesterModule
    $summary = Join-Path $ResultsDir "pester-$($Name.ToLowerInvariant())-summary.json"
    Remove-Item $summary -ErrorAction SilentlyContinue
    $env:FINCARDPIN_MODULE = Join-Path $ModuleDir 'FinCardPin.psd1'
    $env:FINCARDPIN_CARD_HOST = Get-VirtualCardHost
    $env:FINCARDPIN_PACKAGE_REPOSITORY = $RepositoryDir
    $env:FINCARDPIN_VPCD_READER_NAME = $VpcdReaderName
    $command = @($Pwsh, '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/EndToEnd/Invoke-EndToEnd.ps1'),
        '-PesterManifest', $pester, '-SummaryPath', $summary, '-ResultsDir', $ResultsDir, '-Tier', $Name)
    if ($DiscoverOnly) { $command += '-DiscoverOnly' }
    if ($Path) { $command += '-Path', $Path }
    if ($Name -eq 'Daemon' -and -not $DiscoverOnly) {
        # The tier, the virtual-card host and every pwsh the tests start run in the namespaces of its own pcscd.
        & bash $DaemonTierScript run (Get-VpcdDriver) $VpcdReaderName (Join-Path $ResultsDir 'daemon-tier') -- @command | Out-Host
    }
    elseif ($Name -eq 'PinPad' -and -not $DiscoverOnly) {
        # The tier, the reader emulator and pcscd with libccidtwin run in namespaces of their own.
        & bash $PinPadTierScript run (Get-PinPadDriver) (Get-VirtualCardHost) $PinPadReaderName (Join-Path $ResultsDir 'pinpad-tier') -- @command | Out-Host
    }
    else {
        & $command[0] @($command | Select-Object -Skip 1) | Out-Host
    }
    if (-not (Test-Path $summary)) { return New-BrokenTierCounts "The $Name Pester tier wrote no counts ($summary)." }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    if ($null -eq $counts.Passed -or $null -eq $counts.Failed) { return New-BrokenTierCounts "The $Name Pester tier wrote no counts ($summary)." }
    $counts
}

# The counts of a tier that could not run or report: one failure, so that the run is red, and the reason on screen.
function New-BrokenTierCounts([string] $Why) {
    Write-Host $Why -ForegroundColor Red
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; LeftOut = 0; Suites = @(); Failures = @([pscustomobject]@{ Name = 'the tier itself'; Message = $Why }) }
}

function Invoke-InProcessTests([string] $Path) {
    Write-Host '== Pester in-process (pwsh + the module''s in-process virtual readers; any OS, no daemon)'
    Invoke-PesterTier InProcess -Path $Path
}

function Invoke-DaemonTests([string] $Path) {
    Write-Host '== Pester daemon (pwsh + pcscd + vpcd + virtual cards)'
    $blocker = if ($Tier -eq 'InProcess') { 'asked for -Tier InProcess.' } else { Get-DaemonTierBlocker }
    if ($blocker) {
        Write-Host "   SKIPPED the daemon tier: $blocker Its tests are counted as skipped." -ForegroundColor Yellow
        return Invoke-PesterTier Daemon -DiscoverOnly -Path $Path
    }
    Install-PcscStack
    Invoke-PesterTier Daemon -Path $Path
}

function Invoke-PinPadTests([string] $Path) {
    Write-Host '== Pester PIN pad (pwsh + pcscd + libccidtwin + an emulated GemPC Pinpad + virtual cards)'
    $blocker = if ($Tier -eq 'InProcess') { 'asked for -Tier InProcess.' } else { Get-PinPadTierBlocker }
    if ($blocker) {
        Write-Host "   SKIPPED the PIN-pad tier: $blocker Its tests are counted as skipped." -ForegroundColor Yellow
        return Invoke-PesterTier PinPad -DiscoverOnly -Path $Path
    }
    Install-PcscStack
    Install-PinPadDriver
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $counts = Invoke-PesterTier PinPad -Path $Path
    Write-Host ('   PIN-pad tier time: {0:N0} s (wire log: {1})' -f $watch.Elapsed.TotalSeconds, (Join-Path $ResultsDir 'pinpad-tier/pinpad/wire.log'))
    $counts
}

# The Windows tier: the engine's winscard.dll binding executed under Wine 10 (tests/Windows/wine-tier.sh). Where it
# cannot run (not Linux, not root, no namespaces, no debootstrap) it is counted as skipped and the reason printed.
function Invoke-WindowsTests {
    Write-Host '== Windows under Wine: the winscard binding, the engine and the cmdlets (win-x64, pcscd + vpcd + virtual cards)'
    $skipped = { param($why) Write-Host "   SKIPPED the Windows tier: $why" -ForegroundColor Yellow; [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 } }
    if ($Tier -eq 'InProcess') { return & $skipped 'asked for -Tier InProcess.' }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $blocker = Initialize-WineTier
    if ($blocker) { return & $skipped $blocker }
    $prepareSeconds = $watch.Elapsed.TotalSeconds

    $program = Join-Path $Out 'wine-tests'
    $powershell = Join-Path $Out 'wine-powershell'
    $watch.Restart()
    # RuntimeFrameworkVersion: the win-x64 runtime pack of this version is served by NuGet (the SDK's own may not be).
    foreach ($publish in @(@('FinCardPin.WineTests', $program), @('FinCardPin.WinePowerShell', $powershell))) {
        Invoke-Native "publishing $($publish[0]) for win-x64" {
            dotnet publish (Join-Path $Root "tests/Windows/$($publish[0])") -c $Configuration -r win-x64 --self-contained `
                -p:RuntimeFrameworkVersion=10.0.12 -o $publish[1] --nologo -v quiet -clp:ErrorsOnly | Out-Host
        }
    }
    $publishSeconds = $watch.Elapsed.TotalSeconds

    $watch.Restart()
    $lines = @(& bash $WineTierScript run $program (Get-VirtualCardHost) (Join-Path $ResultsDir 'wine') $powershell $ModuleDir)
    $exit = $LASTEXITCODE
    $lines | Out-Host
    $passed = @($lines | Where-Object { $_ -like '`[pass`] *' }).Count
    $failures = @($lines | Where-Object { $_ -like '`[FAIL`] *' } | ForEach-Object { [pscustomobject]@{ Name = $_.Substring('[FAIL] '.Length); Message = '' } })
    if ($exit -ne 0 -and -not $failures) { $failures = @([pscustomobject]@{ Name = 'the tier itself'; Message = "wine-tier.sh ended with exit code $exit" }) }
    Write-Host ('   Wine tier times: chroot {0:N0} s, publish {1:N0} s, run {2:N0} s' -f $prepareSeconds, $publishSeconds, $watch.Elapsed.TotalSeconds)
    [pscustomobject]@{ Passed = $passed; Failed = $failures.Count; Skipped = 0; Failures = $failures }
}

function Invoke-Test {
    if ($Suite) { return Invoke-SuiteTest }
    if ($Tier -eq 'Daemon') { throw '-Tier Daemon is for one suite (-Suite): the whole run takes every tier this machine can.' }
    Invoke-Build
    Invoke-Package # the package test installs what a user would get from the Gallery
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $tracesBefore = if ($IsLinux) { Get-OpenPcscTraces } else { $null }
    $unit = Invoke-UnitTests
    $inProcess = try { Invoke-InProcessTests } catch { New-BrokenTierCounts "The in-process Pester tier could not run: $_" }
    $daemon = try { Invoke-DaemonTests } catch { New-BrokenTierCounts "The daemon Pester tier could not run: $_" }
    $pinPad = try { Invoke-PinPadTests } catch { New-BrokenTierCounts "The PIN-pad Pester tier could not run: $_" }
    $wine = try { Invoke-WindowsTests } catch { New-BrokenTierCounts "The Windows tier could not run: $_" }
    $leftOpen = try { Test-NothingLeftOpen $tracesBefore } catch { New-BrokenTierCounts "The left-open check could not run: $_" }
    $failed = Write-TestReport ([ordered]@{ Unit = $unit; InProcess = $inProcess; Daemon = $daemon; PinPad = $pinPad; Wine = $wine; LeftOpen = $leftOpen })
    if ($failed -gt 0) { exit 1 }
}

# build.ps1 Test -Suite: every suite the name matches (found before anything is built), in its tier, without packaging
# (unless the suite is the package's own), then the same counts and Total line as the whole run.
function Invoke-SuiteTest {
    $suites = @(Resolve-TestSuite -Name $Suite -Tier $(if ($Tier -eq 'Daemon') { 'Daemon' } else { 'InProcess' }))
    Invoke-Build
    if ($suites | Where-Object Name -EQ 'Package.Tests.ps1') { Invoke-Package }
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $unit = $inProcess = $daemon = $pinPad = $null
    $filters = @($suites | Where-Object Kind -EQ 'xunit' | ForEach-Object Filter)
    if ($filters) { $unit = Invoke-UnitTests -Filter ($filters -join '|') }
    foreach ($pester in @($suites | Where-Object Kind -EQ 'Pester')) {
        switch ($pester.Tier) {
            'InProcess' {
                $inProcess = try { Invoke-InProcessTests -Path $pester.Path } catch { New-BrokenTierCounts "The in-process Pester tier could not run: $_" }
                if ($inProcess.LeftOut -gt 0) {
                    Write-Host "   $($inProcess.LeftOut) tests of $($pester.Name) are tagged Daemon: './build.ps1 Test -Suite $Suite -Tier Daemon' runs them against pcscd + vpcd (Linux, root)." -ForegroundColor Yellow
                }
            }
            'Daemon' { $daemon = try { Invoke-DaemonTests -Path $pester.Path } catch { New-BrokenTierCounts "The daemon Pester tier could not run: $_" } }
            'PinPad' { $pinPad = try { Invoke-PinPadTests -Path $pester.Path } catch { New-BrokenTierCounts "The PIN-pad Pester tier could not run: $_" } }
        }
    }
    $failed = Write-TestReport ([ordered]@{ Unit = $unit; InProcess = $inProcess; Daemon = $daemon; PinPad = $pinPad })
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & $Pwsh -NoProfile -File (Join-Path $Root 'src/Demo/Show-FinCardPinDemo.ps1') -ModulePath (Join-Path $ModuleDir 'FinCardPin.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Benchmark {
    $blocker = Get-DaemonTierBlocker
    if ($blocker) { throw "The benchmark needs the daemon tier, which cannot run here: $blocker" }
    Invoke-Build
    Install-PcscStack
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $env:FINCARDPIN_VPCD_READER_NAME = $VpcdReaderName
    & bash $DaemonTierScript run (Get-VpcdDriver) $VpcdReaderName (Join-Path $ResultsDir 'benchmark-daemon') -- `
        $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmark/Measure-FinCardPin.ps1') `
        -ModulePath (Join-Path $ModuleDir 'FinCardPin.psd1') -CardHost (Get-VirtualCardHost) -Pwsh $Pwsh `
        -RawSide (Join-Path $Root "tests/Benchmark/FinCardPin.Benchmark/bin/$Configuration/netstandard2.0/FinCardPin.Benchmark.dll")
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Authenticode signatures for AllSigned policies: the DLLs, the manifest and the format file (Windows only).
function Invoke-Signing([string] $Folder) {
    if (-not $CertificateThumbprint -and -not $CertificatePath) { return }
    if (-not (Get-Command Set-AuthenticodeSignature -ErrorAction SilentlyContinue)) {
        throw 'Signing needs Windows (Set-AuthenticodeSignature). Package without a certificate here and sign on Windows.'
    }
    $certificate = if ($CertificatePath) {
        [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Resolve-Path $CertificatePath).Path, $CertificatePassword)
    }
    else {
        Get-ChildItem Cert:\CurrentUser\My, Cert:\LocalMachine\My -CodeSigningCert | Where-Object Thumbprint -EQ $CertificateThumbprint | Select-Object -First 1
    }
    if (-not $certificate -or -not $certificate.HasPrivateKey) { throw 'No code-signing certificate with a private key was found for signing.' }
    $files = Get-ChildItem $Folder -Recurse -Include '*.dll', '*.psd1', '*.ps1xml'
    foreach ($file in $files) {
        $signature = Set-AuthenticodeSignature -FilePath $file.FullName -Certificate $certificate -TimestampServer $TimestampServer -HashAlgorithm SHA256
        if ($signature.Status -ne 'Valid') { throw "Signing $($file.Name) failed: $($signature.StatusMessage)" }
    }
    Write-Host "   signed $($files.Count) files with $($certificate.Subject)"
}

# The module as a .nupkg: staged with README, LICENSE and CHANGELOG, optionally signed, published with
# Publish-PSResource into a local folder repository registered only for the publish.
function Invoke-Package {
    Write-Host '== Package'
    if (Test-Path $PackageDir) { Remove-Item $PackageDir -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $PackageDir, $RepositoryDir | Out-Null
    Copy-Item (Join-Path $ModuleDir '*') $PackageDir -Recurse
    Copy-Item (Join-Path $Root 'README.md'), (Join-Path $Root 'LICENSE'), (Join-Path $Root 'CHANGELOG.md') $PackageDir
    Invoke-Signing $PackageDir
    $version = (Get-ReleaseFacts).Version
    Get-ChildItem $RepositoryDir -Filter "FinCardPin.$version.nupkg" | Remove-Item
    Import-Module Microsoft.PowerShell.PSResourceGet -ErrorAction Stop
    $name = 'FinCardPinBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $name -Uri $RepositoryDir -Trusted
    try {
        Publish-PSResource -Path $PackageDir -Repository $name -SkipDependenciesCheck
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
    $package = Join-Path $RepositoryDir "FinCardPin.$version.nupkg"
    if (-not (Test-Path $package)) { throw "Publish-PSResource wrote no $package." }
    Write-Host "   $package"
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Benchmark' { Invoke-Benchmark }
        'Package' { Invoke-Build; Invoke-Package }
        'Clean' { Invoke-Clean }
    }
}
