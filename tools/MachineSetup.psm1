# What the test tiers need from the machine, and only that: pcscd, opensc and iproute2 from Debian's archive (apt-get),
# vpcd's and libccid's drivers unpacked from their packages into out/, the Wine tier's chroot (tests/Windows/wine-tier.sh
# prepare), why a tier cannot run here, and the check that a run left nothing of the daemon tier open. build.ps1 imports
# it; every path is inside the repository's out/ folder, next to this folder.

Set-StrictMode -Version 3.0

$script:Root = Split-Path -Parent $PSScriptRoot
$script:Out = Join-Path $script:Root 'out'
$script:VpcdDriverDir = Join-Path $script:Out 'vpcd'
$script:LibCcidDir = Join-Path $script:Out 'libccid'
$script:DaemonTierScript = Join-Path $script:Root 'tests/EndToEnd/daemon-tier.sh'
$script:PinPadTierScript = Join-Path $script:Root 'tests/EndToEnd/pinpad-tier.sh'
$script:WineTierScript = Join-Path $script:Root 'tests/Windows/wine-tier.sh'
# vpcd's ports (its first slot's, and the second's next to it).
$script:VpcdPorts = 35963, 35964

# Runs a native command; a non-zero exit code becomes an error naming what failed.
function Invoke-Native {
    param([string] $Description, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$Description failed (exit code $LASTEXITCODE)." }
}

# vpcd's IFD handler, unpacked from Debian's vsmartcard-vpcd package into out/vpcd (see Install-PcscStack); $null
# when it is not there yet.
function Get-VpcdDriver {
    $driver = Join-Path $script:VpcdDriverDir 'usr/lib/pcsc/drivers/serial/libifdvpcd.so'
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

# Why the daemon tier cannot run here, or $null when it can (installed, or installable: root with apt-get). The tier
# script's own check (namespaces, and what else it needs) is asked once; the PIN-pad tier passes its own script.
function Get-DaemonTierBlocker([string] $TierScript = $script:DaemonTierScript) {
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
        $reason = (& bash $TierScript check) -join ' '
        if ($reason) { return $reason }
    }
    $null
}

# pcscd, opensc and iproute2 come from Debian's archive, installed when we may (root, apt-get). vpcd's driver is only
# unpacked from its package (apt-get download checks it against the signed archive index) into out/vpcd: installing
# vsmartcard-vpcd would put /etc/reader.conf.d/vpcd on the machine, which makes every later pcscd of the machine load
# a reader anyone reaching ports 35963/35964 can put a card into.
# The caller has asked Get-DaemonTierBlocker first.
function Install-PcscStack {
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
        Write-Host "== Unpacking vpcd's driver from vsmartcard-vpcd into $script:VpcdDriverDir (apt-get download; not installed)"
        Expand-DebianPackage -Package 'vsmartcard-vpcd' -Into $script:VpcdDriverDir -Updated:$updated
        if (-not (Get-VpcdDriver)) { throw "The vsmartcard-vpcd package held no usr/lib/pcsc/drivers/serial/libifdvpcd.so." }
    }
}

# A package of Debian's archive unpacked into a folder, never installed: apt-get download checks it against the signed
# archive index (after an apt-get update when the first try fails and none was made yet), dpkg-deb -x unpacks it.
function Expand-DebianPackage([string] $Package, [string] $Into, [switch] $Updated) {
    $download = "$Into-package"
    Remove-Item $download, $Into -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $download | Out-Null
    Push-Location $download
    try {
        & apt-get download -qq -o APT::Sandbox::User=root $Package | Out-Host
        if ($LASTEXITCODE -ne 0 -and -not $Updated) {
            Invoke-Native 'apt-get update' { apt-get update -qq | Out-Host }
            & apt-get download -qq -o APT::Sandbox::User=root $Package | Out-Host
        }
        if ($LASTEXITCODE -ne 0) { throw "apt-get download $Package failed (exit code $LASTEXITCODE)." }
    }
    finally { Pop-Location }
    $file = Get-ChildItem $download -Filter "$($Package)_*.deb" | Select-Object -First 1
    if (-not $file) { throw "apt-get download left no $Package package in $download." }
    Invoke-Native 'dpkg-deb -x' { dpkg-deb -x $file.FullName $Into | Out-Host }
}

