# New-VirtualCard and Use-VirtualCard: virtual card files from named parameters, used through the environment
# variable or for one script block only; Import-Module stays cheap (the virtual card's assembly loads on demand).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'virtual'
    Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction SilentlyContinue
}

AfterAll {
    Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS -ErrorAction SilentlyContinue
    Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-VirtualCard' {
    It 'makes an activated identity card with the given codes, tries and serial' {
        $path = Join-Path $script:Folder 'identity.json'
        $file = New-VirtualCard -Path $path -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') -ActivationCode (ConvertTo-TestSecret '28461937') `
            -Pin2TriesLeft 2 -ActivationCodeTriesLeft 4 -Serial 9246600001
        $file | Should -BeOfType 'FinCardPin.VirtualCardFile'
        $file.FullName | Should -Be $path

        $status = Use-VirtualCard -Path $path { Get-CardPinStatus }
        $status.Count | Should -Be 3
        $status | ForEach-Object { $_.CardSerial | Should -Be '9246600001'; $_.CardKind | Should -Be 'IdentityCard'; $_.State | Should -Be 'Ready' }
        $status.TriesLeft | Should -Be @(5, 2, 4)
        Use-VirtualCard -Path $path { Test-CardPin -Code Pin1 -Pin (ConvertTo-TestSecret '4826') -Quiet } | Should -BeTrue
        Use-VirtualCard -Path $path { Test-CardPin -Code Pin2 -Pin (ConvertTo-TestSecret '591738') -Quiet } | Should -BeTrue
    }

    It 'makes a card issued from 13.1.2026 (7-digit activation code) that Set-CardPin activates' {
        $path = Join-Path $script:Folder 'new-2026.json'
        New-VirtualCard -Path $path -NotActivated -ActivationCode (ConvertTo-TestSecret '7654321') | Out-Null
        Use-VirtualCard -Path $path {
            (Get-CardPinStatus -Code Pin1).State | Should -Be 'NotActivated'
            (Get-CardPinStatus -Code Pin1).TriesLeft | Should -Be 5
            Set-CardPin -Code Pin1 -CurrentPin (ConvertTo-TestSecret '7654321') -NewPin (ConvertTo-TestSecret '4826') -PassThru
        } | Select-Object -ExpandProperty State | Should -Be 'Ready'
    }

    It 'makes a card issued before 13.1.2026 (8-digit activation code) with both PINs blocked until unlocked' {
        $path = Join-Path $script:Folder 'old-unactivated.json'
        New-VirtualCard -Path $path -NotActivated -ActivationCode (ConvertTo-TestSecret '28461937') | Out-Null
        $status = Use-VirtualCard -Path $path { Get-CardPinStatus -Code Pin1, Pin2 }
        $status.State | Should -Be @('NotActivated', 'NotActivated')
        $status.TriesLeft | Should -Be @(0, 0)
        $status.NextCommand | Should -Be @('Unlock-CardPin -Code Pin1', 'Unlock-CardPin -Code Pin2')
    }

    It 'makes organisation and SOTE cards; a SOTE card takes a 4-digit PIN2, an organisation card refuses it' {
        $sote = Join-Path $script:Folder 'sote.json'
        New-VirtualCard -Path $sote -CardKind SoteCard -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '5917') -ActivationCode (ConvertTo-TestSecret '28461937') | Out-Null
        (Use-VirtualCard -Path $sote { Get-CardReader }).CardKind | Should -Be 'OrganisationOrSoteCard'
        { New-VirtualCard -Path (Join-Path $script:Folder 'org.json') -CardKind OrganisationCard -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '5917') -ActivationCode (ConvertTo-TestSecret '28461937') } |
            Should -Throw -ErrorId 'InvalidPinLength,FinCardPin.Cmdlets.NewVirtualCardCommand'
        Test-Path (Join-Path $script:Folder 'org.json') | Should -BeFalse
    }

    It 'refuses to overwrite a card file without -Force' {
        $path = Join-Path $script:Folder 'twice.json'
        $arguments = @{ Path = $path; NotActivated = $true; ActivationCode = (ConvertTo-TestSecret '7654321') }
        New-VirtualCard @arguments | Out-Null
        { New-VirtualCard @arguments } | Should -Throw -ErrorId 'VirtualCardFileExists,FinCardPin.Cmdlets.NewVirtualCardCommand'
        New-VirtualCard @arguments -Force | Should -Not -BeNullOrEmpty
    }
}

