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
               3. Pester daemon: every suite against the real pcscd with our virtual cards behind vsmartcard-vpcd.
                  Installs pcscd and vsmartcard-vpcd with apt-get when running as root on Debian/Ubuntu, starts
                  pcscd only when none runs and stops only the one it started. Where it cannot run (not Linux, or
                  the packages missing and no root to install them) its tests are counted as skipped, the reason
                  printed.
               4. The Windows tier (tests/Windows/wine-tier.sh): the winscard binding, the engine and the cmdlets
                  as win-x64 programs under Wine 10 in a cached Debian 13 chroot (Linux, root; otherwise counted
                  as skipped with the reason).
               Prints the counts per suite, then ends with "Total: N passed, N failed, N skipped".
               -Tier InProcess runs tiers 1 and 2 only, as a machine without pcscd would (the others counted as
               skipped).
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
    # machine without pcscd runs), counting the others as skipped.
    [ValidateSet('All', 'InProcess')]
    [string] $Tier = 'All'
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
$Pwsh = Join-Path $PSHOME ($(if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'pwsh.exe' } else { 'pwsh' }))

function Invoke-Native {
    param([string] $Description, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$Description failed (exit code $LASTEXITCODE)." }
}

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
    foreach ($culture in 'fi', 'sv') {
        $satellite = Join-Path $binaries "$culture/FinCardPin.resources.dll"
        if (-not (Test-Path $satellite)) { throw "The build made no $satellite." }
        New-Item -ItemType Directory -Path (Join-Path $ModuleDir $culture) | Out-Null
        Copy-Item $satellite (Join-Path $ModuleDir $culture)
    }
    Copy-Item (Join-Path $Root 'FinCardPin.psd1'), (Join-Path $Root 'FinCardPin.format.ps1xml') $ModuleDir
    # Get-Help picks the folder of the session's UI culture (en-US, fi-FI, sv-SE), falling back to en-US.
    foreach ($culture in 'en-US', 'fi-FI', 'sv-SE') {
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

function Test-PcscStackInstalled {
    $driver = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so'
    $haveDaemon = [bool](Get-Command pcscd -ErrorAction SilentlyContinue) -or (Test-Path /usr/sbin/pcscd)
    # OpenSC's pkcs15-tool is the parser nobody here wrote that cross-checks the virtual cards' PKCS#15 data.
    $haveOpenSc = [bool](Get-Command pkcs15-tool -ErrorAction SilentlyContinue)
    $haveDaemon -and $haveOpenSc -and (Test-Path $driver) -and (Test-Path /etc/reader.conf.d/vpcd)
}

# Why the daemon tier cannot run here, or $null when it can (installed, or installable: root with apt-get).
function Get-DaemonTierBlocker {
    if (-not $IsLinux) {
        return 'it needs Linux with pcscd and vsmartcard-vpcd (the virtual reader driver); run it on Debian or Ubuntu.'
    }
    if (Test-PcscStackInstalled) { return $null }
    if ((& id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        return 'it needs the packages pcscd, vsmartcard-vpcd and opensc (sudo apt-get install pcscd vsmartcard-vpcd opensc).'
    }
    $null
}

# pcscd and the vpcd driver come from Debian's archive. Installed when we may (root, apt-get); otherwise the run
# stops and says what is missing.
function Install-PcscStack {
    $blocker = Get-DaemonTierBlocker
    if ($blocker) { throw "The daemon tier cannot run here: $blocker" }
    if (Test-PcscStackInstalled) { return }
    Write-Host '== Installing pcscd, vsmartcard-vpcd and opensc (apt-get)'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native 'apt-get update' { apt-get update -qq | Out-Host }
    Invoke-Native 'apt-get install' { apt-get install -y -qq --no-install-recommends pcscd vsmartcard-vpcd libpcsclite1 opensc | Out-Host }
}

# Starts pcscd only when none runs; returns the process we started (to stop by its pid), or $null.
function Start-PcscDaemon {
    $running = & pgrep -x pcscd
    if ($running) {
        Write-Host "   pcscd already running (pid $($running -join ', ')): using it, will not stop it"
        return $null
    }
    $daemon = if (Test-Path /usr/sbin/pcscd) { '/usr/sbin/pcscd' } else { (Get-Command pcscd).Source }
    $log = Join-Path $ResultsDir 'pcscd.log'
    $process = Start-Process -FilePath $daemon -ArgumentList '-f', '-i' -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    Write-Host "   started pcscd (pid $($process.Id))"
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Test-Path /run/pcscd/pcscd.comm)) {
        if ($process.HasExited) { throw "pcscd exited at start (exit code $($process.ExitCode)); see $log.err" }
        if ([DateTime]::UtcNow -gt $deadline) { throw 'pcscd did not create /run/pcscd/pcscd.comm within 10 s.' }
        Start-Sleep -Milliseconds 100
    }
    $process
}

function Stop-PcscDaemon([System.Diagnostics.Process] $Process) {
    if ($null -eq $Process -or $Process.HasExited) { return }
    Write-Host "   stopping the pcscd we started (pid $($Process.Id))"
    & kill -TERM $Process.Id
    if (-not $Process.WaitForExit(5000)) { & kill -KILL $Process.Id }
}

function Read-TrxCounts([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    $passed = [int] $counters.passed
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    $skipped = [int] $counters.total - [int] $counters.executed
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# The fuzz test's own counts (answers, operations, violations per promise), read from its output in the trx.
function Show-FuzzSummary([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $fuzz = @($trx.TestRun.Results.UnitTestResult | Where-Object { $_.testName -like '*FuzzTests*' })
    foreach ($result in $fuzz) {
        $text = "$($result.Output.StdOut)".Trim()
        if ($text) { $text -split "`r?`n" | ForEach-Object { Write-Host "   $_" } }
        else { Write-Host "   Fuzz: $($result.testName) $($result.outcome), printed nothing" }
    }
}

# xunit's counts per test folder (Engine, Interop, Localization, Cmdlets, VirtualCard, ...): the namespace part after
# FinCardPin.UnitTests.
function Read-TrxGroups([string] $Path) {
    [xml] $trx = Get-Content -Raw $Path
    $results = @($trx.TestRun.Results.UnitTestResult)
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

function Invoke-UnitTests {
    Write-Host '== xunit (with coverlet coverage)'
    $trx = Join-Path $ResultsDir 'unit.trx'
    $coverage = Join-Path $ResultsDir 'coverage'
    Remove-Item $trx -ErrorAction SilentlyContinue
    Remove-Item $coverage -Recurse -Force -ErrorAction SilentlyContinue
    dotnet test (Join-Path $Root 'tests/FinCardPin.UnitTests') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' `
        --collect 'XPlat Code Coverage' --results-directory $coverage `
        --settings (Join-Path $Root 'tests/FinCardPin.UnitTests/coverage.runsettings') | Out-Host
    $exit = $LASTEXITCODE
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Groups = @(); Coverage = @() } }
    Show-FuzzSummary $trx
    $counts = Read-TrxCounts $trx
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 } # the run itself broke
    $counts | Add-Member Groups @(Read-TrxGroups $trx)
    $counts | Add-Member Coverage @(Read-Coverage $coverage)
    $counts
}

# One Pester tier in a child pwsh: the module is imported from the laid-out folder, in a process of its own, as a
# user would. Returns the counts in all and per suite file.
function Invoke-PesterTier([ValidateSet('Daemon', 'InProcess')] [string] $Name, [switch] $DiscoverOnly) {
    $broken = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; LeftOut = 0; Suites = @() }
    $pester = Get-PesterModule
    $summary = Join-Path $ResultsDir "pester-$($Name.ToLowerInvariant())-summary.json"
    Remove-Item $summary -ErrorAction SilentlyContinue
    $env:FINCARDPIN_MODULE = Join-Path $ModuleDir 'FinCardPin.psd1'
    $env:FINCARDPIN_CARD_HOST = Get-VirtualCardHost
    $env:FINCARDPIN_PACKAGE_REPOSITORY = $RepositoryDir
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/EndToEnd/Invoke-EndToEnd.ps1') `
        -PesterManifest $pester -SummaryPath $summary -ResultsDir $ResultsDir -Tier $Name -DiscoverOnly:$DiscoverOnly | Out-Host
    if (-not (Test-Path $summary)) { return $broken }
    $counts = Get-Content -Raw $summary | ConvertFrom-Json
    if ($null -eq $counts.Passed -or $null -eq $counts.Failed) { return $broken }
    $counts
}

function Invoke-InProcessTests {
    Write-Host '== Pester in-process (pwsh + the module''s in-process virtual readers; any OS, no daemon)'
    Invoke-PesterTier InProcess
}

function Invoke-DaemonTests {
    Write-Host '== Pester daemon (pwsh + pcscd + vpcd + virtual cards)'
    $blocker = if ($Tier -eq 'InProcess') { 'asked for -Tier InProcess.' } else { Get-DaemonTierBlocker }
    if ($blocker) {
        Write-Host "   SKIPPED the daemon tier: $blocker Its tests are counted as skipped." -ForegroundColor Yellow
        return Invoke-PesterTier Daemon -DiscoverOnly
    }
    Install-PcscStack
    $daemon = Start-PcscDaemon
    try { Invoke-PesterTier Daemon }
    finally { Stop-PcscDaemon $daemon }
}

# The Windows tier: the engine's winscard.dll binding executed under Wine 10 (tests/Windows/wine-tier.sh). Where it
# cannot run (not Linux, not root, no namespaces, no debootstrap) it is counted as skipped and the reason printed.
function Invoke-WindowsTests {
    Write-Host '== Windows under Wine: the winscard binding, the engine and the cmdlets (win-x64, pcscd + vpcd + virtual cards)'
    $skipped = { param($why) Write-Host "   SKIPPED the Windows tier: $why" -ForegroundColor Yellow; [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 } }
    if ($Tier -eq 'InProcess') { return & $skipped 'asked for -Tier InProcess.' }
    if (-not $IsLinux) { return & $skipped 'it runs on Linux only (Wine + pcscd in a Debian 13 chroot).' }
    $script = Join-Path $Root 'tests/Windows/wine-tier.sh'
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $prepared = @(& bash $script prepare)
    if ($LASTEXITCODE -ne 0) { throw "preparing the Wine chroot failed (exit code $LASTEXITCODE)." }
    $answer = if ($prepared.Count) { [string] $prepared[-1] } else { '' }
    if ($answer.StartsWith('skip ')) { return & $skipped $answer.Substring(5) }
    if (-not $answer.StartsWith('ready ')) { throw "the Wine chroot preparation said '$answer'." }
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
    $lines = @(& bash $script run $program (Get-VirtualCardHost) (Join-Path $ResultsDir 'wine') $powershell $ModuleDir)
    $lines | Out-Host
    $passed = @($lines | Where-Object { $_ -like '`[pass`] *' }).Count
    $failed = @($lines | Where-Object { $_ -like '`[FAIL`] *' }).Count
    if ($LASTEXITCODE -ne 0 -and $failed -eq 0) { $failed = 1 } # the tier itself broke
    Write-Host ('   Wine tier times: chroot {0:N0} s, publish {1:N0} s, run {2:N0} s' -f $prepareSeconds, $publishSeconds, $watch.Elapsed.TotalSeconds)
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = 0 }
}

function Invoke-Test {
    Invoke-Build
    Invoke-Package # the package test installs what a user would get from the Gallery
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $broken = { param($tier) Write-Host "$tier could not run: $_" -ForegroundColor Red; [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; LeftOut = 0; Suites = @() } }
    $unit = Invoke-UnitTests
    $inProcess = try { Invoke-InProcessTests } catch { & $broken 'The in-process Pester tier' }
    $daemon = try { Invoke-DaemonTests } catch { & $broken 'The daemon Pester tier' }
    $wine = try { Invoke-WindowsTests } catch { & $broken 'The Windows tier' }
    Write-TestCounts $unit $inProcess $daemon $wine
    $tiers = $unit, $inProcess, $daemon, $wine
    $failed = [int] ($tiers | Measure-Object Failed -Sum).Sum
    $passed = [int] ($tiers | Measure-Object Passed -Sum).Sum
    $skipped = [int] ($tiers | Measure-Object Skipped -Sum).Sum
    Write-Host ("Total: {0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0) { exit 1 }
}

# The counts per suite: xunit per test folder, Pester per suite file in both tiers side by side, the Wine tier, and
# xunit's coverage per assembly.
function Write-TestCounts($Unit, $InProcess, $Daemon, $Wine) {
    $format = { param($counts) '{0,4} passed {1,3} failed {2,3} skipped' -f $counts.Passed, $counts.Failed, $counts.Skipped }
    Write-Host '== Counts'
    foreach ($group in $Unit.Groups) { Write-Host ('xunit  {0,-30} {1}' -f $group.Name, (& $format $group)) }
    Write-Host ('xunit  {0,-30} {1}' -f 'in all', (& $format $Unit))
    Write-Host ('Pester {0,-30} {1,-32} | {2}' -f 'suite', 'in-process', 'daemon (pcscd + vpcd)')
    $names = @($InProcess.Suites) + @($Daemon.Suites) | ForEach-Object Name | Sort-Object -Unique
    foreach ($name in $names) {
        $here = @($InProcess.Suites | Where-Object Name -EQ $name) | Select-Object -First 1
        $there = @($Daemon.Suites | Where-Object Name -EQ $name) | Select-Object -First 1
        $left = if ($here) { & $format $here } else { '(not run)' }
        $right = if ($there) { & $format $there } else { '(not run)' }
        Write-Host ('Pester {0,-30} {1,-32} | {2}' -f $name, $left, $right)
    }
    Write-Host ('Pester {0,-30} {1,-32} | {2}' -f 'in all', (& $format $InProcess), (& $format $Daemon))
    Write-Host ('       {0} daemon-only tests (tagged Daemon) are left out of the in-process tier' -f $InProcess.LeftOut)
    Write-Host ('Wine   {0,-30} {1}' -f 'Windows tier', (& $format $Wine))
    foreach ($assembly in $Unit.Coverage) {
        Write-Host ('Coverage (xunit) {0,-20} lines {1,5:N1} %  branches {2,5:N1} %' -f $assembly.Assembly, $assembly.Lines, $assembly.Branches)
    }
    if (-not $Unit.Coverage) { Write-Host 'Coverage (xunit): no coverage report was written' -ForegroundColor Yellow }
}

function Invoke-Demo {
    Invoke-Build
    & $Pwsh -NoProfile -File (Join-Path $Root 'src/Demo/Show-FinCardPinDemo.ps1') -ModulePath (Join-Path $ModuleDir 'FinCardPin.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Benchmark {
    Invoke-Build
    Install-PcscStack
    New-Item -ItemType Directory -Force -Path $ResultsDir | Out-Null
    $daemon = Start-PcscDaemon
    try {
        & $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmark/Measure-FinCardPin.ps1') `
            -ModulePath (Join-Path $ModuleDir 'FinCardPin.psd1') -CardHost (Get-VirtualCardHost) -Pwsh $Pwsh
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
    finally {
        Stop-PcscDaemon $daemon
    }
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
