<#
    The cmdlets on Windows (PowerShell 7.6 hosted in a win-x64 process under Wine) against pcscd + vpcd + the
    virtual cards. Run by FinCardPin.WinePowerShell.exe; prints one "[pass] phase: name" or "[FAIL] phase: name: why"
    line per check. wine-tier.sh puts the stack into the phase's state first:
      cmdlets-no-service  pcscd not running (the Windows Smart Card service stopped)
      cmdlets             ps-identity.json (T=0) in '<reader> 00 00', ps-organisation.json (T=1) in '… 01'
    (<reader>: FINCARDPIN_WINE_READER_NAME, a pcsc-lite CCID reader name with brackets, from wine-tier.sh)
#>
param(
    [Parameter(Mandatory)] [string] $Phase,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Work
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

if (-not $env:FINCARDPIN_WINE_READER_NAME) { throw 'FINCARDPIN_WINE_READER_NAME is not set: run this through wine-tier.sh.' }
$IdentityReader = "$env:FINCARDPIN_WINE_READER_NAME 00 00"
$OrganisationReader = "$env:FINCARDPIN_WINE_READER_NAME 00 01"
$Identity = @{ State = Join-Path $Work 'ps-identity.json'; Log = Join-Path $Work 'ps-identity.log' }
$Organisation = @{ State = Join-Path $Work 'ps-organisation.json'; Log = Join-Path $Work 'ps-organisation.log' }

function Check([string] $Name, [scriptblock] $Body) {
    try {
        $null = & $Body
        "[pass] ${Phase}: $Name"
    }
    catch {
        "[FAIL] ${Phase}: ${Name}: $(($_.Exception.Message -replace '\s+', ' ').Trim())"
    }
}

function Expect([bool] $Condition, [string] $What) { if (-not $Condition) { throw $What } }

function S([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force }

# The one error a command gives (terminating or not), with no output beside it.
function Get-OnlyError([scriptblock] $Command) {
    $records = @()
    try {
        $output = @(& $Command 2>&1)
        $records = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $other = @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        Expect ($other.Count -eq 0) "output beside the error: $($other -join ', ')"
    }
    catch [System.Management.Automation.RuntimeException] {
        if ($_.Exception.Message -like 'output beside the error*') { throw }
        $records = @($_)
    }
    Expect ($records.Count -eq 1) "$($records.Count) errors, expected one: $($records -join ' | ')"
    $records[0]
}

# An error as the README promises it: the id first, a category, a message and what to do next.
function Assert-CmdletError($Record, [string] $Id, [string] $Cmdlet) {
    Expect ($Record.FullyQualifiedErrorId -eq "$Id,FinCardPin.Cmdlets.$Cmdlet") "error id '$($Record.FullyQualifiedErrorId)' ($($Record.Exception.Message)), expected $Id"
    Expect ($Record.CategoryInfo.Category -ne 'NotSpecified') "category NotSpecified"
    Expect (-not [string]::IsNullOrWhiteSpace($Record.Exception.Message)) 'no message'
    Expect ($null -ne $Record.ErrorDetails -and -not [string]::IsNullOrWhiteSpace($Record.ErrorDetails.RecommendedAction)) 'no recommended action'
}

function Get-CommandLines([hashtable] $Card) {
    if (-not (Test-Path $Card.Log)) { return @() }
    @(Get-Content $Card.Log | Where-Object { $_ -and -not $_.StartsWith('#') })
}

function Get-CardState([hashtable] $Card) { Get-Content -Raw $Card.State | ConvertFrom-Json }

Check 'PowerShell 7.6 runs as Windows in a win-x64 process' {
    Expect ($PSVersionTable.PSVersion.ToString() -eq '7.6.9') "PowerShell $($PSVersionTable.PSVersion)"
    Expect $IsWindows "`$IsWindows is false"
    Expect ([Environment]::Is64BitProcess) 'not a 64-bit process'
}

Check 'Import-Module loads the laid-out module with every cmdlet its manifest exports' {
    Import-Module $ModulePath -Force
    $manifest = if ($ModulePath -like '*.psd1') { $ModulePath } else { Join-Path $ModulePath 'FinCardPin.psd1' }
    $exported = @((Import-PowerShellDataFile $manifest).CmdletsToExport | Sort-Object)
    $names = @(Get-Command -Module FinCardPin | ForEach-Object Name | Sort-Object)
    Expect ($exported.Count -ge 5 -and ($names -join ',') -eq ($exported -join ',')) "cmdlets: $($names -join ', '); the manifest exports: $($exported -join ', ')"
}
if (-not (Get-Module FinCardPin)) { return }

if ($Phase -eq 'cmdlets-no-service') {
    Check 'Smart Card service stopped: Get-CardReader gives no output and no error' {
        $output = @(Get-CardReader 2>&1)
        Expect ($output.Count -eq 0) "output: $($output -join ' | ')"
    }

    Check 'Smart Card service stopped: Get-CardPinStatus says NoFineidCard, not a service failure' {
        Assert-CmdletError (Get-OnlyError { Get-CardPinStatus }) 'NoFineidCard' 'GetCardPinStatusCommand'
    }

    Check "FINCARDPIN_VIRTUAL_CARDS takes ';'-separated Windows paths" {
        $copy = Join-Path $Work 'ps-variable-card.json'
        Copy-Item $Identity.State $copy
        $env:FINCARDPIN_VIRTUAL_CARDS = "$copy;$(Join-Path $Work 'ps-variable-missing.json')"
        try {
            $readers = @(Get-CardReader)
            # The virtual readers' type is internal to the module: found in its assembly, loaded by the listing.
            $virtualPcsc = ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'FinCardPin.VirtualCard' } |
                Select-Object -First 1).GetType('FinCardPin.VirtualCard.VirtualPcscApi', $true)
            Expect ($readers.Count -eq 2) "$($readers.Count) readers"
            Expect ($readers[0].Name -eq $virtualPcsc::ReaderName(0) -and $readers[0].CardSerial -eq '3333333333') "reader 0: $($readers[0].Name) $($readers[0].CardSerial)"
            Expect ($readers[1].Name -eq $virtualPcsc::ReaderName(1) -and -not $readers[1].CardPresent) "reader 1: $($readers[1].Name) present=$($readers[1].CardPresent)"
        }
        finally {
            Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS
        }
    }
    return
}

