#!/usr/bin/env pwsh
<#
.SYNOPSIS
    FinCardPin's performance figures, each measured side by side in this one run:
      1. the time Import-Module adds to a bare pwsh start;
      2. warm Get-CardReader on two readers against the raw native calls it needs;
      3. warm Get-CardReader | Get-CardPinStatus on two cards against the same APDUs sent raw through the engine,
         back to back (as a script that loops) and one-off (as a single call);
      4. APDUs per operation against the minimum, counted in the virtual card's log.
    2 and 3 are measured in several fresh processes (-Processes), each side by side: on a small virtual machine one
    process's ratio can differ from the next one's by a quarter, as the scheduler happens to place its threads, so
    the median of the processes' ratios is printed with their range.
    The guard: the median ratio of 3, back to back, is at most 1.3x (-PipelineGuard); above it the script says so and
    exits 1. Needs pcscd with the vpcd driver running (build.ps1 Benchmark sees to it).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $CardHost,
    [Parameter(Mandatory)] [string] $Pwsh,
    # FinCardPin.Benchmark.dll: the raw side.
    [Parameter(Mandatory)] [string] $RawSide,
    [int] $StartRounds = 15,
    [int] $WarmRounds = 300,
    [int] $Processes = 5,
    [double] $PipelineGuard = 1.3,
    # Internal: measure 2 and 3 once against the cards already inserted and write the medians as JSON.
    [switch] $WarmOnly
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $sorted[[int][Math]::Floor($sorted.Count / 2)]
}

function Format-Range([double[]] $Ratios) {
    $sorted = $Ratios | Sort-Object
    '{0} processes: {1:N2}x to {2:N2}x' -f $sorted.Count, $sorted[0], $sorted[-1]
}

function Measure-Ms([scriptblock] $Block) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Block | Out-Null
    $watch.Elapsed.TotalMilliseconds
}

# The raw side: the same PC/SC calls and APDUs, from compiled code, with no cmdlet, no objects, no pipeline
# (tests/Benchmark/FinCardPin.Benchmark, built with the solution).
Add-Type -Path $RawSide

# 2 and 3 in this process, medians. Back to back: blocks of each, the module's and the raw side's in turn, each side
# first in every other block (the side that ran just before changes the next one's figures). One-off: each pipeline
# between two raw ones, so the module's worker threads have gone to sleep as they have for a single call in a script.
function Measure-Warm {
    foreach ($warm in 1..100) { Get-CardReader | Get-CardPinStatus | Out-Null; [FinCardPin.Benchmark.RawPcsc]::MedianMs(1, $true) | Out-Null }
    $readerMs = @(); $rawReaderMs = @(); $statusMs = @(); $rawStatusMs = @(); $oneOffMs = @(); $rawOneOffMs = @()
    $n = [int]($WarmRounds / 10)
    foreach ($block in 1..10) {
        foreach ($side in $(if ($block % 2) { 'module', 'raw' } else { 'raw', 'module' })) {
            if ($side -eq 'module') {
                $readerMs += foreach ($i in 1..$n) { Measure-Ms { Get-CardReader } }
                $statusMs += foreach ($i in 1..$n) { Measure-Ms { Get-CardReader | Get-CardPinStatus } }
            }
            else {
                $rawReaderMs += [FinCardPin.Benchmark.RawPcsc]::MedianMs($n, $false)
                $rawStatusMs += [FinCardPin.Benchmark.RawPcsc]::MedianMs($n, $true)
            }
        }
    }
    foreach ($i in 1..$WarmRounds) {
        $oneOffMs += Measure-Ms { Get-CardReader | Get-CardPinStatus }
        $rawOneOffMs += [FinCardPin.Benchmark.RawPcsc]::MedianMs(1, $true)
    }
    [pscustomobject]@{
        Reader = Get-Median $readerMs; RawReader = Get-Median $rawReaderMs
        Status = Get-Median $statusMs; RawStatus = Get-Median $rawStatusMs
        OneOff = Get-Median $oneOffMs; RawOneOff = Get-Median $rawOneOffMs
    }
}

