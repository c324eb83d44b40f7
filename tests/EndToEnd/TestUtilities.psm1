<#
    Shared helpers of the end-to-end suites: the module under test imported from the laid-out folder, two readers
    with our virtual cards in them, card state files, and the card's APDU log.

    The same suites run in two tiers, chosen by the runner through FINCARDPIN_TEST_TIER:
    * Daemon (the default): a real pcscd of the tier's own (daemon-tier.sh, private namespaces), its two vpcd
      readers (named from FINCARDPIN_VPCD_READER_NAME), and the virtual-card host process (FINCARDPIN_CARD_HOST)
      putting cards into them. Linux, root.
    * InProcess: the module's own in-process virtual readers (FINCARDPIN_VIRTUAL_CARDS and FINCARDPIN_VIRTUAL_APDU_LOG,
      one entry per reader), on any OS, no daemon. A card inserted or removed here is seen from the next cmdlet call
      on, never during one: what needs a second process or a card moving under a running command is tagged 'Daemon'
      and left to the daemon tier (Invoke-EndToEnd.ps1 excludes that tag in this tier).
#>

$script:Tier = if ($env:FINCARDPIN_TEST_TIER -eq 'InProcess') { 'InProcess' } else { 'Daemon' }
$script:CardHost = $null
# Every test takes these names from here (Get-VirtualReaderName, New-TestCard's Reader), never writes them out: in
# process they are the module's own virtual readers, one named as pcsc-lite names a CCID reader (brackets and all),
# one as Windows names a reader (set by Import-FinCardPin, once the card model's assembly is loaded), so every suite
# runs on names like users' own.
$script:ReaderNames = if ($script:Tier -eq 'InProcess') {
    @()
}
else {
    # The vpcd reader's FRIENDLYNAME, from its one place: build.ps1 ($VpcdReaderName), which writes the daemon tier's
    # reader configuration with it and passes it here; pcsc-lite numbers the two slots " 00 00" and " 00 01".
    if (-not $env:FINCARDPIN_VPCD_READER_NAME) {
        throw 'FINCARDPIN_VPCD_READER_NAME (the vpcd reader name) is not set: run the daemon tier through build.ps1 Test or tests/EndToEnd/daemon-tier.sh.'
    }
    @("$env:FINCARDPIN_VPCD_READER_NAME 00 00", "$env:FINCARDPIN_VPCD_READER_NAME 00 01")
}
# InProcess: what each of the two readers holds (card state file and APDU log), $null when empty.
$script:InProcessSlots = @($null, $null)

# 'Daemon' or 'InProcess'.
function Get-TestTier { $script:Tier }

# The module's own types that users never see are internal: the engine, the card model, the texts. The tests reach
# them here, as the unit tests do through InternalsVisibleTo (PowerShell's [type] names public types only): the type
# is looked up in its loaded assembly, and its public members are called as usual, e.g.
# (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($path). Never a way for the module's users.
function Get-InternalType([Parameter(Mandatory)] [string] $Name) {
    $assemblyName = switch -Wildcard ($Name) {
        'FinCardPin.VirtualCard.*' { 'FinCardPin.VirtualCard' }
        'FinCardPin.Engine.*' { 'FinCardPin.Engine' }
        default { 'FinCardPin' }
    }
    $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $assemblyName } | Select-Object -First 1
    if (-not $assembly) { throw "$assemblyName is not loaded: Import-FinCardPin first." }
    $assembly.GetType($Name, $true)
}

# An output object made as the cmdlets make it (its constructor is internal: it takes the engine's facts).
# PowerShell's ::new() is for public types and public constructors only.
function New-InternalObject([Parameter(Mandatory)] [type] $Type, [object[]] $ArgumentList = @()) {
    # Activator matches the constructor by the arguments' own types, not PowerShell's wrappers around them.
    $arguments = [object[]]::new($ArgumentList.Count)
    for ($i = 0; $i -lt $ArgumentList.Count; $i++) {
        $arguments[$i] = if ($ArgumentList[$i] -is [psobject]) { $ArgumentList[$i].psobject.BaseObject } else { $ArgumentList[$i] }
    }
    [Activator]::CreateInstance($Type, [Reflection.BindingFlags] 'Instance, Public, NonPublic', $null, $arguments, $null)
}