# vpcd shows an inserted card at its next presence poll: wait (bounded) until pcscd reports both. Not a check.
$deadline = [DateTime]::UtcNow.AddSeconds(10)
while ([DateTime]::UtcNow -lt $deadline -and @(Get-CardReader -CardPresent -ErrorAction SilentlyContinue).Count -lt 2) { Start-Sleep -Milliseconds 100 }

Check 'Get-CardReader lists both cards with kind, ATR and serial' {
    $readers = @(Get-CardReader)
    Expect (($readers.Name -join '|') -eq "$IdentityReader|$OrganisationReader") "readers: $($readers.Name -join ' | ')"
    Expect ($readers[0].CardPresent -and $readers[0].CardKind -eq 'IdentityCard' -and $readers[0].CardSerial -eq '3333333333') "identity: $($readers[0].CardKind) $($readers[0].CardSerial)"
    Expect ($readers[1].CardPresent -and $readers[1].CardKind -eq 'OrganisationOrSoteCard' -and $readers[1].CardSerial -eq '4444444444') "organisation: $($readers[1].CardKind) $($readers[1].CardSerial)"
    Expect ($readers[0].Atr -match '^3B 7F 96') "identity ATR $($readers[0].Atr)"
}

Check 'Get-CardPinStatus: six codes Ready with 5 tries; no code sent' {
    $before = (Get-CommandLines $Identity).Count + (Get-CommandLines $Organisation).Count
    $status = @(Get-CardPinStatus)
    Expect ($status.Count -eq 6) "$($status.Count) status objects"
    Expect (@($status | Where-Object { $_.State -ne 'Ready' -or $_.TriesLeft -ne 5 }).Count -eq 0) "not all Ready/5: $(($status | ForEach-Object { "$($_.ReaderName) $($_.Code) $($_.State) $($_.TriesLeft)" }) -join '; ')"
    $sent = @(Get-CommandLines $Identity) + @(Get-CommandLines $Organisation)
    Expect ($sent.Count -gt $before) 'the cards received nothing'
    Expect (@($sent | Where-Object { $_ -like '*redacted*' }).Count -eq 0) 'a command with a code reached a card'
}

Check 'Test-CardPin: a wrong PIN1 costs one try (-Quiet gives $false), the right one verifies' {
    $quiet = Test-CardPin -ReaderName $IdentityReader -Code Pin1 -Pin (S '9999') -Quiet
    Expect ($quiet -eq $false) "-Quiet gave '$quiet'"
    Expect ((Get-CardState $Identity).Pin1.TriesLeft -eq 4) "card's PIN1 tries $((Get-CardState $Identity).Pin1.TriesLeft)"
    $result = Test-CardPin -ReaderName $IdentityReader -Code Basic -Pin (S '1234')
    Expect ($result.Verified) "not verified: $($result.Message)"
    Expect ((Get-CardState $Identity).Pin1.TriesLeft -eq 5) "card's PIN1 tries $((Get-CardState $Identity).Pin1.TriesLeft)"
}

