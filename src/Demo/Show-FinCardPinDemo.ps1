#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Walks through the DVV's three PIN flows on virtual FINEID cards: check a code, change it, unblock it with the
    activation code — and the 2026 activation. No card reader and no PC/SC daemon are needed.

.DESCRIPTION
    FINCARDPIN_VIRTUAL_CARDS points the module at virtual readers holding card files that this script creates in a
    temporary folder. The demo's codes are printed on purpose: they belong to throw-away virtual cards. Never
    write a real card's codes into a script.
#>
param(
    [Parameter(Mandatory)]
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
# The virtual card's own types (to write card files); the module loads this assembly only when it needs it.
Add-Type -Path (Join-Path (Split-Path $ModulePath) 'FinCardPin.VirtualCard.dll')

function Step([string] $Text) { Write-Host ''; Write-Host "### $Text" -ForegroundColor Cyan }
function Code([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force } # demo cards only

$folder = Join-Path ([IO.Path]::GetTempPath()) ("fincardpin-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $folder | Out-Null
try {
    $identityCard = Join-Path $folder 'identity-card.json'
    $newCard = Join-Path $folder 'new-2026-card.json'
    [FinCardPin.VirtualCard.VirtualCardState]::Activated('CitizenThalesV5', '1234', '123456', '12345678', '9246001234').Save($identityCard)
    [FinCardPin.VirtualCard.VirtualCardState]::Unactivated2026('7654321', '9246005678').Save($newCard)
    $env:FINCARDPIN_VIRTUAL_CARDS = $identityCard + [IO.Path]::PathSeparator + $newCard

    Step 'Two virtual readers: an identity card in use (PIN1 1234, PIN2 123456, activation code 12345678) and a new 2026 card (activation code 7654321)'
    Get-CardReader | Format-Table -AutoSize | Out-Host

    Step 'Get-CardPinStatus: every code on every card, read without spending a try'
    Get-CardPinStatus | Out-Host

    $card = Get-CardReader -Name '*Reader 0'

    Step 'Kontrollera PIN: Test-CardPin with the right basic code, then a wrong one'
    $card | Test-CardPin -Code Basic -Pin (Code '1234') | Out-Host
    $card | Test-CardPin -Code Basic -Pin (Code '9999') | Out-Host

    Step 'Byt PIN: Set-CardPin changes the signature code (current 123456 -> new 24681357)'
    $card | Set-CardPin -Code Signature -CurrentPin (Code '123456') -NewPin (Code '24681357') -PassThru | Out-Host

    Step 'Refused before the card sees anything: a 5-digit signature code (identity cards need 6-8)'
    try { $card | Set-CardPin -Code Pin2 -CurrentPin (Code '24681357') -NewPin (Code '12345') }
    catch { Write-Host ("Error {0}: {1}" -f $_.FullyQualifiedErrorId, $_.Exception.Message) -ForegroundColor Yellow }

    Step 'Om PIN-koden är låst: five wrong signature codes block it (the last one only with -Force)'
    foreach ($try in 1..4) { $card | Test-CardPin -Code Pin2 -Pin (Code '000000') | Select-Object Code, Verified, TriesLeft | Out-Host }
    try { $card | Test-CardPin -Code Pin2 -Pin (Code '000000') }
    catch { Write-Host ("Error {0}: {1}" -f $_.FullyQualifiedErrorId, $_.Exception.Message) -ForegroundColor Yellow }
    $card | Test-CardPin -Code Pin2 -Pin (Code '000000') -Force | Out-Host
    Get-CardPinStatus -ReaderName $card.Name -Code Pin2 | Out-Host

    Step 'Frigör låst PIN: Unlock-CardPin with the activation code sets a new signature code'
    $card | Unlock-CardPin -Code Pin2 -ActivationCode (Code '12345678') -NewPin (Code '97531864') -PassThru -Confirm:$false | Out-Host

    Step 'A card issued from 13.1.2026: activate PIN1 with Set-CardPin, the activation code being the current code'
    Get-CardReader -Name '*Reader 1' | Set-CardPin -Code Pin1 -CurrentPin (Code '7654321') -NewPin (Code '2468') -PassThru | Out-Host

    Step 'For an admin script: blocked or not-activated codes on any card'
    Get-CardPinStatus | Where-Object State -ne 'Ready' | Select-Object ReaderName, CardSerial, Code, State, NextStep | Format-List | Out-Host
}
finally {
    Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction SilentlyContinue
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
