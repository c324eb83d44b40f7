#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Walks through the DVV's three PIN flows on virtual FINEID cards: check a code, change it, unblock it with the
    activation code — and the 2026 activation. No card reader and no PC/SC daemon are needed.

.DESCRIPTION
    New-VirtualCard makes the card files (in a temporary folder) and FINCARDPIN_VIRTUAL_CARDS points the module at
    virtual readers holding them. The demo's codes are printed on purpose: they belong to throw-away virtual cards. Never
    write a real card's codes into a script.
#>
param(
    [Parameter(Mandatory)]
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Step([string] $Text) { Write-Host ''; Write-Host "### $Text" -ForegroundColor Cyan }
function Code([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force } # demo cards only

$folder = Join-Path ([IO.Path]::GetTempPath()) ("fincardpin-demo-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $folder | Out-Null
try {
    $identityCard = Join-Path $folder 'identity-card.json'
    $newCard = Join-Path $folder 'new-2026-card.json'
    Step 'New-VirtualCard: an identity card in use, and a new card issued from 13.1.2026 (not activated yet)'
    New-VirtualCard -Path $identityCard -CardKind IdentityCard -Pin1 (Code '1234') -Pin2 (Code '123456') -ActivationCode (Code '12345678') -Serial 9246001234 | Out-Host
    New-VirtualCard -Path $newCard -NotActivated -ActivationCode (Code '7654321') -Serial 9246005678 | Out-Host
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
    Get-CardReader -Name '*Reader 1' | Set-CardPin -Code Pin1 -CurrentPin (Code '7654321') -NewPin (Code '4826') -PassThru | Out-Host

    Step 'A new code anyone would try first is written as a warning (not refused) before anything is sent'
    Get-CardReader -Name '*Reader 1' | Set-CardPin -Code Pin2 -CurrentPin (Code '7654321') -NewPin (Code '123456') -WhatIf

    Step 'Use-VirtualCard: cards for one script block only (here: just the identity card), then the real readers again'
    Use-VirtualCard -Path $identityCard { Get-CardReader } | Out-Host

    Step 'For an admin script: blocked or not-activated codes on any card'
    Get-CardPinStatus | Where-Object State -ne 'Ready' | Select-Object ReaderName, CardSerial, Code, State, NextCommand | Format-Table -AutoSize | Out-Host

    Step 'For a report: ConvertTo-Json writes the states by name, also in Windows PowerShell 5.1'
    Get-CardPinStatus -Code Pin2 | Select-Object CardSerial, Code, State, TriesLeft | ConvertTo-Json -Compress | Out-Host
}
finally {
    Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction SilentlyContinue
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}