Check 'Set-CardPin changes PIN2 of the identity card (T=0), -PassThru shows it Ready' {
    $status = Set-CardPin -ReaderName $IdentityReader -Code Signature -CurrentPin (S '123456') -NewPin (S '135790') -PassThru -Confirm:$false
    Expect ($status.Code -eq 'Pin2' -and $status.State -eq 'Ready' -and $status.TriesLeft -eq 5) "PassThru: $($status.Code) $($status.State) $($status.TriesLeft)"
    Expect ((Get-CardState $Identity).Pin2.Value -eq '135790') 'the card does not hold the new PIN2'
    Expect ((Test-CardPin -ReaderName $IdentityReader -Code Pin2 -Pin (S '135790') -Quiet) -eq $true) 'the new PIN2 does not verify'
}

Check 'Unlock-CardPin sets PIN1 of the organisation card (T=1) with the activation code' {
    Unlock-CardPin -ReaderName $OrganisationReader -Code Pin1 -ActivationCode (S '87654321') -NewPin (S '5678') -Confirm:$false
    $state = Get-CardState $Organisation
    Expect ($state.Pin1.Value -eq '5678' -and $state.Pin1.TriesLeft -eq 5) 'the card does not hold the new PIN1'
    Expect ((Test-CardPin -ReaderName $OrganisationReader -Code Pin1 -Pin (S '5678') -Quiet) -eq $true) 'the new PIN1 does not verify'
}

Check 'error WrongPin: Set-CardPin with a wrong current code, one try spent, nothing changed' {
    Assert-CmdletError (Get-OnlyError { Set-CardPin -ReaderName $OrganisationReader -Code Pin2 -CurrentPin (S '111111') -NewPin (S '222222') -Confirm:$false }) 'WrongPin' 'SetCardPinCommand'
    $state = Get-CardState $Organisation
    Expect ($state.Pin2.Value -eq '654321' -and $state.Pin2.TriesLeft -eq 4) "PIN2 $($state.Pin2.TriesLeft) tries"
}

Check 'error InvalidPinCharacters: refused before any APDU' {
    $before = @(Get-CommandLines $Organisation).Count
    Assert-CmdletError (Get-OnlyError { Set-CardPin -ReaderName $OrganisationReader -Code Pin1 -CurrentPin (S '5678') -NewPin (S '12a4') -Confirm:$false }) 'InvalidPinCharacters' 'SetCardPinCommand'
    Expect (@(Get-CommandLines $Organisation).Count -eq $before) 'the card received commands'
}

Check 'error MultipleFineidCards: with two cards and no -ReaderName nothing is tried' {
    $before = @(Get-CommandLines $Identity | Where-Object { $_ -like '*redacted*' }).Count
    Assert-CmdletError (Get-OnlyError { Test-CardPin -Code Pin1 -Pin (S '1234') }) 'MultipleFineidCards' 'TestCardPinCommand'
    Expect (@(Get-CommandLines $Identity | Where-Object { $_ -like '*redacted*' }).Count -eq $before) 'a code reached the card'
}

Check 'error ReaderNotFound: a reader name that does not exist' {
    Assert-CmdletError (Get-OnlyError { Test-CardPin -ReaderName 'No Such Reader 99' -Code Pin1 -Pin (S '1234') }) 'ReaderNotFound' 'TestCardPinCommand'
}

Check 'error PinPromptNotAvailable: no -Pin and a host that cannot ask' {
    Assert-CmdletError (Get-OnlyError { Test-CardPin -ReaderName $IdentityReader -Code Pin1 }) 'PinPromptNotAvailable' 'TestCardPinCommand'
}

Check 'Export-CardDiagnostic writes a Windows report of the organisation card without its serial and with no code sent' {
    $report = Join-Path $Work 'ps-report.json'
    $before = (Get-CommandLines $Organisation).Count
    $summary = Export-CardDiagnostic -Path $report -ReaderName $OrganisationReader
    Expect ($summary.PinRulesFromCard -and $summary.Redacted) "summary: rules $($summary.PinRulesFromCard), redacted $($summary.Redacted)"
    $text = Get-Content -Raw $report
    Expect ($text -match 'Windows') 'the report does not name Windows as the operating system'
    Expect ($text -notmatch '34 34 34 34 34 34 34 34 34 34') 'the serial is in the report'
    $sent = @(Get-CommandLines $Organisation | Select-Object -Skip $before)
    Expect ($sent.Count -gt 0 -and @($sent | Where-Object { $_ -like '*redacted*' }).Count -eq 0) 'a command with a code reached the card'
}

Check 'Get-CardReader | Get-CardPinStatus shows the spent try on the organisation card' {
    $pin2 = @(Get-CardReader -Name $OrganisationReader | Get-CardPinStatus -Code Pin2)
    Expect ($pin2.Count -eq 1 -and $pin2[0].TriesLeft -eq 4 -and $pin2[0].CardSerial -eq '4444444444') "status: $($pin2 | ForEach-Object { "$($_.Code) $($_.TriesLeft) $($_.CardSerial)" })"
}
