#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Walks through the DVV's three PIN flows on virtual FINEID cards: check a code, change it, unblock it with the
    activation code — and the 2026 activation. No card reader and no PC/SC daemon are needed.

.DESCRIPTION
    New-VirtualCard makes the card files (in a temporary folder) and FINCARDPIN_VIRTUAL_CARDS points the module at
    virtual readers holding them. The demo's codes are printed on purpose: they belong to throw-away virtual cards. Never
    write a real card's codes into a script. The narration speaks the session's UI language ($PSUICulture: English,
    Finnish or Swedish), from the module's own texts.
#>
param(
    [Parameter(Mandatory)]
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

# The narration in the session's language: the module's texts (Demo.*), with the demo cards' codes filled in. The texts
# are internal to the module (users read them through the cmdlets only), so the demo finds them in its assembly.
$texts = [FinCardPin.CardReader].Assembly.GetType('FinCardPin.Localization.Texts', $true)
function Say([string] $Key) { $texts::Get($Key, [object[]] $args) }
function Step([string] $Key) { Write-Host ''; Write-Host "### $(Say $Key @args)" -ForegroundColor Cyan }
function Show-Failure($Record) { Write-Host (Say 'Demo.Error' 'id' $Record.FullyQualifiedErrorId 'message' $Record.Exception.Message) -ForegroundColor Yellow }
function Code([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force } # demo cards only

$folder = Join-Path ([IO.Path]::GetTempPath()) ("fincardpin-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $folder | Out-Null
try {
    $identitySerial = '9246001234'
    $newCardSerial = '9246005678'
    $identityCard = Join-Path $folder 'identity-card.json'
    $newCard = Join-Path $folder 'new-2026-card.json'
    Step 'Demo.NewCards'
    New-VirtualCard -Path $identityCard -CardKind IdentityCard -Pin1 (Code '1234') -Pin2 (Code '123456') -ActivationCode (Code '12345678') -Serial $identitySerial | Out-Host
    New-VirtualCard -Path $newCard -NotActivated -ActivationCode (Code '7654321') -Serial $newCardSerial | Out-Host
    $env:FINCARDPIN_VIRTUAL_CARDS = $identityCard + [IO.Path]::PathSeparator + $newCard

    Step 'Demo.Readers' 'pin1' '1234' 'pin2' '123456' 'activationCode' '12345678' 'newCard' '7654321'
    Get-CardReader | Format-Table -AutoSize | Out-Host

    Step 'Demo.Status'
    Get-CardPinStatus | Out-Host

    # Each card is found by its serial: reader names and their order are the platform's (pcsc-lite's or Windows'),
    # not the demo's. A card not found ends the demo rather than leave its steps showing nothing.
    $readers = @(Get-CardReader)
    $card = $readers | Where-Object CardSerial -eq $identitySerial
    $newCardReader = $readers | Where-Object CardSerial -eq $newCardSerial
    if (-not $card -or -not $newCardReader) { throw "The demo's virtual cards ($identitySerial, $newCardSerial) are not both in a reader." }

    Step 'Demo.Check'
    $card | Test-CardPin -Code Basic -Pin (Code '1234') | Out-Host
    $card | Test-CardPin -Code Basic -Pin (Code '9999') | Out-Host

    Step 'Demo.Change' 'current' '123456' 'new' '24681357'
    $card | Set-CardPin -Code Signature -CurrentPin (Code '123456') -NewPin (Code '24681357') -PassThru | Out-Host

    Step 'Demo.Refused'
    try { $card | Set-CardPin -Code Pin2 -CurrentPin (Code '24681357') -NewPin (Code '12345') }
    catch { Show-Failure $_ }

    Step 'Demo.Blocked'
    foreach ($try in 1..4) { $card | Test-CardPin -Code Pin2 -Pin (Code '000000') | Select-Object Code, Verified, TriesLeft | Out-Host }
    try { $card | Test-CardPin -Code Pin2 -Pin (Code '000000') }
    catch { Show-Failure $_ }
    $card | Test-CardPin -Code Pin2 -Pin (Code '000000') -Force | Out-Host
    Get-CardPinStatus -ReaderName $card.Name -Code Pin2 | Out-Host

    Step 'Demo.Unlock'
    $card | Unlock-CardPin -Code Pin2 -ActivationCode (Code '12345678') -NewPin (Code '97531864') -PassThru -Confirm:$false | Out-Host

    Step 'Demo.Activate2026'
    $newCardReader | Set-CardPin -Code Pin1 -CurrentPin (Code '7654321') -NewPin (Code '4826') -PassThru | Out-Host

    Step 'Demo.Guessable'
    $newCardReader | Set-CardPin -Code Pin2 -CurrentPin (Code '7654321') -NewPin (Code '123456') -WhatIf

    Step 'Demo.UseVirtualCard'
    Use-VirtualCard -Path $identityCard { Get-CardReader } | Out-Host

    Step 'Demo.AdminScript'
    Get-CardPinStatus | Where-Object State -ne 'Ready' | Select-Object ReaderName, CardSerial, Code, State, NextCommand | Format-Table -AutoSize | Out-Host

    Step 'Demo.Report'
    Get-CardPinStatus -Code Pin2 | Select-Object CardSerial, Code, State, TriesLeft | ConvertTo-Json -Compress | Out-Host
}
finally {
    Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction SilentlyContinue
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
