@{
    RootModule           = 'FinCardPin.dll'
    # ModuleVersion, Author, CompanyName, Copyright, ReleaseNotes and the project links are stamped by build.ps1 from
    # Directory.Build.props and CHANGELOG.md into the laid-out manifest; the values here are placeholders.
    ModuleVersion        = '0.0.0'
    GUID                 = '7d3c1f52-6a0e-4f8b-9d41-2b5e8c0a9f13'
    Author               = 'stamped at build'
    CompanyName          = 'stamped at build'
    Copyright            = 'stamped at build'
    Description          = 'Check, change and unblock the PIN codes of Finnish certificate cards (FINEID identity, organisation and SOTE cards) over PC/SC: safe by default, scriptable, testable without hardware.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('FinCardPin.format.ps1xml')
    CmdletsToExport      = @('Get-CardReader', 'Get-CardPinStatus', 'Test-CardPin', 'Set-CardPin', 'Unlock-CardPin', 'New-VirtualCard', 'Use-VirtualCard', 'Export-CardDiagnostic')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('SmartCard', 'PCSC', 'FINEID', 'PIN', 'PUK', 'Finland', 'DVV', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'stamped at build'
        }
    }
}