function Import-FinCardPin {
    if (-not $env:FINCARDPIN_MODULE) { throw 'FINCARDPIN_MODULE is not set: run the tests through build.ps1 Test.' }
    Import-Module $env:FINCARDPIN_MODULE -Force -Global
    # The card model's types, to write card state files (the module loads this assembly only when it needs it).
    Add-Type -Path (Join-Path (Split-Path $env:FINCARDPIN_MODULE) 'FinCardPin.VirtualCard.dll')
    # InProcess: two empty readers from the start, as pcscd with vpcd always lists two.
    if ($script:Tier -eq 'InProcess') {
        $script:ReaderNames = @(0, 1 | ForEach-Object { (Get-InternalType FinCardPin.VirtualCard.VirtualPcscApi)::ReaderName($_) })
        Set-InProcessReaders
    }
}

# InProcess: the two readers as the cmdlets will see them at their next call. An empty reader is a path that names no
# file (an empty entry would drop the reader and renumber the others).
function Set-InProcessReaders {
    $cards = foreach ($slot in 0, 1) {
        $held = $script:InProcessSlots[$slot]
        if ($held) { $held.Path } else { Join-Path $PSScriptRoot "no-card-in-reader-$slot.json" }
    }
    $logs = foreach ($slot in 0, 1) {
        $held = $script:InProcessSlots[$slot]
        if ($held -and $held.Log) { $held.Log } else { '' }
    }
    $separator = [string][IO.Path]::PathSeparator
    $env:FINCARDPIN_VIRTUAL_CARDS = $cards -join $separator
    $env:FINCARDPIN_VIRTUAL_APDU_LOG = $logs -join $separator
}

# Wildcard for Get-CardReader -Name matching both test readers and nothing else: their common beginning, escaped (a
# name may hold wildcard characters), and '*'.
function Get-VirtualReaderPattern {
    $first, $second = $script:ReaderNames
    $length = 0
    while ($length -lt [Math]::Min($first.Length, $second.Length) -and $first[$length] -eq $second[$length]) { $length++ }
    [WildcardPattern]::Escape($first.Substring(0, $length)) + '*'
}

# What Get-CardReader says the test readers are: a PC/SC reader (vpcd) or the module's own virtual reader.
function Get-VirtualReaderType { if ($script:Tier -eq 'InProcess') { 'FinCardPinVirtual' } else { 'CardReader' } }

# The readers a child pwsh sees are the tier's: in process, the virtual-reader variables it inherits; with the
# daemon, pcscd's readers, so a virtual-card variable a test left set is taken out.
function Set-ChildReaders([System.Diagnostics.ProcessStartInfo] $Start) {
    if ($script:Tier -eq 'InProcess') { return }
    $Start.Environment.Remove('FINCARDPIN_VIRTUAL_CARDS') | Out-Null
    $Start.Environment.Remove('FINCARDPIN_VIRTUAL_APDU_LOG') | Out-Null
}

# The start of a suite: the module imported, and a temporary folder of the suite's own for its card files and logs.
function Initialize-TestSuite([string] $Name) {
    Import-FinCardPin
    New-TestFolder $Name
}

# The end of a suite: the card host stopped (daemon tier) and the suite's folder gone.
function Complete-TestSuite([string] $Folder) {
    Stop-CardHost
    Remove-Item $Folder -Recurse -Force -ErrorAction SilentlyContinue
}

