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
# The daemon tier's vpcd reader name (FRIENDLYNAME in its reader configuration), in this one place: the tests and
# the benchmark get it as FINCARDPIN_VPCD_READER_NAME; pcsc-lite names the two slots "<name> 00 00" and "<name> 00 01".
$VpcdReaderName = 'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader]'
# vpcd's ports (its first slot's, and the second's next to it).
$VpcdPorts = 35963, 35964
$DaemonTierScript = Join-Path $Root 'tests/EndToEnd/daemon-tier.sh'
# The PIN-pad tier: its reader's FRIENDLYNAME (as pcsc-lite names a Gemalto reader, brackets and all; the tests get
# "<name> 00 00" as FINCARDPIN_PINPAD_READER), its script, and where Debian's libccid package is unpacked.
$PinPadReaderName = 'Gemalto GemPC Pinpad [GemPC Pinpad]'
$PinPadTierScript = Join-Path $Root 'tests/EndToEnd/pinpad-tier.sh'
$LibCcidDir = Join-Path $Out 'libccid'
$VpcdDriverDir = Join-Path $Out 'vpcd'
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

# vpcd's IFD handler, unpacked from Debian's vsmartcard-vpcd package into out/vpcd (see Install-PcscStack); $null
# when it is not there yet.
function Get-VpcdDriver {
    $driver = Join-Path $VpcdDriverDir 'usr/lib/pcsc/drivers/serial/libifdvpcd.so'
    if (Test-Path $driver) { return $driver }
    $null
}

function Test-PcscStackInstalled {
    $haveDaemon = [bool](Get-Command pcscd -ErrorAction SilentlyContinue) -or (Test-Path /usr/sbin/pcscd)
    # OpenSC's pkcs15-tool is the parser nobody here wrote that cross-checks the virtual cards' PKCS#15 data.
    $haveOpenSc = [bool](Get-Command pkcs15-tool -ErrorAction SilentlyContinue)
    $haveIp = [bool](Get-Command ip -ErrorAction SilentlyContinue)
    $haveDaemon -and $haveOpenSc -and $haveIp -and [bool](Get-VpcdDriver)
}

# Why the daemon tier cannot run here, or $null when it can (installed, or installable: root with apt-get).
function Get-DaemonTierBlocker {
    if (-not $IsLinux) {
        return 'it needs Linux with pcscd and the vsmartcard-vpcd driver; run it on Debian or Ubuntu.'
    }
    if ((& id -u) -ne '0') {
        return 'it needs root: it runs its own pcscd in private namespaces (unshare --net --mount --pid).'
    }
    if (-not (Test-PcscStackInstalled) -and -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        return 'it needs pcscd, opensc, iproute2 and the vsmartcard-vpcd package''s driver, and there is no apt-get to get them.'
    }
    if ((Get-Command ip -ErrorAction SilentlyContinue)) {
        $reason = (& bash $DaemonTierScript check) -join ' '
        if ($reason) { return $reason }
    }
    $null
}

# pcscd, opensc and iproute2 come from Debian's archive, installed when we may (root, apt-get). vpcd's driver is only
# unpacked from its package (apt-get download checks it against the signed archive index) into out/vpcd: installing
# vsmartcard-vpcd would put /etc/reader.conf.d/vpcd on the machine, which makes every later pcscd of the machine load
# a reader anyone reaching ports 35963/35964 can put a card into.
function Install-PcscStack {
    $blocker = Get-DaemonTierBlocker
    if ($blocker) { throw "The daemon tier cannot run here: $blocker" }
    if (Test-PcscStackInstalled) { return }
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $missing = @(
        if (-not ((Get-Command pcscd -ErrorAction SilentlyContinue) -or (Test-Path /usr/sbin/pcscd))) { 'pcscd', 'libpcsclite1' }
        if (-not (Get-Command pkcs15-tool -ErrorAction SilentlyContinue)) { 'opensc' }
        if (-not (Get-Command ip -ErrorAction SilentlyContinue)) { 'iproute2' }
    )
    $updated = $false
    if ($missing) {
        Write-Host "== Installing $($missing -join ', ') (apt-get)"
        Invoke-Native 'apt-get update' { apt-get update -qq | Out-Host }
        $updated = $true
        Invoke-Native 'apt-get install' { apt-get install -y -qq --no-install-recommends @missing | Out-Host }
    }
    if (-not (Get-VpcdDriver)) {
        Write-Host "== Unpacking vpcd's driver from vsmartcard-vpcd into $VpcdDriverDir (apt-get download; not installed)"
        $download = Join-Path $Out 'vpcd-package'
        Remove-Item $download, $VpcdDriverDir -Recurse -Force -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Force -Path $download | Out-Null
        Push-Location $download
        try {
            & apt-get download -qq -o APT::Sandbox::User=root vsmartcard-vpcd | Out-Host
            if ($LASTEXITCODE -ne 0 -and -not $updated) {
                Invoke-Native 'apt-get update' { apt-get update -qq | Out-Host }
                & apt-get download -qq -o APT::Sandbox::User=root vsmartcard-vpcd | Out-Host
            }
            if ($LASTEXITCODE -ne 0) { throw "apt-get download vsmartcard-vpcd failed (exit code $LASTEXITCODE)." }
        }
        finally { Pop-Location }
        $package = Get-ChildItem $download -Filter 'vsmartcard-vpcd_*.deb' | Select-Object -First 1
        if (-not $package) { throw "apt-get download left no vsmartcard-vpcd package in $download." }
        Invoke-Native 'dpkg-deb -x' { dpkg-deb -x $package.FullName $VpcdDriverDir | Out-Host }
        if (-not (Get-VpcdDriver)) { throw "The vsmartcard-vpcd package held no usr/lib/pcsc/drivers/serial/libifdvpcd.so." }
    }
}

