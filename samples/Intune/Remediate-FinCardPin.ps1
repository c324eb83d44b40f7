<#
.SYNOPSIS
    Intune Remediations remediation script: tells the signed-in user which PIN code of their FINEID card is blocked
    or not activated, and the DVV's next step for it. It changes nothing on the card and asks for no code.

.DESCRIPTION
    Reads the codes' state again (it may have changed since detection), then shows the user a notice: a Windows
    toast when it runs as the signed-in user in Windows PowerShell, otherwise a message box through msg.exe (which
    also reaches the user's session when the script runs as SYSTEM). Set FINCARDPIN_NOTICE_FILE to write the notice
    to a file instead (for a log collector, or for testing). One summary line, the last, at most 2,048 characters:

        FinCardPin Notified: ...           exit 0   the user was told which codes need attention and what to do
        FinCardPin NothingToDo: ...        exit 0   no code needs attention any more
        FinCardPin NotNotified: ...        exit 1   a code needs attention, but no way to tell the user worked
        FinCardPin NoReader / ServiceNotRunning / NoCard / CardBusy / ModuleMissing / Error: ...
                                           exit 0   as in the detection script: nothing to tell now

    Nothing goes to stderr on any path.
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

# The notice for people: one paragraph per code, with the full advice (no code, no command line jargon beyond the
# command to run).
function Format-Notice($Attention) {
    $paragraphs = foreach ($code in $Attention) {
        $what = switch ($code.State) {
            'Blocked' { if ($code.Code -eq 'ActivationCode') { 'is used up' } else { 'is blocked' } }
            'NotActivated' { 'has not been activated yet' }
            default { 'needs checking' }
        }
        "The $($code.CodeName) of your certificate card $($code.CardSerial) $what. $($code.NextStep)"
    }
    ($paragraphs -join "`n`n") + "`n`nYour organisation's IT support can help."
}

function Send-Notice([string] $Title, [string] $Text) {
    if ($env:FINCARDPIN_NOTICE_FILE) {
        Set-Content -Path $env:FINCARDPIN_NOTICE_FILE -Value "$Title`n`n$Text" -Encoding UTF8
        return 'notice file'
    }
    $onWindows = [Environment]::OSVersion.Platform -eq 'Win32NT'
    if (-not $onWindows) { return $null }
    $isSystem = [Security.Principal.WindowsIdentity]::GetCurrent().IsSystem
    if (-not $isSystem -and $PSVersionTable.PSEdition -eq 'Desktop') {
        try {
            # Windows PowerShell 5.1 reaches the WinRT toast API directly; PowerShell 7 cannot.
            $null = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]
            $template = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)
            $texts = $template.GetElementsByTagName('text')
            $null = $texts.Item(0).AppendChild($template.CreateTextNode($Title))
            $null = $texts.Item(1).AppendChild($template.CreateTextNode($Text))
            $appId = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe'
            [Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($appId).Show([Windows.UI.Notifications.ToastNotification]::new($template))
            return 'toast'
        }
        catch { } # no toast in this session: try msg.exe
    }
    $msg = Join-Path $env:SystemRoot 'Sysnative\msg.exe'   # the 64-bit msg.exe from a 32-bit PowerShell
    if (-not (Test-Path $msg)) { $msg = Join-Path $env:SystemRoot 'System32\msg.exe' }
    if (Test-Path $msg) {
        $session = if ($isSystem) { '*' } else { $env:USERNAME }
        & $msg $session /TIME:3600 "$Title`n`n$Text" 2>$null
        if ($LASTEXITCODE -eq 0) { return 'message box' }
    }
    $null
}

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
    $readable = @($cards | Where-Object { $_.State -ne 'Exclusive' })
    if ($readable.Count -eq 0) { Complete 'CardBusy' "$($cards.Count) card(s) in use by another program; their codes could not be read now." 0 }

    $attention = @()
    foreach ($card in $readable) {
        $statusErrors = $null
        $status = @($card | Get-CardPinStatus -ErrorAction SilentlyContinue -ErrorVariable statusErrors)
        foreach ($failure in @($statusErrors)) {
            if ((Get-ErrorId $failure) -notin 'ReaderInExclusiveUse', 'CardBusy', 'CardRemoved', 'NoCardInReader') { Complete 'Error' "$(Get-ErrorId $failure): $($failure.Exception.Message)" 0 }
        }
        $attention += @($status | Where-Object { $_.State -ne 'Ready' })
    }
    if ($attention.Count -eq 0) { Complete 'NothingToDo' 'No code needs attention now.' 0 }

    $summary = ($attention | ForEach-Object { "card $($_.CardSerial) $($_.CodeName) $($_.State)" }) -join '; '
    $channel = Send-Notice 'Your certificate card needs attention' (Format-Notice $attention)
    if ($channel) { Complete 'Notified' "told the user by $channel about $($attention.Count) code(s): $summary" 0 }
    Complete 'NotNotified' "no way to reach the signed-in user; $($attention.Count) code(s) need attention: $summary" 1
}
catch {
    $id = Get-ErrorId $_
    if ($id -eq 'PcscServiceNotRunning') {
        Complete 'ServiceNotRunning' 'The smart card service is not running (on Windows it stops when no reader is attached).' 0
    }
    Complete 'Error' "${id}: $($_.Exception.Message)" 0
}
