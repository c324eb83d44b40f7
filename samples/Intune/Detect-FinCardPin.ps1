<#
.SYNOPSIS
    Intune Remediations detection script: do the FINEID cards on this device have a PIN code that is blocked or not
    activated?

.DESCRIPTION
    Checks every code of every FINEID card, whatever another card gave, and prints one summary line (the last and only
    line Intune keeps, at most 2,048 characters) that starts with an outcome and names each card with what was found
    on it. Exits 1 whenever a code needs attention or the script could not tell (an error on any card, or before it),
    so that a detection that cannot tell never says "fine":

        FinCardPin OK: ...                 exit 0   every code on every card is ready
        FinCardPin Attention: ...          exit 1   a PIN is blocked, not activated or in an unknown state, or the
                                                    activation code is used up (other cards' errors are named too)
        FinCardPin Error: <error id> ...   exit 1   a card (or the listing) failed with FinCardPin's stable error id;
                                                    the other cards are named with what was found on them
        FinCardPin NoReader: ...           exit 0   no card reader is attached
        FinCardPin ServiceNotRunning: ...  exit 0   the smart card service is not running (Windows stops it when no
                                                    reader is attached; on Linux/macOS pcscd is down)
        FinCardPin NoCard: ...             exit 0   readers, but no FINEID card in them
        FinCardPin CardBusy: ...           exit 0   a card is held by another program; its codes could not be read now,
                                                    every other card is ready
        FinCardPin ModuleMissing: ...      exit 0   the FinCardPin module is not installed for this PowerShell

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

# A card as the line names it: by its serial (digits and capital letters only: the module reads anything else as
# unknown), else by its reader.
function Get-CardLabel($Card) {
    if ($Card.CardSerial) { "card $($Card.CardSerial)" } else { "the card in reader '$($Card.Name)'" }
}

try {
    $readers = @(Get-CardReader)
    if ($readers.Count -eq 0) { Complete 'NoReader' 'No card reader is attached.' 0 }
    $cards = @($readers | Where-Object IsFineid)
    if ($cards.Count -eq 0) { Complete 'NoCard' "No FINEID card in the $($readers.Count) card reader(s)." 0 }

    # Every card is read, whatever the one before it gave; each adds one part to the line.
    $attention = @()
    $failures = @()
    $busy = 0
    $parts = foreach ($card in $cards) {
        $label = Get-CardLabel $card
        if ($card.State -eq 'Exclusive') { $busy++; "$label in use by another program"; continue }
        $statusErrors = $null
        $status = @()
        try { $status = @($card | Get-CardPinStatus -ErrorAction SilentlyContinue -ErrorVariable statusErrors) }
        catch { $statusErrors = @($_) } # a terminating error of this card alone: the next card is still read
        $cardFailures = @()
        $cardBusy = $false
        $removed = $false
        foreach ($failure in @($statusErrors)) {
            $id = Get-ErrorId $failure
            if ($id -in 'ReaderInExclusiveUse', 'CardBusy') { $cardBusy = $true }
            elseif ($id -in 'CardRemoved', 'NoCardInReader') { $removed = $true }
            else { $cardFailures += "${id}: $($failure.Exception.Message)" }
        }
        $needing = @($status | Where-Object { $_.State -ne 'Ready' })
        $attention += $needing
        $failures += $cardFailures
        if ($cardBusy) { $busy++ }
        $said = @(foreach ($code in $needing) { "$($code.CodeName) $($code.State) ($($code.NextCommand))" })
        $said += $cardFailures
        if ($cardBusy) { $said += 'in use by another program' }
        if ($removed -and $status.Count -eq 0) { $said += 'removed while it was read' }
        if ($said.Count -eq 0) { $said = @('every code ready') }
        "$label " + ($said -join ', ')
    }
    $cardsText = $parts -join '; '

    if ($attention.Count -gt 0) {
        Complete 'Attention' ("$($attention.Count) code(s) need attention: " + $cardsText) 1
    }
    if ($failures.Count -gt 0) {
        Complete 'Error' ("$(($failures[0] -split ':')[0]): could not read every card: " + $cardsText) 1
    }
    if ($busy -gt 0) {
        Complete 'CardBusy' "$busy card(s) in use by another program; their codes could not be read now: $cardsText" 0
    }
    Complete 'OK' "$($cards.Count) card(s), every code ready: $cardsText" 0
}
catch {
    $id = Get-ErrorId $_
    if ($id -eq 'PcscServiceNotRunning') {
        Complete 'ServiceNotRunning' 'The smart card service is not running (on Windows it stops when no reader is attached).' 0
    }
    Complete 'Error' "${id}: $($_.Exception.Message)" 1
}