# libccid's serial driver (GemPC Twin/Pinpad over a serial line), unpacked from Debian's libccid package into
# out/libccid (see Install-PinPadDriver); $null when it is not there yet.
function Get-PinPadDriver {
    $driver = Join-Path $LibCcidDir 'usr/lib/pcsc/drivers/serial/libccidtwin.so'
    if (Test-Path $driver) { return $driver }
    $null
}

# Why the PIN-pad tier cannot run here, or $null when it can: what the daemon tier needs, pseudo-terminals, and
# libccid's package (already unpacked, or apt-get to fetch it).
function Get-PinPadTierBlocker {
    $daemon = Get-DaemonTierBlocker
    if ($daemon) { return $daemon }
    if (-not (Get-PinPadDriver) -and -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        return 'it needs libccidtwin.so from Debian''s libccid package, and there is no apt-get to get it.'
    }
    if ((Get-Command ip -ErrorAction SilentlyContinue)) {
        $reason = (& bash $PinPadTierScript check) -join ' '
        if ($reason) { return $reason }
    }
    $null
}

# libccidtwin.so is only unpacked from the libccid package (apt-get download checks it against the signed archive
# index), as vpcd's driver is: the tier's pcscd loads it from out/libccid, and the machine's configuration is never
# touched.
function Install-PinPadDriver {
    if (Get-PinPadDriver) { return }
    Write-Host "== Unpacking libccidtwin.so from libccid into $LibCcidDir (apt-get download; not installed)"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $download = Join-Path $Out 'libccid-package'
    Remove-Item $download, $LibCcidDir -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $download | Out-Null
    Push-Location $download
    try {
        & apt-get download -qq -o APT::Sandbox::User=root libccid | Out-Host
        if ($LASTEXITCODE -ne 0) {
            Invoke-Native 'apt-get update' { apt-get update -qq | Out-Host }
            & apt-get download -qq -o APT::Sandbox::User=root libccid | Out-Host
        }
        if ($LASTEXITCODE -ne 0) { throw "apt-get download libccid failed (exit code $LASTEXITCODE)." }
    }
    finally { Pop-Location }
    $package = Get-ChildItem $download -Filter 'libccid_*.deb' | Select-Object -First 1
    if (-not $package) { throw "apt-get download left no libccid package in $download." }
    Invoke-Native 'dpkg-deb -x' { dpkg-deb -x $package.FullName $LibCcidDir | Out-Host }
    if (-not (Get-PinPadDriver)) { throw "The libccid package held no usr/lib/pcsc/drivers/serial/libccidtwin.so." }
}

# What of the daemon tier could stay open on the machine: vpcd entries in /etc/reader.conf.d (any file naming vpcd's
# driver) and listeners on vpcd's ports in the machine's network namespace (from /proc/net/tcp and tcp6).
function Get-OpenPcscTraces {
    $entries = @(Get-ChildItem /etc/reader.conf.d -File -ErrorAction SilentlyContinue |
        Where-Object { (Get-Content -Raw $_.FullName -ErrorAction SilentlyContinue) -match 'libifdvpcd' } |
        ForEach-Object FullName)
    $hexPorts = $VpcdPorts | ForEach-Object { $_.ToString('X4') }
    $listeners = @(foreach ($table in '/proc/net/tcp', '/proc/net/tcp6') {
            if (-not (Test-Path $table)) { continue }
            foreach ($line in Get-Content $table | Select-Object -Skip 1) {
                $fields = $line.Trim() -split '\s+'
                $port = ($fields[1] -split ':')[-1]
                if ($fields[3] -eq '0A' -and $port -in $hexPorts) { "$($fields[1]) ($table)" }
            }
        })
    [pscustomobject]@{ Entries = $entries; Listeners = $listeners }
}

