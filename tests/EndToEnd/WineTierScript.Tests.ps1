# The Wine tier's preparation (tests/Windows/wine-tier.sh prepare) only runs what it could check: debootstrap gets
# --force-check-gpg and the Debian archive keyring, and without a keyring that can check Debian 13 the step fails
# (exit 1) before anything is downloaded. debootstrap itself is a stand-in that records its arguments; the cache is a
# folder of the test's own, so the machine's chroot cache is never touched. Linux as root only (the script's own rule).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = New-TestFolder 'wine-script'
    $script:Script = Join-Path $PSScriptRoot '../Windows/wine-tier.sh'
    $script:CanRun = $IsLinux -and (& id -u) -eq '0' -and (Test-Path /usr/share/debootstrap/scripts/trixie)

    # Runs "wine-tier.sh prepare" with a stand-in debootstrap first on PATH; what it printed, its exit code, and the
    # stand-in's arguments (empty when it was never run).
    function script:Invoke-Prepare([string] $Keyring) {
        $bin = Join-Path $script:Folder 'bin'
        $cache = Join-Path $script:Folder ('cache-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $record = Join-Path $script:Folder 'debootstrap.args'
        Remove-Item $record -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Force -Path $bin | Out-Null
        Set-Content -Path (Join-Path $bin 'debootstrap') -Value "#!/bin/sh`nprintf '%s\n' `"`$@`" > '$record'`necho 'E: stand-in' >&2`nexit 1"
        & chmod +x (Join-Path $bin 'debootstrap')
        $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
        $start.ArgumentList.Add($script:Script)
        $start.ArgumentList.Add('prepare')
        $start.Environment['PATH'] = "$bin$([IO.Path]::PathSeparator)$env:PATH"
        $start.Environment['FINCARDPIN_WINE_CACHE'] = $cache
        $start.Environment['FINCARDPIN_DEBIAN_KEYRING'] = $Keyring
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw 'wine-tier.sh prepare did not end within 120 s' }
        [pscustomobject]@{
            ExitCode   = $process.ExitCode
            Output     = $stdout
            Errors     = $stderr.GetAwaiter().GetResult()
            Debootstrap = @(if (Test-Path $record) { Get-Content $record })
        }
    }
}

AfterAll {
    Remove-Item $script:Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The Wine tier checks what debootstrap downloads' {
    BeforeEach {
        if (-not $script:CanRun) { Set-ItResult -Skipped -Because 'wine-tier.sh prepares only on Linux as root, with a debootstrap that knows trixie' }
    }

    It 'runs debootstrap with --force-check-gpg and the Debian archive keyring' {
        $result = Invoke-Prepare '/usr/share/keyrings/debian-archive-keyring.gpg'

        $result.Debootstrap | Should -Contain '--force-check-gpg'
        $result.Debootstrap | Should -Contain '--keyring=/usr/share/keyrings/debian-archive-keyring.gpg'
        $result.ExitCode | Should -Be 1 -Because 'the stand-in debootstrap failed, and no signature was checked'
        $result.Output | Should -Not -Match '^(ready|skip) '
    }

    It 'fails, and downloads nothing, when the keyring is missing' {
        $result = Invoke-Prepare (Join-Path $script:Folder 'no-such-keyring.gpg')

        $result.ExitCode | Should -Be 1
        $result.Output | Should -Not -Match '^(ready|skip) '
        $result.Errors | Should -Match 'keyring .* is missing'
        $result.Debootstrap | Should -BeNullOrEmpty
    }

    It 'fails, and downloads nothing, when the keyring cannot check Debian 13' {
        $old = '/usr/share/keyrings/debian-archive-bullseye-stable.gpg'
        if (-not (Test-Path $old)) { Set-ItResult -Skipped -Because "$old (a keyring without trixie keys) is not on this machine" }
        $result = Invoke-Prepare $old

        $result.ExitCode | Should -Be 1
        $result.Errors | Should -Match 'no Debian 13 \(trixie\) key'
        $result.Debootstrap | Should -BeNullOrEmpty
    }
}
