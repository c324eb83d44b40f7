<#
.SYNOPSIS
    Intune Remediations detection script: do the FINEID cards on this device have a PIN code that is blocked or not
    activated?

.DESCRIPTION
    Prints one summary line (the last and only line Intune keeps, at most 2,048 characters) that starts with an
    outcome, and exits 1 only when a code needs attention, so that the remediation runs:

        FinCardPin OK: ...                 exit 0   every code on every card is ready
        FinCardPin Attention: ...          exit 1   a PIN is blocked or not activated, or the activation code is used up
        FinCardPin NoReader: ...           exit 0   no card reader is attached
        FinCardPin ServiceNotRunning: ...  exit 0   the smart card service is not running (Windows stops it when no
                                                    reader is attached; on Linux/macOS pcscd is down)
        FinCardPin NoCard: ...             exit 0   readers, but no FINEID card in them
        FinCardPin CardBusy: ...           exit 0   the card is held by another program; its codes could not be read now
        FinCardPin ModuleMissing: ...      exit 0   the FinCardPin module is not installed for this PowerShell
        FinCardPin Error: <error id> ...   exit 0   anything else, with FinCardPin's stable error id

    Nothing goes to stderr and nothing else to stdout; no code is asked for or used (status reads spend no try).
#>
$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$ProgressPreference = 'SilentlyContinue'

function Complete([string] $Outcome, [string] $Text, [int] $ExitCode) {
    $line = "FinCardPin ${Outcome}: $Text"
    if ($line.Length -gt 2048) { $line = $line.Substring(0, 2045) + '...' }
    [Console]::Out.WriteLine($line)
    exit $ExitCode
}

function Get-ErrorId($ErrorRecord) { ($ErrorRecord.FullyQualifiedErrorId -split ',')[0] }

try {
    Import-Module FinCardPin
}
catch {
    Complete 'ModuleMissing' 'The FinCardPin module is not installed for this PowerShell (install it as a Win32 app).' 0
}

try {
    $readers = @(Get-CardReader)
    if ($readers.Count -eq 0) { Complete 'NoReader' 'No card reader is attached.' 0 }
    $cards = @($readers | Where-Object IsFineid)
    if ($cards.Count -eq 0) { Complete 'NoCard' "No FINEID card in the $($readers.Count) card reader(s)." 0 }

    $busy = @($cards | Where-Object { $_.State -eq 'Exclusive' })
    $attention = @()
    foreach ($card in @($cards | Where-Object { $_.State -ne 'Exclusive' })) {
        $statusErrors = $null
        $status = @($card | Get-CardPinStatus -ErrorAction SilentlyContinue -ErrorVariable statusErrors)
        foreach ($failure in @($statusErrors)) {
            if ((Get-ErrorId $failure) -in 'ReaderInExclusiveUse', 'CardBusy') { $busy += $card }
            elseif ((Get-ErrorId $failure) -notin 'CardRemoved', 'NoCardInReader') { Complete 'Error' "$(Get-ErrorId $failure): $($failure.Exception.Message)" 0 }
        }
        $attention += @($status | Where-Object { $_.State -ne 'Ready' })
    }

    if ($attention.Count -gt 0) {
        $parts = foreach ($code in $attention) { "card $($code.CardSerial) $($code.CodeName) $($code.State) ($($code.NextCommand))" }
        Complete 'Attention' ("$($attention.Count) code(s) need attention: " + ($parts -join '; ')) 1
    }
    if ($busy.Count -gt 0) {
        Complete 'CardBusy' "$($busy.Count) card(s) in use by another program; their codes could not be read now." 0
    }
    Complete 'OK' "$($cards.Count) card(s), every code ready." 0
}
catch {
    $id = Get-ErrorId $_
    if ($id -eq 'PcscServiceNotRunning') {
        Complete 'ServiceNotRunning' 'The smart card service is not running (on Windows it stops when no reader is attached).' 0
    }
    Complete 'Error' "${id}: $($_.Exception.Message)" 0
}