# After the test command: no vpcd entry in /etc/reader.conf.d and no listener on 35963/35964 that the run left. One
# counted test: failed when the run left one, skipped (with the reason) when the same was already there before the
# run (the machine's own, e.g. an installed vsmartcard-vpcd package: not this run's to remove).
function Test-NothingLeftOpen($Before) {
    Write-Host '== Left open: vpcd entries in /etc/reader.conf.d, listeners on 35963/35964'
    if (-not $IsLinux) {
        Write-Host '   SKIPPED: Linux only (the daemon tier runs on Linux only).' -ForegroundColor Yellow
        return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 }
    }
    $after = Get-OpenPcscTraces
    $newEntries = @($after.Entries | Where-Object { $_ -notin $Before.Entries })
    $newListeners = @($after.Listeners | Where-Object { $_ -notin $Before.Listeners })
    if ($newEntries -or $newListeners) {
        foreach ($entry in $newEntries) { Write-Host "   FAILED: $entry names vpcd's driver and appeared during the run" -ForegroundColor Red }
        foreach ($listener in $newListeners) { Write-Host "   FAILED: a listener on $listener remains after the run" -ForegroundColor Red }
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    if ($after.Entries -or $after.Listeners) {
        $what = @($after.Entries) + @($after.Listeners | ForEach-Object { "listener $_" })
        Write-Host "   SKIPPED: already there before the run, so not this run's: $($what -join ', '). A vpcd entry in /etc/reader.conf.d (the vsmartcard-vpcd package's) makes the machine's pcscd open a reader anyone reaching 35963/35964 can put a card into: 'apt-get purge vsmartcard-vpcd' removes it." -ForegroundColor Yellow
        return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 }
    }
    Write-Host '   none'
    [pscustomobject]@{ Passed = 1; Failed = 0; Skipped = 0 }
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
function Invoke-PesterTier([ValidateSet('Daemon', 'InProcess', 'PinPad')] [string] $Name, [switch] $DiscoverOnly) {
    $broken = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; LeftOut = 0; Suites = @() }
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
    Invoke-PesterTier Daemon
}

function Invoke-PinPadTests {
    Write-Host '== Pester PIN pad (pwsh + pcscd + libccidtwin + an emulated GemPC Pinpad + virtual cards)'
    $blocker = if ($Tier -eq 'InProcess') { 'asked for -Tier InProcess.' } else { Get-PinPadTierBlocker }
    if ($blocker) {
        Write-Host "   SKIPPED the PIN-pad tier: $blocker Its tests are counted as skipped." -ForegroundColor Yellow
        return Invoke-PesterTier PinPad -DiscoverOnly
    }
    Install-PcscStack
    Install-PinPadDriver
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $counts = Invoke-PesterTier PinPad
    Write-Host ('   PIN-pad tier time: {0:N0} s (wire log: {1})' -f $watch.Elapsed.TotalSeconds, (Join-Path $ResultsDir 'pinpad-tier/pinpad/wire.log'))
    $counts
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
    $tracesBefore = if ($IsLinux) { Get-OpenPcscTraces } else { $null }
    $unit = Invoke-UnitTests
    $inProcess = try { Invoke-InProcessTests } catch { & $broken 'The in-process Pester tier' }
    $daemon = try { Invoke-DaemonTests } catch { & $broken 'The daemon Pester tier' }
    $pinPad = try { Invoke-PinPadTests } catch { & $broken 'The PIN-pad Pester tier' }
    $wine = try { Invoke-WindowsTests } catch { & $broken 'The Windows tier' }
    $leftOpen = try { Test-NothingLeftOpen $tracesBefore } catch { & $broken 'The left-open check' }
    Write-TestCounts $unit $inProcess $daemon $pinPad $wine $leftOpen
    $tiers = $unit, $inProcess, $daemon, $pinPad, $wine, $leftOpen
    $failed = [int] ($tiers | Measure-Object Failed -Sum).Sum
    $passed = [int] ($tiers | Measure-Object Passed -Sum).Sum
    $skipped = [int] ($tiers | Measure-Object Skipped -Sum).Sum
    Write-Host ("Total: {0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
    if ($failed -gt 0) { exit 1 }
}

# The counts per suite: xunit per test folder, Pester per suite file in both tiers side by side, the Wine tier, and
# xunit's coverage per assembly.
function Write-TestCounts($Unit, $InProcess, $Daemon, $PinPad, $Wine, $LeftOpen) {
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
    foreach ($suite in @($PinPad.Suites)) { Write-Host ('Pester {0,-30} {1} (PIN-pad tier: pcscd + libccidtwin)' -f $suite.Name, (& $format $suite)) }
    Write-Host ('Pester {0,-30} {1}' -f 'PIN-pad tier in all', (& $format $PinPad))
    Write-Host ('Wine   {0,-30} {1}' -f 'Windows tier', (& $format $Wine))
    Write-Host ('Check  {0,-30} {1}' -f 'nothing left open', (& $format $LeftOpen))
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
    $env:FINCARDPIN_VPCD_READER_NAME = $VpcdReaderName
    & bash $DaemonTierScript run (Get-VpcdDriver) $VpcdReaderName (Join-Path $ResultsDir 'benchmark-daemon') -- `
        $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Benchmark/Measure-FinCardPin.ps1') `
        -ModulePath (Join-Path $ModuleDir 'FinCardPin.psd1') -CardHost (Get-VirtualCardHost) -Pwsh $Pwsh
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