# libccid's serial driver (GemPC Twin/Pinpad over a serial line), unpacked from Debian's libccid package into
# out/libccid (see Install-PinPadDriver); $null when it is not there yet.
function Get-PinPadDriver {
    $driver = Join-Path $script:LibCcidDir 'usr/lib/pcsc/drivers/serial/libccidtwin.so'
    if (Test-Path $driver) { return $driver }
    $null
}

# Why the PIN-pad tier cannot run here, or $null when it can: what the daemon tier needs, pseudo-terminals, and
# libccid's package (already unpacked, or apt-get to fetch it).
function Get-PinPadTierBlocker {
    $reason = Get-DaemonTierBlocker -TierScript $script:PinPadTierScript
    if ($reason) { return $reason }
    if (-not (Get-PinPadDriver) -and -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        return 'it needs libccidtwin.so from Debian''s libccid package, and there is no apt-get to get it.'
    }
    $null
}

# libccidtwin.so is only unpacked from the libccid package, as vpcd's driver is: the tier's pcscd loads it from
# out/libccid, and the machine's configuration is never touched.
function Install-PinPadDriver {
    if (Get-PinPadDriver) { return }
    Write-Host "== Unpacking libccidtwin.so from libccid into $script:LibCcidDir (apt-get download; not installed)"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Expand-DebianPackage -Package 'libccid' -Into $script:LibCcidDir
    if (-not (Get-PinPadDriver)) { throw "The libccid package held no usr/lib/pcsc/drivers/serial/libccidtwin.so." }
}

# The Wine tier's Debian 13 chroot with Wine 10, built once and kept in /var/cache/fincardpin-wine (wine-tier.sh
# prepare). Returns $null when it is ready, or why the tier cannot run here.
function Initialize-WineTier {
    if (-not $IsLinux) { return 'it runs on Linux only (Wine + pcscd in a Debian 13 chroot).' }
    $prepared = @(& bash $script:WineTierScript prepare)
    if ($LASTEXITCODE -ne 0) { throw "preparing the Wine chroot failed (exit code $LASTEXITCODE)." }
    $answer = if ($prepared.Count) { [string] $prepared[-1] } else { '' }
    if ($answer.StartsWith('skip ')) { return $answer.Substring(5) }
    if (-not $answer.StartsWith('ready ')) { throw "the Wine chroot preparation said '$answer'." }
    $null
}

# What of the daemon tier could stay open on the machine: vpcd entries in /etc/reader.conf.d (any file naming vpcd's
# driver) and listeners on vpcd's ports in the machine's network namespace (from /proc/net/tcp and tcp6).
function Get-OpenPcscTraces {
    $entries = @(Get-ChildItem /etc/reader.conf.d -File -ErrorAction SilentlyContinue |
        Where-Object { (Get-Content -Raw $_.FullName -ErrorAction SilentlyContinue) -match 'libifdvpcd' } |
        ForEach-Object FullName)
    $hexPorts = $script:VpcdPorts | ForEach-Object { $_.ToString('X4') }
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
        $what = @($newEntries | ForEach-Object { "$_ names vpcd's driver" }) + @($newListeners | ForEach-Object { "a listener on $_" })
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; Failures = @([pscustomobject]@{ Name = 'left open after the run'; Message = $what -join '; ' }) }
    }
    if ($after.Entries -or $after.Listeners) {
        $what = @($after.Entries) + @($after.Listeners | ForEach-Object { "listener $_" })
        Write-Host "   SKIPPED: already there before the run, so not this run's: $($what -join ', '). A vpcd entry in /etc/reader.conf.d (the vsmartcard-vpcd package's) makes the machine's pcscd open a reader anyone reaching 35963/35964 can put a card into: 'apt-get purge vsmartcard-vpcd' removes it." -ForegroundColor Yellow
        return [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 1 }
    }
    Write-Host '   none'
    [pscustomobject]@{ Passed = 1; Failed = 0; Skipped = 0 }
}

Export-ModuleMember -Function Invoke-Native, Get-VpcdDriver, Get-DaemonTierBlocker, Install-PcscStack, Get-PinPadDriver,
    Get-PinPadTierBlocker, Install-PinPadDriver, Initialize-WineTier, Get-OpenPcscTraces, Test-NothingLeftOpen
# The tier scripts' paths, for build.ps1 to run its commands in them.
Export-ModuleMember -Variable DaemonTierScript, PinPadTierScript, WineTierScript
