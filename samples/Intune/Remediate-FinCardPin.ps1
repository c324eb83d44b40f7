<#
.SYNOPSIS
    Intune Remediations remediation script: tells the signed-in user which PIN code of their FINEID card is blocked
    or not activated, and the DVV's next step for it. It changes nothing on the card and asks for no code.

.DESCRIPTION
    Reads the codes' state of every card again (it may have changed since detection), then shows the user a notice
    in the module's language for the session (English, Finnish or Swedish, every word in that one language), with a
    step the holder can take (the card reader software, or the organisation's IT; no cmdlet): a Windows toast when it
    runs as the signed-in user in Windows PowerShell, otherwise a message box through msg.exe in the console session
    only (the user at the device, never every session of a multi-user or AVD host). Set FINCARDPIN_NOTICE_FILE to write the
    notice to a file instead (for a log collector, or for testing). One summary line, the last, at most 2,048
    characters:

        FinCardPin Notified: ...           exit 0   the user was told which codes need attention and what to do
        FinCardPin NothingToDo: ...        exit 0   no code needs attention any more
        FinCardPin NotNotified: ...        exit 1   a code needs attention, but no way to tell the user worked
        FinCardPin NoReader / ServiceNotRunning / NoCard / CardBusy / ModuleMissing / Error: ...
                                           exit 0   as in the detection script: nothing to tell now

    The notice holds only the module's own texts and card serials as the module reads them (digits and capital
    letters; anything else is unknown and not shown). msg.exe gets no text on its command line but the session
    number; nothing goes to stderr on any path.
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

# The notice for the holder: the module words it (HolderNotice), every word in the session's language, one paragraph
# per code with a step the holder can take (the card reader software, or the organisation's IT). No cmdlet: the
# command is the admin's, in the detection line. No code.
function Format-Notice($Attention) {
    [FinCardPin.Localization.HolderNotice]::Text([FinCardPin.PinStatus[]] @($Attention), [cultureinfo]::CurrentUICulture)
}

# One argument as the Microsoft C runtime (and CommandLineToArgvW) splits a command line: quoted, each quote escaped,
# backslashes doubled only before a quote. The same string in Windows PowerShell 5.1 and PowerShell 7, whose own
# native argument passing differs ($PSNativeCommandArgumentPassing), so it is built here and not left to them.
function ConvertTo-CommandLineArgument([string] $Text) {
    '"' + ($Text -replace '(\\*)"', '$1$1\"' -replace '(\\+)$', '$1$1') + '"'
}

# Runs msg.exe for one session: the session number the only argument taken from outside, the message quoted by
# ConvertTo-CommandLineArgument. msg.exe's stdout and stderr are read by the process object, never by PowerShell, so
# Windows PowerShell 5.1 under $ErrorActionPreference = 'Stop' cannot turn its stderr into a terminating error.
# True when msg.exe said it delivered (exit 0) within the wait.
function Send-SessionMessage([string] $MsgPath, [int] $SessionId, [int] $Seconds, [string] $Text) {
    $start = New-Object System.Diagnostics.ProcessStartInfo
    $start.FileName = $MsgPath
    $start.Arguments = "$SessionId /TIME:$Seconds " + (ConvertTo-CommandLineArgument $Text)
    $start.UseShellExecute = $false
    $start.CreateNoWindow = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    try {
        $process = [System.Diagnostics.Process]::Start($start)
        $null = $process.StandardOutput.ReadToEndAsync()
        $null = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(30000)) {
            try { $process.Kill() } catch { }
            return $false
        }
        $process.ExitCode -eq 0
    }
    catch { $false }
}

# The session of the user at the device: as SYSTEM the console session (WTSGetActiveConsoleSessionId; none when
# nobody is signed in at the console), otherwise this process's own session. -1 when there is none.
function Get-ConsoleSessionId([bool] $IsSystem) {
    if (-not $IsSystem) { return [System.Diagnostics.Process]::GetCurrentProcess().SessionId }
    try {
        if (-not ('FinCardPinSample.Session' -as [type])) {
            Add-Type -Namespace FinCardPinSample -Name Session -MemberDefinition '[DllImport("kernel32.dll")] public static extern uint WTSGetActiveConsoleSessionId();'
        }
        $id = [FinCardPinSample.Session]::WTSGetActiveConsoleSessionId()
        if ($id -eq [uint32]::MaxValue) { return -1 }
        [int] $id
    }
    catch { -1 }
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
    $session = Get-ConsoleSessionId $isSystem
    if ((Test-Path $msg) -and $session -ge 0 -and (Send-SessionMessage $msg $session 3600 "$Title`n`n$Text")) {
        return 'message box'
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

    # Every card is read, whatever the one before it gave: a failing card is named in the summary, the others told.
    $attention = @()
    $failures = @()
    foreach ($card in $readable) {
        $statusErrors = $null
        $status = @()
        try { $status = @($card | Get-CardPinStatus -ErrorAction SilentlyContinue -ErrorVariable statusErrors) }
        catch { $statusErrors = @($_) }
        foreach ($failure in @($statusErrors)) {
            $id = Get-ErrorId $failure
            if ($id -notin 'ReaderInExclusiveUse', 'CardBusy', 'CardRemoved', 'NoCardInReader') { $failures += "${id}: $($failure.Exception.Message)" }
        }
        $attention += @($status | Where-Object { $_.State -ne 'Ready' })
    }
    if ($attention.Count -eq 0) {
        if ($failures.Count -gt 0) { Complete 'Error' ($failures -join '; ') 0 }
        Complete 'NothingToDo' 'No code needs attention now.' 0
    }

    $summary = ($attention | ForEach-Object { "card $(if ($_.CardSerial) { $_.CardSerial } else { "in reader '$($_.ReaderName)'" }) $($_.CodeName) $($_.State)" }) -join '; '
    if ($failures.Count -gt 0) { $summary += '; not read: ' + ($failures -join '; ') }
    $channel = Send-Notice ([FinCardPin.Localization.HolderNotice]::Title([cultureinfo]::CurrentUICulture)) (Format-Notice $attention)
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