# A temporary folder of one suite's own, for its card files and logs.
function New-TestFolder([string] $Name) {
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("fcp-$Name-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $folder
}

# What every FinCardPin operation sends first: SELECT of the PKCS-15 application, then EF.TokenInfo for the serial.
# Organisation cards (IDEMIA) are read at most 0xC0 bytes at a time.
function Get-SessionStartCommands([switch] $Organisation) {
    @(
        '00 A4 04 0C 0C A0 00 00 00 63 50 4B 43 53 2D 31 35'
        '00 A4 02 0C 02 50 32'
        $(if ($Organisation) { '00 B0 00 00 C0' } else { '00 B0 00 00 00' })
    )
}

# What an operation that needs the card's own PIN rules reads once: EF.ODF, then the AODF it names (4401 on our cards).
function Get-Pkcs15ReadCommands([switch] $Organisation) {
    $read = if ($Organisation) { '00 B0 00 00 C0' } else { '00 B0 00 00 00' }
    @('00 A4 02 0C 02 50 31', $read, '00 A4 02 0C 02 44 01', $read)
}

function Get-VirtualReaderName([int] $Slot) { $script:ReaderNames[$Slot] }

# The warning every PIN cmdlet writes while virtual readers are in use (so in the in-process tier, not the daemon's):
# a test of another warning looks at the others only.
function Select-OwnWarning($Warnings) { @($Warnings | Where-Object { $_.Message -notmatch 'virtual test readers' }) }

function Start-CardHost {
    if ($script:CardHost) { return }
    if ($script:Tier -ne 'Daemon') { throw 'The virtual-card host drives vpcd readers: only tests tagged Daemon may use it.' }
    if (-not $env:FINCARDPIN_CARD_HOST -or -not (Test-Path $env:FINCARDPIN_CARD_HOST)) {
        throw "FINCARDPIN_CARD_HOST does not name the built virtual-card host ('$env:FINCARDPIN_CARD_HOST')."
    }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($env:FINCARDPIN_CARD_HOST)
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $script:CardHost = [System.Diagnostics.Process]::Start($start)
}

function Stop-CardHost {
    if (-not $script:CardHost) { return }
    try {
        $script:CardHost.StandardInput.WriteLine('quit')
        $script:CardHost.StandardInput.Close()
        if (-not $script:CardHost.WaitForExit(5000)) { $script:CardHost.Kill() }
    }
    finally {
        $script:CardHost = $null
    }
}

function Send-CardHost([string] $Command) {
    Start-CardHost
    $script:CardHost.StandardInput.WriteLine($Command)
    $script:CardHost.StandardInput.Flush()
    $reply = $script:CardHost.StandardOutput.ReadLine()
    if ($null -eq $reply) { throw "The virtual-card host ended: $($script:CardHost.StandardError.ReadToEnd())" }
    if (-not $reply.StartsWith('ok')) { throw "Virtual-card host: '$Command' -> $reply" }
    $reply
}

# Waits until pcscd reports the reader's state (cards appear 0.1-0.5 s after vpcd accepts them).
function Wait-Reader([int] $Slot, [ValidateSet('Present', 'Empty')] [string] $Expect) {
    $name = Get-VirtualReaderName $Slot
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ([DateTime]::UtcNow -lt $deadline) {
        $reader = Get-CardReader -Name $name -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        if ($reader -and (($Expect -eq 'Present') -eq $reader.CardPresent)) { return }
        Start-Sleep -Milliseconds 100
    }
    throw "Reader '$name' did not become $Expect within 10 s."
}

function New-CardFile {
    [CmdletBinding(DefaultParameterSetName = 'Activated')]
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $CardProfile = 'IdentityThalesV5',
        [string] $Serial = '1234567890',
        [Parameter(ParameterSetName = 'Activated')] [string] $Pin1 = '1234',
        [Parameter(ParameterSetName = 'Activated')] [string] $Pin2 = '123456',
        [Parameter(ParameterSetName = 'Activated')] [string] $ActivationCode = '12345678',
        [Parameter(Mandatory, ParameterSetName = 'Pre2026')] [string] $UnactivatedCode,
        [Parameter(Mandatory, ParameterSetName = 'Scheme2026')] [string] $Unactivated2026Code,
        [ValidateSet('Organisation', 'Sote')] [string] $Variant,
        [switch] $T0,
        [string] $RemoveOnInstruction
    )
    $state = switch ($PSCmdlet.ParameterSetName) {
        'Activated' { (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Activated($CardProfile, $Pin1, $Pin2, $ActivationCode, $Serial) }
        'Pre2026' { (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Pre2026Unactivated($CardProfile, $UnactivatedCode, $Serial) }
        'Scheme2026' { (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Unactivated2026($Unactivated2026Code, $Serial) }
    }
    if ($Variant) {
        $state.Variant = $Variant
        if ($Variant -eq 'Sote') { $state.Pin2.MinLength = 4 } else { $state.Pin2.MinLength = 6 }
    }
    if ($T0) { $state.T0 = $true }
    if ($RemoveOnInstruction) { $state.Faults.RemoveOnInstruction = $RemoveOnInstruction }
    $state.Save($Path)
    $Path
}

function Read-CardFile([string] $Path) { (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($Path) }

function Add-Card([int] $Slot, [string] $Path, [string] $LogPath) {
    if ($script:Tier -eq 'InProcess') {
        if ($script:InProcessSlots[$Slot]) { throw "Reader $Slot already holds a card." }
        $script:InProcessSlots[$Slot] = [pscustomobject]@{ Path = (Resolve-Path $Path).Path; Log = $LogPath }
        Set-InProcessReaders
        return
    }
    $command = "insert $Slot $Path"
    if ($LogPath) { $command += " $LogPath" }
    Send-CardHost $command | Out-Null
    Wait-Reader $Slot Present
}

function Remove-Card([int] $Slot) {
    if ($script:Tier -eq 'InProcess') {
        $script:InProcessSlots[$Slot] = $null
        Set-InProcessReaders
        return
    }
    Send-CardHost "remove $Slot" | Out-Null
    Wait-Reader $Slot Empty
}

# The command APDUs the card received (comment lines - power events - left out).
function Get-ApduLog([string] $Path) {
    if (-not (Test-Path $Path)) { return @() }
    @(Get-Content $Path | Where-Object { $_ -and -not $_.StartsWith('#') })
}

function ConvertTo-TestSecret([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force }

# ---- Helpers of the PIN suites (PinStatus, PinOperations, Secrets) ----------------------------------------------

# Writes a card state file into $Folder and puts it into reader $Slot with its own APDU log; returns where they are.
# $Card is splatted onto New-CardFile (Serial, CardProfile, Pin1, T0, Variant, UnactivatedCode, ...).
function New-TestCard([string] $Folder, [string] $Name, [int] $Slot, [hashtable] $Card = @{}, [scriptblock] $Edit) {
    $path = Join-Path $Folder "$Name.json"
    $log = Join-Path $Folder "$Name.log"
    Remove-Item $log -ErrorAction SilentlyContinue
    New-CardFile -Path $path @Card | Out-Null
    if ($Edit) { Update-CardFile $path $Edit }
    Add-Card $Slot $path $log
    [pscustomobject]@{ Slot = $Slot; Reader = (Get-VirtualReaderName $Slot); Path = $path; Log = $log }
}

# Loads a card state file, lets $Edit change the VirtualCardState ($args[0]), and saves it again.
function Update-CardFile([string] $Path, [scriptblock] $Edit) {
    $state = Read-CardFile $Path
    & $Edit $state
    $state.Save($Path)
}

# What the card has seen and holds now: the APDU log lines and the state file's exact text.
function Get-CardSnapshot($Card) {
    [pscustomobject]@{ Lines = @(Get-ApduLog $Card.Log); State = (Get-Content -Raw $Card.Path) }
}

# The command APDUs the card received since the snapshot.
function Get-ApduSince($Card, $Snapshot) { @(Get-ApduLog $Card.Log | Select-Object -Skip $Snapshot.Lines.Count) }

# The command part of log lines ("00 20 00 11 [code redacted] -> 63 C4" gives "00 20 00 11 [code redacted]").
function Get-ApduCommand([string[]] $Lines) { @($Lines | ForEach-Object { ($_ -split ' -> ')[0] }) }

# Lines of an APDU log that carried a code (VERIFY / CHANGE / RESET RETRY COUNTER with data).
function Get-PinCommand([string[]] $Lines) { @($Lines | Where-Object { $_ -match 'redacted' }) }

# The stable error ids of ErrorRecords, without the cmdlet part of FullyQualifiedErrorId.
function Get-ErrorId($Records) { @($Records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }

# The card saw nothing and holds what it held.
function Assert-Untouched($Card, $Snapshot) {
    Get-ApduSince $Card $Snapshot | Should -BeNullOrEmpty -Because 'nothing may be sent to the card'
    Get-Content -Raw $Card.Path | Should -BeExactly $Snapshot.State -Because 'the card state may not change'
}

# Exactly one ErrorRecord, with this FullyQualifiedErrorId (-Like: a wildcard) and, when given, this category.
function Assert-OneFailure($Failures, [string] $ErrorId, [string] $Category, [switch] $Like) {
    $Failures.Count | Should -Be 1
    if ($Like) { $Failures[0].FullyQualifiedErrorId | Should -BeLike $ErrorId }
    else { $Failures[0].FullyQualifiedErrorId | Should -Be $ErrorId }
    if ($Category) { $Failures[0].CategoryInfo.Category | Should -Be $Category }
}

# A status read: no command that carries a code went to the card, and its state file is as it was.
function Assert-NoCodeSent($Card, $Snapshot) {
    Get-ApduSince $Card $Snapshot | Where-Object { $_ -match 'redacted' } | Should -BeNullOrEmpty
    Get-Content -Raw $Card.Path | Should -BeExactly $Snapshot.State
}

# ---- A new pwsh, as a user or a script host starts one --------------------------------------------------------

# Runs a new pwsh with $Arguments: it sees the tier's readers (Set-ChildReaders), and $Environment on top (a $null
# value takes the variable out). Writes $InputLines to its stdin, then closes it; waits at most $TimeoutSeconds and
# kills a pwsh still running then (-ThrowOnTimeout: and throws). What it wrote, how it ended and how long it took.
function Invoke-TestPwsh {
    param(
        [string[]] $Arguments,
        [string[]] $InputLines = @(),
        [int] $TimeoutSeconds = 60,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory,
        [switch] $ThrowOnTimeout
    )
    $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
    foreach ($argument in $Arguments) { $start.ArgumentList.Add($argument) }
    Set-ChildReaders $start
    foreach ($key in $Environment.Keys) {
        if ($null -eq $Environment[$key]) { $start.Environment.Remove($key) | Out-Null }
        else { $start.Environment[$key] = $Environment[$key] }
    }
    if ($WorkingDirectory) { $start.WorkingDirectory = $WorkingDirectory }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $child = [System.Diagnostics.Process]::Start($start)
    $stdout = $child.StandardOutput.ReadToEndAsync()
    $stderr = $child.StandardError.ReadToEndAsync()
    foreach ($line in $InputLines) { $child.StandardInput.WriteLine($line) }
    $child.StandardInput.Close()
    $exited = $child.WaitForExit($TimeoutSeconds * 1000)
    if (-not $exited) {
        $child.Kill($true)
        $child.WaitForExit()
        if ($ThrowOnTimeout) { throw "pwsh did not end within $TimeoutSeconds s" }
    }
    $output = $stdout.GetAwaiter().GetResult()
    [pscustomobject]@{
        Exited   = $exited
        ExitCode = $child.ExitCode
        Seconds  = $clock.Elapsed.TotalSeconds
        Output   = $output
        Lines    = @($output -split "`r?`n" | Where-Object { $_ })
        Errors   = $stderr.GetAwaiter().GetResult()
    }
}

# $Command run in a new interactive pwsh whose host (AnsweringHost.ps1) answers each prompt with the next of $Answers
# (in $Culture when given) and reports as JSON what the cmdlet did and wrote. The child must end by itself and write
# nothing to stderr. What Invoke-TestPwsh returns, with the report parsed as Result.
function Invoke-Answering([string] $Command, [string[]] $Answers, [string] $Culture = '') {
    $arguments = '-NoProfile', '-File', (Join-Path $PSScriptRoot 'AnsweringHost.ps1'), '-Module', $env:FINCARDPIN_MODULE, '-Command', $Command
    if ($Culture) { $arguments += '-Culture', $Culture }
    $child = Invoke-TestPwsh -Arguments $arguments -InputLines $Answers -TimeoutSeconds 60
    $child.Exited | Should -BeTrue -Because "$Command must end by itself within 60 s"
    $child.Errors | Should -BeNullOrEmpty
    $child | Add-Member -NotePropertyName Result -NotePropertyValue ($child.Output | ConvertFrom-Json) -PassThru
}

# The forms a code can leak in: as typed, and as the bytes a card or a trace would carry it (ASCII hex with and
# without spaces, Base64). The code suites search everything a run shows for each of them.
function Get-CodeForm([string] $Code) {
    $bytes = [Text.Encoding]::ASCII.GetBytes($Code)
    $spaced = ($bytes | ForEach-Object { $_.ToString('X2') }) -join ' '
    [pscustomobject]@{ Form = 'digits'; Text = $Code }
    [pscustomobject]@{ Form = 'hex'; Text = $spaced }
    [pscustomobject]@{ Form = 'hex (no spaces)'; Text = $spaced -replace ' ', '' }
    [pscustomobject]@{ Form = 'base64'; Text = [Convert]::ToBase64String($bytes) }
}

# ---- Another program on the same card (OtherProgram.ps1, a process of its own) ----------------------------------

# Starts a pwsh that connects to reader $Slot through pcscd and keeps the connection; returns the process.
function Start-OtherProgram([int] $Slot) {
    $engine = Join-Path (Split-Path $env:FINCARDPIN_MODULE) 'FinCardPin.Engine.dll'
    $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'OtherProgram.ps1'), '-EnginePath', $engine, '-ReaderName', (Get-VirtualReaderName $Slot)) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $ready = Read-OtherProgramLine $process
    if ($ready -ne 'ready') { throw "The other program did not start: '$ready' $($process.StandardError.ReadToEnd())" }
    $process
}

# One line of the other program's output, waited for at most 20 s.
function Read-OtherProgramLine([System.Diagnostics.Process] $Process) {
    $read = $Process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait(20000)) { throw 'The other program did not answer within 20 s.' }
    $read.Result
}

# The status word the other program's empty VERIFY of reference $Reference gets, e.g. '90 00' or '63 C5'.
function Invoke-OtherProgramProbe([System.Diagnostics.Process] $Process, [string] $Reference) {
    $Process.StandardInput.WriteLine("probe $Reference")
    $Process.StandardInput.Flush()
    Read-OtherProgramLine $Process
}

# Sends one command ('begin', 'end') to the other program and expects 'ok'.
function Send-OtherProgram([System.Diagnostics.Process] $Process, [string] $Command) {
    $Process.StandardInput.WriteLine($Command)
    $Process.StandardInput.Flush()
    $reply = Read-OtherProgramLine $Process
    if ($reply -ne 'ok') { throw "The other program answered '$reply' to '$Command'." }
}

function Stop-OtherProgram([System.Diagnostics.Process] $Process) {
    if (-not $Process -or $Process.HasExited) { return }
    $Process.StandardInput.WriteLine('quit')
    $Process.StandardInput.Close()
    if (-not $Process.WaitForExit(10000)) { $Process.Kill() }
}

Export-ModuleMember -Function *