if ($WarmOnly) {
    Measure-Warm | ConvertTo-Json -Compress
    return
}

# The virtual cards' types, for making the cards; the measuring processes above need none of them. The card model is
# internal to the module (only what users see is public), so its type is found in the assembly.
$cardState = [Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $ModulePath) 'FinCardPin.VirtualCard.dll')).GetType('FinCardPin.VirtualCard.VirtualCardState', $true)

$folder = Join-Path ([IO.Path]::GetTempPath()) ('fcp-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $folder | Out-Null
$hostProcess = $null
$guardFailed = $false
try {
    # 1. Import-Module against a bare start, alternating so all see the same machine load. An empty manifest shows
    #    what any first Import-Module costs in a new process, whatever the module.
    $empty = Join-Path $folder 'Empty/Empty.psd1'
    New-Item -ItemType Directory -Path (Split-Path $empty) | Out-Null
    Set-Content -Path $empty -Value "@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @(); CmdletsToExport = @() }"
    $bare = @(); $withImport = @(); $withEmpty = @()
    foreach ($round in 1..$StartRounds) {
        $bare += Measure-Ms { & $Pwsh -NoProfile -NonInteractive -Command 'exit 0' }
        $withImport += Measure-Ms { & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; exit 0" }
        $withEmpty += Measure-Ms { & $Pwsh -NoProfile -NonInteractive -Command "Import-Module '$empty'; exit 0" }
    }
    $bareMs = Get-Median $bare
    $importMs = Get-Median $withImport
    $emptyMs = Get-Median $withEmpty

    # Two identity cards behind pcscd, each with its own APDU log.
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($CardHost)
    $start.RedirectStandardInput = $true; $start.RedirectStandardOutput = $true; $start.UseShellExecute = $false
    $hostProcess = [Diagnostics.Process]::Start($start)
    $logs = @()
    foreach ($slot in 0, 1) {
        $state = Join-Path $folder "card$slot.json"
        $logs += Join-Path $folder "card$slot.log"
        $cardState::Activated('IdentityThalesV5', '1234', '123456', '12345678', "92460000$slot").Save($state)
        $hostProcess.StandardInput.WriteLine("insert $slot $state $($logs[$slot])")
        $reply = $hostProcess.StandardOutput.ReadLine()
        if ($reply -notlike 'ok*') { throw "card host: $reply" }
    }
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (@(Get-CardReader -CardPresent).Count -lt 2) {
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The two virtual cards did not appear.' }
        Start-Sleep -Milliseconds 100
    }

    # 2 and 3: warm, each in a fresh process of its own (see above).
    $runs = @(foreach ($process in 1..$Processes) {
            $json = & $Pwsh -NoProfile -NonInteractive -File $PSCommandPath -WarmOnly -ModulePath $ModulePath -CardHost $CardHost -Pwsh $Pwsh -RawSide $RawSide -WarmRounds $WarmRounds
            if ($LASTEXITCODE -ne 0) { throw "The warm measurement failed (exit code $LASTEXITCODE)." }
            $json | ConvertFrom-Json
        })
    $reader = Get-Median $runs.Reader; $rawReader = Get-Median $runs.RawReader
    $status = Get-Median $runs.Status; $rawStatus = Get-Median $runs.RawStatus
    $oneOff = Get-Median $runs.OneOff; $rawOneOff = Get-Median $runs.RawOneOff
    # Each process's own ratio of a figure to its raw counterpart (Status / RawStatus, ...).
    function Get-Ratios($Runs, [string] $Figure) { @($Runs | ForEach-Object { $_.$Figure / $_."Raw$Figure" }) }
    $readerRatios = Get-Ratios $runs 'Reader'
    $statusRatios = Get-Ratios $runs 'Status'
    $oneOffRatios = Get-Ratios $runs 'OneOff'
    $pipelineRatio = Get-Median $statusRatios

    # 4. APDUs per operation, counted in the card's own log.
    function Count-Apdus([int] $Slot, [scriptblock] $Operation) {
        $before = @(Get-Content $logs[$Slot] | Where-Object { $_ -and -not $_.StartsWith('#') }).Count
        & $Operation | Out-Null
        @(Get-Content $logs[$Slot] | Where-Object { $_ -and -not $_.StartsWith('#') }).Count - $before
    }
    # The vpcd reader's FRIENDLYNAME comes from build.ps1 ($VpcdReaderName), which wrote the reader configuration.
    if (-not $env:FINCARDPIN_VPCD_READER_NAME) { throw 'FINCARDPIN_VPCD_READER_NAME is not set: run the benchmark through build.ps1 Benchmark.' }
    $reader0 = "$env:FINCARDPIN_VPCD_READER_NAME 00 00"
    $reader1 = "$env:FINCARDPIN_VPCD_READER_NAME 00 01"
    $pin = ConvertTo-SecureString '1234' -AsPlainText -Force          # the virtual card's code
    $newPin = ConvertTo-SecureString '5678' -AsPlainText -Force

    # Reader 1 now holds an organisation card: its codes go unpadded, so its change checks the current code first.
    $hostProcess.StandardInput.WriteLine('remove 1'); $null = $hostProcess.StandardOutput.ReadLine()
    $organisation = Join-Path $folder 'organisation.json'
    $cardState::Activated('OrganisationIdemiaIdMe', '1234', '123456', '12345678', '924600009').Save($organisation)
    $hostProcess.StandardInput.WriteLine("insert 1 $organisation $($logs[1])"); $null = $hostProcess.StandardOutput.ReadLine()
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ((Get-CardReader -Name $reader1).CardKind -ne 'OrganisationOrSoteCard') {
        if ([DateTime]::UtcNow -gt $deadline) { throw 'The organisation card did not appear.' }
        Start-Sleep -Milliseconds 100
    }

    $apdus = [ordered]@{
        'Get-CardReader (per FINEID card)'         = @((Count-Apdus 0 { Get-CardReader -Name $reader0 }), 3, 'SELECT AID, SELECT EF.TokenInfo, READ BINARY (the serial)')
        'Get-CardPinStatus (one card, 3 codes)'   = @((Count-Apdus 0 { Get-CardPinStatus -ReaderName $reader0 }), 6, 'SELECT, the serial (2), one GET DATA per code')
        'Get-CardReader | Get-CardPinStatus'      = @((Count-Apdus 0 { Get-CardReader -Name $reader0 | Get-CardPinStatus }), 7, 'listing 3; status: SELECT, one GET DATA per code (the event counter spares the serial; 9 before)')
        'Test-CardPin'                            = @((Count-Apdus 0 { Test-CardPin -Code Pin1 -Pin $pin -ReaderName $reader0 }), 5, 'SELECT, serial (2), tries (last-try guard), VERIFY')
        'Set-CardPin (no -PassThru)'              = @((Count-Apdus 0 { Set-CardPin -Code Pin1 -CurrentPin $pin -NewPin $newPin -ReaderName $reader0 -Confirm:$false }), 9, 'SELECT, serial (2), the card''s PIN rules (EF.ODF + AODF: 4), tries (last-try guard), CHANGE')
        'Get-CardPinStatus, organisation card'    = @((Count-Apdus 1 { Get-CardPinStatus -ReaderName $reader1 }), 6, 'SELECT, the serial (2), one IDEMIA GET DATA per code (maximum and tries)')
        'Set-CardPin, organisation card'          = @((Count-Apdus 1 { Set-CardPin -Code Pin1 -CurrentPin $pin -NewPin $newPin -ReaderName $reader1 -Confirm:$false }), 10, 'SELECT, serial (2), PIN rules (4), tries, VERIFY of the current code (unpadded: no code nobody chose), CHANGE')
        'Test-CardPin, organisation card'         = @((Count-Apdus 1 { Test-CardPin -Code Pin1 -Pin $newPin -ReaderName $reader1 }), 9, 'SELECT, serial (2), PIN rules (4: reference and encoding rest on one source), tries, VERIFY')
        'Unlock-CardPin, organisation card'       = @((Count-Apdus 1 { Unlock-CardPin -Code Pin1 -ActivationCode (ConvertTo-SecureString '12345678' -AsPlainText -Force) -NewPin $pin -ReaderName $reader1 -Confirm:$false }), 10, 'SELECT, serial (2), PIN rules (4), activation code tries, VERIFY of the activation code, RESET RETRY COUNTER')
        'Export-CardDiagnostic, organisation'     = @((Count-Apdus 1 { Export-CardDiagnostic -Path (Join-Path $folder 'report.json') -ReaderName $reader1 }), 18, 'read-only: SELECT, 3 files read whole (6), 3 IDEMIA counters, the 3 identity GET DATAs, 5 empty VERIFYs (each command once)')
        'Invalid input (refused)'                 = @((Count-Apdus 0 { try { Set-CardPin -Code Pin1 -CurrentPin $pin -NewPin (ConvertTo-SecureString '12' -AsPlainText -Force) -ReaderName $reader0 -ErrorAction Stop } catch { } }), 0, 'nothing')
    }

    Write-Host ''
    Write-Host 'FinCardPin benchmark (medians; each ratio measured side by side, its median over fresh processes)'
    Write-Host ('  pwsh start, bare                    {0,8:N1} ms' -f $bareMs)
    Write-Host ('  pwsh start + Import-Module          {0,8:N1} ms   import adds {1:N1} ms (target < 100 ms)' -f $importMs, ($importMs - $bareMs))
    Write-Host ('  pwsh start + an empty module        {0,8:N1} ms   any first import adds {1:N1} ms' -f $emptyMs, ($emptyMs - $bareMs))
    Write-Host ('  Get-CardReader, 2 cards, warm       {0,8:N3} ms' -f $reader)
    Write-Host ('  raw native calls for the same       {0,8:N3} ms   ratio {1:N2}x (target <= 2x)   {2}' -f $rawReader, (Get-Median $readerRatios), (Format-Range $readerRatios))
    Write-Host ('  Get-CardReader | Get-CardPinStatus  {0,8:N3} ms' -f $status)
    Write-Host ('  the same calls and APDUs, raw      {0,8:N3} ms   ratio {1:N2}x (guard <= {2:N1}x)   {3}' -f $rawStatus, $pipelineRatio, $PipelineGuard, (Format-Range $statusRatios))
    Write-Host ('  the same pipeline one-off           {0,8:N3} ms' -f $oneOff)
    Write-Host ('  its raw calls, one-off              {0,8:N3} ms   ratio {1:N2}x                  {2}' -f $rawOneOff, (Get-Median $oneOffRatios), (Format-Range $oneOffRatios))
    Write-Host '  APDUs per operation (used / minimum for what it promises):'
    foreach ($entry in $apdus.GetEnumerator()) {
        Write-Host ('    {0,-38} {1,2} / {2,-2} {3}' -f $entry.Key, $entry.Value[0], $entry.Value[1], $entry.Value[2])
    }
    Write-Host '  After any command that carried a code the card is reset as the session ends (no APDU; a PC/SC disposition).'
    if ($pipelineRatio -gt $PipelineGuard) {
        Write-Host ('ABOVE THE GUARD: Get-CardReader | Get-CardPinStatus took {0:N2}x its raw calls (at most {1:N1}x).' -f $pipelineRatio, $PipelineGuard) -ForegroundColor Red
        $guardFailed = $true
    }
}
finally {
    if ($hostProcess) { $hostProcess.StandardInput.WriteLine('quit'); $hostProcess.WaitForExit(5000) | Out-Null }
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
if ($guardFailed) { exit 1 }
