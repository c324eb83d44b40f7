# The README's first command (build.ps1 Demo) runs src/Demo/Show-FinCardPinDemo.ps1. Each of its steps must show what
# its title says: a step whose reader choice matches nothing writes nothing and fails nobody, which is how the 2026
# activation and the guessable-code warning once went missing with the demo still ending well.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-FinCardPin

    $demo = Join-Path $PSScriptRoot '../../src/Demo/Show-FinCardPinDemo.ps1'
    $script:Run = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-File', $demo, '-ModulePath', $env:FINCARDPIN_MODULE `
        -Environment @{ NO_COLOR = '1' } -TimeoutSeconds 120 -ThrowOnTimeout

    # The narration: each step is a line "### <title>", followed by what the step wrote.
    $texts = Get-InternalType FinCardPin.Localization.Texts
    $script:Steps = [ordered]@{}
    $current = $null
    foreach ($line in ($script:Run.Output -replace '\x1b\[[0-9;]*m', '') -split "`r?`n") {
        if ($line -like '### *') {
            $title = $line.Substring(4)
            $current = $null
            foreach ($key in 'NewCards', 'Readers', 'Status', 'Check', 'Change', 'Refused', 'Blocked', 'Unlock', 'Activate2026', 'Guessable',
                'UseVirtualCard', 'AdminScript', 'Report') {
                if ($title.StartsWith(($texts::Get("Demo.$key") -split '[{(]')[0])) { $current = $key }
            }
            if ($current) { $script:Steps[$current] = [System.Collections.Generic.List[string]]::new() }
        }
        elseif ($current -and $line.Trim()) {
            $script:Steps[$current].Add($line)
        }
    }
}

Describe 'the demo, the README''s first command' {
    It 'ends well, with nothing on the error stream' {
        $script:Run.ExitCode | Should -Be 0
        $script:Run.Errors | Should -BeNullOrEmpty
    }

    It 'narrates all 13 steps, in order' {
        @($script:Steps.Keys) | Should -Be @('NewCards', 'Readers', 'Status', 'Check', 'Change', 'Refused', 'Blocked', 'Unlock',
            'Activate2026', 'Guessable', 'UseVirtualCard', 'AdminScript', 'Report')
    }

    It 'shows something in step <_>' -ForEach @('NewCards', 'Readers', 'Status', 'Check', 'Change', 'Refused', 'Blocked', 'Unlock',
        'Activate2026', 'Guessable', 'UseVirtualCard', 'AdminScript', 'Report') {
        $script:Steps[$_].Count | Should -BeGreaterThan 0 -Because "step $_ must show what its title says"
    }

    It 'activates the 2026 card''s PIN1 with its activation code' {
        $shown = $script:Steps['Activate2026'] -join "`n"
        $shown | Should -Match '9246005678'
        $shown | Should -Match '(?m)^Pin1\s+Ready\b'
    }

    It 'warns once about the guessable code and shows the -WhatIf line' {
        $shown = $script:Steps['Guessable'] -join "`n"
        $shown | Should -Match 'What if:'
        @($script:Steps['Guessable'] | Where-Object { $_ -like 'WARNING:*' -and $_ -notmatch 'virtual test readers' }).Count | Should -Be 1
    }

    It 'leaves only the 2026 card''s PIN2 for the admin script (PIN1 activated, the identity card''s codes ready)' {
        $rows = @($script:Steps['AdminScript'] | Where-Object { $_ -match '\b9246\d{6}\b' })
        $rows.Count | Should -Be 1
        $rows[0] | Should -Match '9246005678\s+Pin2\s+NotActivated'
    }
}