Describe 'Use-VirtualCard and FINCARDPIN_VIRTUAL_CARDS' {
    BeforeAll {
        $script:Card = Join-Path $script:Folder 'scoped.json'
        New-VirtualCard -Path $script:Card -Pin1 (ConvertTo-TestSecret '4826') -Pin2 (ConvertTo-TestSecret '591738') -ActivationCode (ConvertTo-TestSecret '28461937') -Serial 9246600009 | Out-Null
    }

    It 'shows the cards only inside the script block, and restores the variable after it (also after a failure)' {
        $env:FINCARDPIN_VIRTUAL_CARDS = 'before'
        try {
            $inside = Use-VirtualCard -Path $script:Card { $env:FINCARDPIN_VIRTUAL_CARDS; Get-CardReader }
            $inside[0] | Should -Be $script:Card
            $inside[1].Name | Should -Be ((Get-InternalType FinCardPin.VirtualCard.VirtualPcscApi)::ReaderName(0))
            $inside[1].CardSerial | Should -Be '9246600009'
            $env:FINCARDPIN_VIRTUAL_CARDS | Should -Be 'before'
            { Use-VirtualCard -Path $script:Card { throw 'inside' } } | Should -Throw '*inside*'
            $env:FINCARDPIN_VIRTUAL_CARDS | Should -Be 'before'
        }
        finally { Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS }
        Use-VirtualCard -Path $script:Card { 1 } | Out-Null
        Test-Path Env:FINCARDPIN_VIRTUAL_CARDS | Should -BeFalse
    }

    It 'takes the files piped from New-VirtualCard, and no file at all as a machine without readers' {
        $piped = Get-Item $script:Card | Use-VirtualCard -ScriptBlock { Get-CardReader }
        $piped.CardSerial | Should -Be '9246600009'
        $none = Use-VirtualCard -Path @() { Get-CardReader -ErrorVariable failures; $failures.Count }
        $none | Should -Be 0 -Because 'no reader is no output and no error'
    }

    It 'through the environment variable, also in a child process (as an admin script under test runs)' {
        $env:FINCARDPIN_VIRTUAL_CARDS = $script:Card
        try {
            $serial = pwsh -NoProfile -NonInteractive -Command "Import-Module '$env:FINCARDPIN_MODULE'; (Get-CardReader).CardSerial"
            $serial | Should -Be '9246600009'
        }
        finally { Remove-Item Env:FINCARDPIN_VIRTUAL_CARDS }
    }

    It 'Import-Module does not load the virtual card assembly; New-VirtualCard does' {
        $script = "Import-Module '$env:FINCARDPIN_MODULE'; `$null = Get-Command New-VirtualCard, Use-VirtualCard -Syntax; " +
            "[bool]([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'FinCardPin.VirtualCard' }); " +
            "`$null = New-VirtualCard -Path '$(Join-Path $script:Folder 'load.json')' -NotActivated -ActivationCode (ConvertTo-SecureString 7654321 -AsPlainText -Force); " +
            "[bool]([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'FinCardPin.VirtualCard' })"
        $loaded = pwsh -NoProfile -NonInteractive -Command $script
        $loaded | Should -Be @('False', 'True')
    }
}

Describe 'The README''s Pester example' {
    It 'passes as written, against the admin script it describes' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $example = [regex]::Match($readme, '(?ms)^# Find-BlockedPin\.ps1 \(the admin script under test\):\s+(?<script>[^\r\n]+)\r?\n(?<tests>Describe .+?)^```')
        $example.Success | Should -BeTrue
        $folder = Join-Path $script:Folder 'readme'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content (Join-Path $folder 'Find-BlockedPin.ps1') $example.Groups['script'].Value
        Set-Content (Join-Path $folder 'Find-BlockedPin.Tests.ps1') $example.Groups['tests'].Value
        $pester = (Get-Module Pester).Path -replace '\.psm1$', '.psd1'
        $modules = Split-Path (Split-Path $env:FINCARDPIN_MODULE)
        $command = "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module '$pester'; " +
            "`$r = Invoke-Pester -Path '$folder' -PassThru -Output None; '{0} {1}' -f `$r.PassedCount, `$r.FailedCount"
        $counts = pwsh -NoProfile -NonInteractive -Command $command
        $counts | Select-Object -Last 1 | Should -Be '2 0'
    }
}
