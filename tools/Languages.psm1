<#
    The module's languages, named in one place only: NeutralLanguage and SatelliteResourceLanguages in
    src/FinCardPin/FinCardPin.csproj. build.ps1 lays out the satellite assemblies and the help folders from here, the
    Pester suites run in each language from here (the unit tests read the same list from FinCardPin.dll).
#>

$script:Project = Join-Path $PSScriptRoot '../src/FinCardPin/FinCardPin.csproj'

# The languages as the project names them, the neutral one (English) first: en, fi, sv. -Translations: all but English.
function Get-ModuleLanguage([switch] $Translations) {
    $groups = ([xml](Get-Content -Raw $script:Project)).Project.PropertyGroup
    $neutral = @($groups.NeutralLanguage | Where-Object { $_ })
    $satellites = @($groups.SatelliteResourceLanguages | Where-Object { $_ } | ForEach-Object { $_ -split ';' } | Where-Object { $_ })
    if ($neutral.Count -ne 1 -or $satellites.Count -eq 0) { throw "$script:Project names no NeutralLanguage or SatelliteResourceLanguages." }
    if ($Translations) { $satellites } else { @($neutral) + $satellites }
}

# The UI cultures of those languages (en-US, fi-FI, sv-SE): the help folders, and what the tests set $PSUICulture to.
function Get-ModuleCulture([switch] $Translations) {
    Get-ModuleLanguage -Translations:$Translations | ForEach-Object { [Globalization.CultureInfo]::CreateSpecificCulture($_).Name }
}

Export-ModuleMember -Function Get-ModuleLanguage, Get-ModuleCulture
