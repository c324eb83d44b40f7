<#
.SYNOPSIS
    Win32 app install command: copies the FinCardPin module (the folder next to this script) where both 64-bit and
    32-bit Windows PowerShell find it. Intune runs remediation scripts in 32-bit PowerShell unless told otherwise,
    and a 32-bit PowerShell reads "Program Files (x86)", not "Program Files".

.EXAMPLE
    Install command:   %SystemRoot%\Sysnative\WindowsPowerShell\v1.0\powershell.exe -NoProfile -ExecutionPolicy Bypass -File Install-FinCardPinModule.ps1
    Uninstall command: ... -File Install-FinCardPinModule.ps1 -Uninstall
    Detection rule:    file %ProgramFiles%\WindowsPowerShell\Modules\FinCardPin\<version>\FinCardPin.psd1 exists
#>
param([switch] $Uninstall)

$ErrorActionPreference = 'Stop'
$source = Join-Path $PSScriptRoot 'FinCardPin'
$version = (Import-PowerShellDataFile (Join-Path $source 'FinCardPin.psd1')).ModuleVersion
$roots = @($env:ProgramW6432, ${env:ProgramFiles(x86)}, $env:ProgramFiles) | Where-Object { $_ } | Select-Object -Unique
foreach ($root in $roots) {
    $target = Join-Path $root "WindowsPowerShell\Modules\FinCardPin\$version"
    if ($Uninstall) {
        if (Test-Path $target) { Remove-Item $target -Recurse -Force }
        continue
    }
    New-Item -ItemType Directory -Force -Path $target | Out-Null
    Copy-Item -Path (Join-Path $source '*') -Destination $target -Recurse -Force
}
exit 0
