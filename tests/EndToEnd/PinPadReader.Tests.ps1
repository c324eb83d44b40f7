# Codes typed on a reader's keypad, through the real pcscd and Debian's own CCID driver: libccidtwin.so drives an
# emulated serial GemPC Pinpad (the virtual-card host's pinpad mode) in front of our virtual cards. Runs only in the
# PIN-pad tier (tests/EndToEnd/pinpad-tier.sh through build.ps1 Test), which gives FINCARDPIN_PINPAD_CONTROL (the
# emulator's control folder: card, keypad, reader, wire.log) and FINCARDPIN_PINPAD_READER (the reader's name).
#
# The first part talks to the reader the way any PC/SC program does (the engine's SCardControl, the PC/SC Part 10
# structures byte by byte), so it shows what libccid does with them and what the card then sees; the second part runs
# the module's cmdlets.

BeforeAll {
    if (-not $env:FINCARDPIN_MODULE) { throw 'FINCARDPIN_MODULE is not set: run the tests through build.ps1 Test.' }
    if (-not $env:FINCARDPIN_PINPAD_CONTROL -or -not $env:FINCARDPIN_PINPAD_READER) {
        throw 'FINCARDPIN_PINPAD_CONTROL / FINCARDPIN_PINPAD_READER are not set: run this suite through tests/EndToEnd/pinpad-tier.sh (build.ps1 Test).'
    }
    Import-Module $env:FINCARDPIN_MODULE -Force -Global
    # The engine and the card model are internal to the module (only what users see is public): this suite finds their
    # types in their assemblies, as TestUtilities.psm1's Get-InternalType does for the other suites.
    $script:Assemblies = @{
        'FinCardPin.VirtualCard' = [Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $env:FINCARDPIN_MODULE) 'FinCardPin.VirtualCard.dll'))
        'FinCardPin.Engine' = [Reflection.Assembly]::LoadFrom((Join-Path (Split-Path $env:FINCARDPIN_MODULE) 'FinCardPin.Engine.dll'))
    }
    function script:Get-InternalType([string] $Name) {
        $script:Assemblies[$(if ($Name -like 'FinCardPin.VirtualCard.*') { 'FinCardPin.VirtualCard' } else { 'FinCardPin.Engine' })].GetType($Name, $true)
    }
    $script:Control = $env:FINCARDPIN_PINPAD_CONTROL
    $script:Reader = $env:FINCARDPIN_PINPAD_READER
    $script:Folder = Join-Path ([IO.Path]::GetTempPath()) ('fcp-pinpad-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:Folder | Out-Null
    $script:Pcsc = (Get-InternalType FinCardPin.Engine.Interop.PcscPlatform)::Native
    $script:Pkcs15Select = [byte[]] (0x00, 0xA4, 0x04, 0x0C, 0x0C, 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35)

    function Wait-PinPadCard([bool] $Present) {
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while ([DateTime]::UtcNow -lt $deadline) {
            $reader = Get-CardReader -Name ([WildcardPattern]::Escape($script:Reader)) -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            if ($reader -and $reader.CardPresent -eq $Present) { return }
            Start-Sleep -Milliseconds 200
        }
        throw "The PIN-pad reader did not become $(if ($Present) { 'full' } else { 'empty' }) within 15 s."
    }

    # A card of its own in the keypad reader (the emulator takes it out and puts this one in at its next poll).
    function Set-PinPadCard {
        param([string] $Name, [string] $CardProfile = 'IdentityThalesV5', [string] $Serial = '9246000101', [switch] $T0,
            [string] $Pin1 = '1234', [string] $Pin2 = '123456', [string] $ActivationCode = '12345678', [string] $Variant,
            # Changes the card's state before it goes in, e.g. { $args[0].Faults.RemoveOnInstruction = '20' }.
            [scriptblock] $Edit)
        Set-Content -Path (Join-Path $script:Control 'card') -Value '' -NoNewline
        Wait-PinPadCard $false
        $path = Join-Path $script:Folder "$Name.json"
        $log = Join-Path $script:Folder "$Name.log"
        Remove-Item $path, $log -ErrorAction SilentlyContinue
        $state = (Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Activated($CardProfile, $Pin1, $Pin2, $ActivationCode, $Serial)
        if ($Variant) { $state.Variant = $Variant }
        $state.T0 = [bool] $T0
        if ($Edit) { & $Edit $state }
        $state.Save($path)
        Set-Content -Path (Join-Path $script:Control 'card') -Value "$path`n$log"
        Wait-PinPadCard $true
        [pscustomobject]@{ Path = $path; Log = $log }
    }

    # What the holder will type, one line per PIN entry (see PinPad/KeypadScript.cs).
    function Set-Keypad([string[]] $Lines) { Set-Content -Path (Join-Path $script:Control 'keypad') -Value $Lines }
    function Set-ReaderOption([string[]] $Lines) { Set-Content -Path (Join-Path $script:Control 'reader') -Value $Lines }
    function Get-WireLog { @(Get-Content (Join-Path $script:Control 'wire.log')) }
    function Get-CardLog($Card) { if (Test-Path $Card.Log) { @(Get-Content $Card.Log | Where-Object { $_ -and -not $_.StartsWith('#') }) } else { @() } }
    function Get-Tries($Card, [string] $Code) { ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($Card.Path)).$Code.TriesLeft }

    # The card's log with its power events (comment lines), to see that a session ended with the card reset.
    function Get-CardLogRaw($Card) { if (Test-Path $Card.Log) { @(Get-Content $Card.Log) } else { @() } }
    function Get-SecureCount { @(Get-WireLog | Where-Object { $_ -match ' -> Secure ' }).Count }

    # What the emulator wrote after the first $Count lines: a test reads only what its own requests put on the wire.
    function Get-WireSince([int] $Count) { @(Get-WireLog | Select-Object -Skip $Count) }

    # The commands carrying a code that reached the card after the first $Count lines of its log.
    function Get-CodeCommandSince($Card, [int] $Count) { @(Get-CardLog $Card | Select-Object -Skip $Count) -match 'redacted' }
    function Get-ErrorId($Records) { @($Records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
    function S([string] $Digits) { ConvertTo-SecureString $Digits -AsPlainText -Force }

    function ConvertTo-Bytes([string] $Hex) { [byte[]] @($Hex -split ' ' | Where-Object { $_ } | ForEach-Object { [Convert]::ToByte($_, 16) }) }
    function ConvertTo-Hex([byte[]] $Bytes) { ($Bytes | ForEach-Object { $_.ToString('X2') }) -join ' ' }

    # PIN_VERIFY_STRUCTURE (pcsc-lite reader.h; PC/SC Part 10 §2.5.2): 19-byte header + the APDU.
    function New-VerifyStructure([string] $Apdu, [byte] $Format = 0x82, [byte] $Block = 0x0C, [byte] $Min = 4, [byte] $Max = 12) {
        $apduBytes = ConvertTo-Bytes $Apdu
        $length = [BitConverter]::GetBytes([uint32] $apduBytes.Length)
        [byte[]] (@(30, 30, $Format, $Block, 0x00, $Max, $Min, 0x02, 0x01, 0x0B, 0x04, 0x00, 0x00, 0x00, 0x00) + $length + $apduBytes)
    }

    # PIN_MODIFY_STRUCTURE: 24-byte header + the APDU.
    function New-ModifyStructure([string] $Apdu, [byte] $Confirm = 0x03, [byte] $OffsetNew = 0x0C, [byte] $Min = 4, [byte] $Max = 12, [byte] $Block = 0x0C, [byte] $Messages = 0x03) {
        $apduBytes = ConvertTo-Bytes $Apdu
        $length = [BitConverter]::GetBytes([uint32] $apduBytes.Length)
        [byte[]] (@(30, 30, 0x82, $Block, 0x00, 0x00, $OffsetNew, $Max, $Min, $Confirm, 0x02, $Messages, 0x0B, 0x04, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00) + $length + $apduBytes)
    }

    # One PC/SC session as any program has it: connect, SELECT the PKCS-15 application, the reader's features
    # (GET_FEATURE_REQUEST), then SCardControl with the structure under the feature's control code. The card is reset
    # at the end: nothing stays verified.
    function Invoke-PinPadControl {
        param([byte] $Feature, [byte[]] $Structure, [Parameter()][string] $Protocol = 'Any',
            # More keypad requests in the same session, after the first: @(@{ Feature = 6; Structure = ... }, ...).
            [hashtable[]] $Then = @())
        $context = [IntPtr]::Zero
        $card = [IntPtr]::Zero
        $result = $script:Pcsc.EstablishContext('System', [ref] $context)
        if ($result -ne 'Success') { throw "SCardEstablishContext: $result" }
        try {
            $active = (Get-InternalType FinCardPin.Engine.Interop.Protocols)::Undefined
            $result = $script:Pcsc.Connect($context, $script:Reader, 'Shared', $Protocol, [ref] $card, [ref] $active)
            if ($result -ne 'Success') { throw "SCardConnect: $result" }
            $receive = [byte[]]::new(258)
            $length = $receive.Length
            $result = $script:Pcsc.Transmit($card, $active, $script:Pkcs15Select, $script:Pkcs15Select.Length, $receive, [ref] $length)
            if ($result -ne 'Success') { throw "SCardTransmit: $result" }
            $features = [byte[]]::new(256)
            $featuresLength = $features.Length
            $code = $script:Pcsc.ControlCode((Get-InternalType FinCardPin.Engine.Interop.ControlCodes)::GetFeatureRequestFunction)
            $result = $script:Pcsc.Control($card, $code, [byte[]]::new(0), 0, $features, [ref] $featuresLength)
            if ($result -ne 'Success') { throw "GET_FEATURE_REQUEST: $result" }
            $answers = foreach ($step in @(@{ Feature = $Feature; Structure = $Structure }) + $Then) {
                $control = $null
                for ($i = 0; $i + 6 -le $featuresLength; $i += 2 + $features[$i + 1]) {
                    if ($features[$i] -eq $step.Feature) {
                        $control = ([uint32] $features[$i + 2] -shl 24) -bor ([uint32] $features[$i + 3] -shl 16) -bor ([uint32] $features[$i + 4] -shl 8) -bor [uint32] $features[$i + 5]
                    }
                }
                if ($null -eq $control) { throw "The reader lists no feature $($step.Feature)." }
                $answer = [byte[]]::new(258)
                $answerLength = $answer.Length
                $result = $script:Pcsc.Control($card, [uint32] $control, $step.Structure, $step.Structure.Length, $answer, [ref] $answerLength)
                [pscustomobject]@{ Result = $result; Answer = if ($result -eq 'Success') { ConvertTo-Hex ($answer[0..($answerLength - 1)]) } else { '' } }
            }
            $answers = @($answers)
            [pscustomobject]@{
                Result   = $answers[0].Result
                Answer   = $answers[0].Answer
                Answers  = @($answers | ForEach-Object Answer)
                Protocol = $active
                Features = ConvertTo-Hex ($features[0..($featuresLength - 1)])
            }
        }
        finally {
            if ($card -ne [IntPtr]::Zero) { $script:Pcsc.Disconnect($card, 'ResetCard') | Out-Null }
            $script:Pcsc.ReleaseContext($context) | Out-Null
        }
    }
}

AfterAll {
    Set-Content -Path (Join-Path $script:Control 'card') -Value '' -NoNewline -ErrorAction SilentlyContinue
    Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'An emulated GemPC Pinpad through pcscd and libccidtwin' -Tag 'PinPad' {
    BeforeEach { Set-ReaderOption @(); Set-Keypad @() }

    Context 'the reader as programs see it' {
        BeforeAll { $script:Identity = Set-PinPadCard -Name 'reader-identity' -T0 }

        It 'is listed by Get-CardReader with the card, its ATR and serial read through the emulator' {
            $reader = Get-CardReader -Name ([WildcardPattern]::Escape($script:Reader)) -WarningAction SilentlyContinue
            $reader.Name | Should -Be $script:Reader
            $reader.CardPresent | Should -BeTrue
            $reader.CardKind | Should -Be 'IdentityCard'
            $reader.Atr | Should -Be '3B 7F 96 00 00 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00'
            $reader.CardSerial | Should -Be '9246000101'
            (Get-CardLog $script:Identity) -match '^00 A4 04 0C 0C A0 00 00 00 63' | Should -Not -BeNullOrEmpty -Because 'the card itself answered, behind the emulated reader'
        }

        It 'carries PinPad from the reader''s own answers: verify and change, 4-8 digits, USB id 08E6:3478 (GemPC Pinpad)' {
            $pad = (Get-CardReader -Name ([WildcardPattern]::Escape($script:Reader)) -WarningAction SilentlyContinue).PinPad
            $pad.Support | Should -Be 'VerifyAndChange'
            $pad.MinDigits | Should -Be 4
            $pad.MaxDigits | Should -Be 8
            $pad.UsbId | Should -Be '08E6:3478'
            Get-WireLog | Where-Object { $_ -match '-> Escape 6A$' } | Should -Not -BeNullOrEmpty -Because 'libccid asked the reader for its firmware features'
        }

        It 'negotiates T=0 for the identity card: PPS FF 10 96 and SetParameters T=0' {
            $wire = Get-WireLog
            $wire -match 'PPS FF 10 96 79 \(confirmed\)' | Should -Not -BeNullOrEmpty
            $wire -match 'SetParameters T=0 96 00 00 0A 00' | Should -Not -BeNullOrEmpty
        }

        It 'reads the status of the codes through it without spending a try' {
            $before = @(Get-CardLog $script:Identity).Count
            $status = @(Get-CardPinStatus -Reader $script:Reader -WarningAction SilentlyContinue)
            $status.Code | Should -Be @('Pin1', 'Pin2', 'ActivationCode')
            $status.TriesLeft | Should -Be @(5, 5, 5)
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It 'answers GET_FEATURE_REQUEST as libccid does for a GemPC Pinpad: VERIFY, MODIFY, PIN properties, TLV properties' {
            Set-Keypad '1234'
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00')
            $outcome.Features | Should -Be '06 04 42 33 00 06 07 04 42 33 00 07 0A 04 42 33 00 0A 12 04 42 33 00 12'
        }
    }

    Context 'VERIFY_PIN_DIRECT on an identity card (T=0, ASCII, 00-padded to 12)' {
        BeforeAll { $script:Identity = Set-PinPadCard -Name 'verify-identity' -T0 }

        It 'the right code: the card answers 9000 and spends nothing' {
            Set-Keypad '1234'
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00')
            $outcome.Result | Should -Be 'Success'
            $outcome.Protocol | Should -Be 'T0'
            $outcome.Answer | Should -Be '90 00'
            (Get-CardLog $script:Identity)[-1] | Should -Be '00 20 00 11 [code redacted] -> 90 00'
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It 'a wrong code: the card counts it (63C4)' {
            Set-Keypad '9999'
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00')
            $outcome.Answer | Should -Be '63 C4'
            Get-Tries $script:Identity 'Pin1' | Should -Be 4
            Set-Keypad '1234'
            (Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00')).Answer | Should -Be '90 00'
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It '<Name>: the reader answers <Answer> and the card sees no code' -ForEach @(
            @{ Name = 'cancelled'; Keys = 'cancel'; Answer = '64 01' }
            @{ Name = 'timed out'; Keys = 'timeout'; Answer = '64 00' }
            @{ Name = 'nothing scripted (the holder types nothing)'; Keys = $null; Answer = '64 00' }
            @{ Name = 'too short'; Keys = '12'; Answer = '64 03' }
            @{ Name = 'too long'; Keys = '1234567890123'; Answer = '64 03' }
        ) {
            if ($Keys) { Set-Keypad $Keys }
            $before = @(Get-CardLog $script:Identity).Count
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00')
            $outcome.Result | Should -Be 'Success'
            $outcome.Answer | Should -Be $Answer
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It 'shows what libccid put on the wire: bTimeOut2 and ulDataLength dropped, bNumberMessage forced to 01, validation 02' {
            Set-Keypad 'cancel'
            $structure = New-VerifyStructure '00 20 00 11 0C 00 00 00 00 00 00 00 00 00 00 00 00'
            $structure[7] = 0x03   # bEntryValidationCondition: max size reached or OK key
            $structure[8] = 0xFF   # bNumberMessage: the reader's default message
            $wire = @(Get-WireLog).Count
            (Invoke-PinPadControl -Feature 0x06 -Structure $structure).Answer | Should -Be '64 01'
            $new = Get-WireSince $wire
            $new -match 'keypad: cancelled at the code prompt$' | Should -HaveCount 1 -Because 'this request''s own outcome'
            $line = @($new -match 'secure verify:')
            $line | Should -HaveCount 1
            $line[0] | Should -Match 'bTimeOut=30 bmFormatString=82 bmPINBlockString=0C bmPINLengthFormat=00 min=4 max=12 bEntryValidationCondition=02 bNumberMessage=01 wLangId=040B bMsgIndex=00 bTeoPrologue=00 00 00 APDU=00 20 00 11 0C( 00){12}$'
        }
    }

    Context 'MODIFY_PIN_DIRECT on an identity card (current + new + confirmation, offsets 0/12)' {
        BeforeAll { $script:Identity = Set-PinPadCard -Name 'modify-identity' -T0 }

        It 'changes the code when both entries agree' {
            Set-Keypad '1234 4321 4321'
            $outcome = Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 24 00 11 18' + ' 00' * 24))
            $outcome.Answer | Should -Be '90 00'
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
            (Get-CardLog $script:Identity)[-1] | Should -Be '00 24 00 11 [code redacted] -> 90 00'
        }

        It 'a wrong confirmation: the reader answers 6402 and the card sees nothing' {
            $before = @(Get-CardLog $script:Identity).Count
            Set-Keypad '4321 5555 5556'
            $outcome = Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 24 00 11 18' + ' 00' * 24))
            $outcome.Answer | Should -Be '64 02'
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
        }

        It 'shows libccid''s Gemalto workaround on the wire: all three bMsgIndex bytes, bNumberMessage as given' {
            Set-Keypad 'cancel'
            $wire = @(Get-WireLog).Count
            (Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 24 00 11 18' + ' 00' * 24))).Answer | Should -Be '64 01'
            $new = Get-WireSince $wire
            $new -match 'keypad: cancelled at the current prompt$' | Should -HaveCount 1 -Because 'this request''s own outcome'
            $line = @($new -match 'secure modify:')
            $line | Should -HaveCount 1
            $line[0] | Should -Match 'bInsertionOffsetOld=00 bInsertionOffsetNew=0C min=4 max=12 bConfirmPIN=03 bEntryValidationCondition=02 bNumberMessage=03 wLangId=040B bMsgIndex=00 01 02 bTeoPrologue=00 00 00 APDU=00 24 00 11 18( 00){24}$'
        }

        It 'unblocks on the keypad: RESET RETRY COUNTER with the activation code and the new code twice' {
            Set-Keypad '12345678 8642 8642'
            $outcome = Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 2C 00 11 18' + ' 00' * 24))
            $outcome.Answer | Should -Be '90 00'
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '8642'
            (Get-CardLog $script:Identity)[-1] | Should -Be '00 2C 00 11 [code redacted] -> 90 00'
            Set-Keypad '8642 4321 4321'
            (Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 24 00 11 18' + ' 00' * 24))).Answer | Should -Be '90 00'
        }

        It 'a reader without PIN modification answers a CCID error: SCARD_E_NOT_TRANSACTED, the card sees nothing' {
            Set-ReaderOption 'modify=no'
            $before = @(Get-CardLog $script:Identity).Count
            Set-Keypad '4321 5555 5555'
            $outcome = Invoke-PinPadControl -Feature 0x07 -Structure (New-ModifyStructure ('00 24 00 11 18' + ' 00' * 24))
            $outcome.Result | Should -Be 'NotTransacted'
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
        }
    }

    Context 'an organisation card under T=1 (unpadded, variable length)' {
        BeforeAll { $script:Organisation = Set-PinPadCard -Name 'verify-organisation' -CardProfile 'OrganisationIdemiaIdMe' -Serial '9246000102' -Pin2 '654321' }

        It 'negotiates T=1: PPS FF 11 96, SetParameters T=1 with IFSC FE, the IFSD S-block' {
            Set-Keypad '1234'
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)
            $outcome.Protocol | Should -Be 'T1'
            $wire = Get-WireLog
            $wire -match 'PPS FF 11 96 78 \(confirmed\)' | Should -Not -BeNullOrEmpty
            $wire -match 'SetParameters T=1 96 10 00 45 00 FE 00' | Should -Not -BeNullOrEmpty
            $wire -match 'S\(IFS request\) IFSD=254' | Should -Not -BeNullOrEmpty
        }

        It 'an unpadded VERIFY with the header only: the reader sets Lc, the T=1 prologue comes in bTeoPrologue' {
            Set-Keypad '1234'
            $wire = @(Get-WireLog).Count
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)
            $outcome.Answer | Should -Be '90 00'
            (Get-CardLog $script:Organisation)[-1] | Should -Be '00 20 00 03 [code redacted] -> 90 00'
            $line = @((Get-WireSince $wire) -match 'secure verify:')
            $line | Should -HaveCount 1
            $line = $line[0]
            # libccid's own T=1 header for the template (NAD 00, PCB with its N(S), LEN 04 of the 4-byte template): the
            # reader sends the card the I-block with the LEN of the APDU it completed.
            $line | Should -Match 'bTeoPrologue=00 (00|40) 04 APDU=00 20 00 03$'
        }

        It 'unblocks in two keypad steps: the activation code as a fixed 8-digit frame, then RESET RETRY COUNTER P1=02 with the new code twice (bConfirmPIN 01)' {
            Set-Keypad '12345678', '2468 2468'
            $wire = @(Get-WireLog).Count
            $outcome = Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure ('00 20 00 12 08' + ' 00' * 8) -Block 0x08 -Min 8 -Max 8) `
                -Then @{ Feature = 0x07; Structure = (New-ModifyStructure '00 2C 02 03' -Confirm 0x01 -OffsetNew 0 -Block 0x00 -Max 8 -Messages 0x02) }
            $outcome.Answers | Should -Be @('90 00', '90 00')
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Organisation.Path)).Pin1.Value | Should -Be '2468'
            $log = @(Get-CardLog $script:Organisation)
            $log[-2] | Should -Be '00 20 00 12 [code redacted] -> 90 00'
            $log[-1] | Should -Be '00 2C 02 03 [code redacted] -> 90 00'
            # libccid sends all three bMsgIndex bytes for this Gemalto reader, bNumberMessage as the program gave it.
            $new = Get-WireSince $wire
            @($new -match 'secure verify:') | Should -HaveCount 1
            $line = @($new -match 'secure modify:')
            $line | Should -HaveCount 1
            $line[0] | Should -Match 'bConfirmPIN=01 bEntryValidationCondition=02 bNumberMessage=02 wLangId=040B bMsgIndex=00 01 02 bTeoPrologue=00 (00|40) 04 APDU=00 2C 02 03$'
            Set-Keypad '2468'
            (Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)).Answer | Should -Be '90 00'
        }

        It 'a wrong code under T=1 is counted, and the T=1 sequence stays in step afterwards' {
            # A card of its own: PIN1 1234 with all 5 tries, whatever the tests above did.
            $card = Set-PinPadCard -Name 'wrong-organisation' -CardProfile 'OrganisationIdemiaIdMe' -Serial '9246000103'
            Set-Keypad '9999'
            (Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)).Answer | Should -Be '63 C4'
            Get-Tries $card 'Pin1' | Should -Be 4
            Set-Keypad 'cancel'
            (Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)).Answer | Should -Be '64 01'
            Get-Tries $card 'Pin1' | Should -Be 4
            Set-Keypad '1234'
            (Invoke-PinPadControl -Feature 0x06 -Structure (New-VerifyStructure '00 20 00 03' -Block 0x00 -Max 8)).Answer | Should -Be '90 00'
            Get-Tries $card 'Pin1' | Should -Be 5
            Get-CodeCommandSince $card 0 | Should -Be @('00 20 00 03 [code redacted] -> 63 C4', '00 20 00 03 [code redacted] -> 90 00')
        }
    }
}

Describe 'The PIN cmdlets with -PinEntry through pcscd, libccidtwin and the emulated GemPC Pinpad' -Tag 'PinPad' {
    BeforeEach { Set-ReaderOption @(); Set-Keypad @() }

    Context 'an identity card (T=0): the 12-byte 00-padded frame' {
        BeforeAll { $script:Identity = Set-PinPadCard -Name 'cmdlets-identity' -T0 -Serial '9246000201' }

        It 'Test-CardPin -PinEntry PinPad: the right code typed on the reader, the host told which code, nothing left verified' {
            Set-Keypad '1234'
            $secure = Get-SecureCount
            $wire = @(Get-WireLog).Count
            $logged = @(Get-CardLogRaw $script:Identity).Count
            $result = Test-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -InformationVariable said -WarningAction SilentlyContinue
            $result.Verified | Should -BeTrue
            $result.TriesLeft | Should -Be 5
            Get-SecureCount | Should -Be ($secure + 1) -Because 'the code went once, as one PC_to_RDR_Secure'
            ($said | Where-Object { $_.Tags -contains 'PinPad' }).MessageData.Message | Should -Match 'keypad'
            $raw = @(Get-CardLogRaw $script:Identity | Select-Object -Skip $logged)
            @($raw -match 'redacted') | Should -Be @('00 20 00 11 [code redacted] -> 90 00')
            $verify = [array]::IndexOf($raw, '00 20 00 11 [code redacted] -> 90 00')
            $verify | Should -BeGreaterOrEqual 0
            # libccid resets a card with IccPowerOn alone: in this tier the reset shows as a new power-on after the VERIFY.
            @($raw | Select-Object -Skip ($verify + 1)) -match '^# (reset|power off|power on)$' | Should -Not -BeNullOrEmpty -Because 'the card is reset when the module is done'
            $line = @((Get-WireSince $wire) -match 'secure verify:')
            $line | Should -HaveCount 1
            $line[0] | Should -Match 'bmFormatString=82 bmPINBlockString=0C bmPINLengthFormat=00 min=4 max=8 .* APDU=00 20 00 11 0C( 00){12}$' -Because 'the 12-byte frame of the identity card, within the reader''s 4-8 digits'
        }

        It 'Test-CardPin -PinEntry PinPad: a wrong code is counted by the card' {
            Set-Keypad '9999'
            $result = Test-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -WarningAction SilentlyContinue
            $result.Verified | Should -BeFalse
            $result.TriesLeft | Should -Be 4
            Get-Tries $script:Identity 'Pin1' | Should -Be 4
            Set-Keypad '1234'
            (Test-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -WarningAction SilentlyContinue).Verified | Should -BeTrue
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It 'Test-CardPin -PinEntry PinPad, <Name>: error <Id>, no try spent, the card saw no code' -ForEach @(
            @{ Name = 'cancelled on the reader'; Keys = 'cancel'; Id = 'PinPadCancelled' }
            @{ Name = 'the reader timed out'; Keys = 'timeout'; Id = 'PinPadTimeout' }
            @{ Name = 'too short for the reader'; Keys = '12'; Id = 'PinPadLengthWrong' }
        ) {
            Set-Keypad $Keys
            $before = @(Get-CardLog $script:Identity).Count
            $result = Test-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            Get-ErrorId $failures | Should -Be @($Id)
            "$($failures[0].FullyQualifiedErrorId) $($failures[0].Exception.Message)" | Should -Match $Says
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            Get-Tries $script:Identity 'Pin1' | Should -Be 5
        }

        It 'Set-CardPin -PinEntry PinPad: current, new and confirmation typed on the reader change the code' {
            Set-Keypad '1234 4321 4321'
            Set-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -Confirm:$false -WarningAction SilentlyContinue
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
            (Get-CardLog $script:Identity) -match '^00 24 00 11 \[code redacted\] -> 90 00$' | Should -HaveCount 1
        }

        # A reader without MODIFY gets SCARD_E_NOT_TRANSACTED from libccid, which pcscd also gives for a transfer error after
        # the card had the codes: the cmdlet cannot tell them apart, so it says the outcome is unknown (and why).
        It 'Set-CardPin -PinEntry PinPad, <Name>: <Id>, the card saw no code, nothing changed' -ForEach @(
            @{ Name = 'a wrong confirmation on the reader'; Option = @(); Keys = '4321 5555 5556'; Id = 'PinPadConfirmationMismatch'; Says = 'PinPadConfirmationMismatch' }
            @{ Name = 'a reader without PIN modification'; Option = @('modify=no'); Keys = '4321 5555 5555'; Id = 'PinOutcomeUnknown'; Says = 'SCARD_E_NOT_TRANSACTED' }
        ) {
            Set-ReaderOption $Option
            Set-Keypad $Keys
            $before = @(Get-CardLog $script:Identity).Count
            Set-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Get-ErrorId $failures | Should -Be @($Id)
            "$($failures[0].FullyQualifiedErrorId) $($failures[0].Exception.Message)" | Should -Match $Says
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
        }

        It 'Set-CardPin -PinEntry PinPad -WhatIf: the reader is never asked' {
            Set-Keypad '4321 5555 5555'
            $secure = Get-SecureCount
            Set-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -WhatIf -WarningAction SilentlyContinue
            Get-SecureCount | Should -Be $secure
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '4321'
        }

        It 'Unlock-CardPin -PinEntry PinPad: the activation code and the new code twice on the reader' {
            Set-Keypad '12345678 25802580 25802580'
            Unlock-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -Confirm:$false -WarningAction SilentlyContinue
            ((Get-InternalType FinCardPin.VirtualCard.VirtualCardState)::Load($script:Identity.Path)).Pin1.Value | Should -Be '25802580'
            (Get-CardLog $script:Identity) -match '^00 2C 00 11 \[code redacted\] -> 90 00$' | Should -HaveCount 1
        }

        It '-PinEntry Auto with the code given as a parameter stays on the keyboard: no keypad request' {
            $secure = Get-SecureCount
            (Test-CardPin -Code Pin1 -Pin (S '25802580') -ReaderName $script:Reader -WarningAction SilentlyContinue).Verified | Should -BeTrue
            Get-SecureCount | Should -Be $secure
        }

        It '-PinEntry PinPad with the code given as a parameter is refused before anything is sent' {
            $before = @(Get-CardLog $script:Identity).Count
            Test-CardPin -Code Pin1 -Pin (S '25802580') -PinEntry PinPad -ReaderName $script:Reader -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Get-ErrorId $failures | Should -Be @('PinPadNotAvailable')
            Get-CodeCommandSince $script:Identity $before | Should -BeNullOrEmpty
        }
    }

    Context 'an organisation card (T=1, codes unpadded) on a fixed-length reader (GemPC Pinpad 08E6:3478)' {
        BeforeAll { $script:Organisation = Set-PinPadCard -Name 'cmdlets-organisation' -CardProfile 'OrganisationIdemiaIdMe' -Serial '9246000202' }

        It '<Cmdlet> -PinEntry PinPad is refused as PinPadNotForThisCard before any code goes out' -ForEach @(
            @{ Cmdlet = 'Test-CardPin' }
            @{ Cmdlet = 'Set-CardPin' }
            @{ Cmdlet = 'Unlock-CardPin' }
        ) {
            Set-Keypad '1234 1234 1234'
            $secure = Get-SecureCount
            $before = @(Get-CardLog $script:Organisation).Count
            $state = Get-Content -Raw $script:Organisation.Path
            $arguments = @{ Code = 'Pin1'; PinEntry = 'PinPad'; ReaderName = $script:Reader; ErrorVariable = 'failures'; ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
            if ($Cmdlet -ne 'Test-CardPin') { $arguments.Confirm = $false }
            & $Cmdlet @arguments
            Get-ErrorId $failures | Should -Be @('PinPadNotForThisCard')
            Get-SecureCount | Should -Be $secure
            Get-CodeCommandSince $script:Organisation $before | Should -BeNullOrEmpty
            Get-Content -Raw $script:Organisation.Path | Should -BeExactly $state
        }
    }

    # Last in the file: after the card vanished mid-command, pcscd (through libccidtwin) did not power the next card
    # put in this reader within 15 s, so nothing that needs the reader again may follow.
    Context 'the card misbehaving behind the keypad' {
        It 'Test-CardPin -PinEntry PinPad, the card removed when the reader sends it the VERIFY: PinOutcomeUnknown, the code sent once' {
            $card = Set-PinPadCard -Name 'cmdlets-removed' -T0 -Serial '9246000203' -Edit { $args[0].Faults.RemoveOnInstruction = '20' }
            Set-Keypad '1234', '1234'
            $secure = Get-SecureCount
            $result = Test-CardPin -Code Pin1 -PinEntry PinPad -ReaderName $script:Reader -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            Get-ErrorId $failures | Should -Be @('PinOutcomeUnknown')
            Get-CodeCommandSince $card 0 | Should -Be @('00 20 00 11 [code redacted] -> (card removed)') -Because 'a code is never sent again, whatever the card did'
            Get-SecureCount | Should -Be ($secure + 1) -Because 'the keypad was asked once'
            Get-Content (Join-Path $script:Control 'keypad') | Should -Be @('1234') -Because 'the holder typed once'
        }
    }
}
