# The package as a user gets it: the .nupkg that build.ps1 Package published into a local folder repository,
# registered as a repository, installed with Install-PSResource into a temporary home, imported from there in a new
# pwsh, and Get-CardReader run on a virtual card in a real pcscd reader.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    $script:Folder = Initialize-TestSuite 'package'
    $script:Repository = $env:FINCARDPIN_PACKAGE_REPOSITORY
    if (-not $script:Repository -or -not (Test-Path $script:Repository)) {
        throw "FINCARDPIN_PACKAGE_REPOSITORY does not name the folder build.ps1 Package published to ('$script:Repository')."
    }
    [xml] $script:Props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
    $script:Version = [string] $script:Props.Project.PropertyGroup.Version
    $script:TempHome = Join-Path $script:Folder 'home'
    # The folders must exist: .NET reports a missing one as "", and PSResourceGet would then keep its repository
    # list in the working folder.
    foreach ($folder in '.local/share', '.config', '.cache') { New-Item -ItemType Directory -Path (Join-Path $script:TempHome $folder) | Out-Null }

    # A pwsh whose home (user module folder, PSResourceGet's repository list) is the temporary one.
    function script:Invoke-InHome([string] $Command) {
        $variables = @{
            HOME = $script:TempHome
            XDG_DATA_HOME = Join-Path $script:TempHome '.local/share'
            XDG_CONFIG_HOME = Join-Path $script:TempHome '.config'
            XDG_CACHE_HOME = Join-Path $script:TempHome '.cache'
            NO_COLOR = '1' # plain text: escape codes in a failure message break Pester's XML report
            PSModulePath = $null
        }
        $child = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $Command -Environment $variables `
            -WorkingDirectory $script:TempHome -TimeoutSeconds 120 -ThrowOnTimeout
        [pscustomobject]@{ ExitCode = $child.ExitCode; Lines = $child.Lines; StdErr = $child.Errors }
    }
}

AfterAll {
    Remove-Card 0
    Complete-TestSuite $script:Folder
}

Describe 'The PowerShell Gallery package' {
    It 'is a .nupkg of the version in Directory.Build.props, carrying README, LICENSE, CHANGELOG, help and the manifest' {
        $package = Join-Path $script:Repository "FinCardPin.$script:Version.nupkg"
        $package | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        foreach ($file in 'FinCardPin.psd1', 'FinCardPin.dll', 'FinCardPin.Engine.dll', 'FinCardPin.VirtualCard.dll', 'FinCardPin.format.ps1xml', 'en-US/FinCardPin.dll-Help.xml', 'README.md', 'LICENSE', 'CHANGELOG.md') {
            $entries | Should -Contain $file
        }
        # The texts and the help in Finnish and Swedish: satellite assemblies beside FinCardPin.dll, help per culture.
        foreach ($file in 'fi/FinCardPin.resources.dll', 'sv/FinCardPin.resources.dll', 'fi-FI/FinCardPin.dll-Help.xml', 'sv-SE/FinCardPin.dll-Help.xml',
            'en-US/about_FinCardPin.help.txt', 'fi-FI/about_FinCardPin.help.txt', 'sv-SE/about_FinCardPin.help.txt') {
            $entries | Should -Contain $file
        }
    }

    It 'installs with Install-PSResource from the folder repository and works from there in a new pwsh' {
        $card = New-TestCard $script:Folder 'installed' 0 @{ Serial = '9246700001' }
        $install = Invoke-InHome (
            "Register-PSResourceRepository -Name FinCardPinTest -Uri '$script:Repository' -Trusted; " +
            "Install-PSResource -Name FinCardPin -Repository FinCardPinTest -Scope CurrentUser -TrustRepository -Quiet; " +
            "(Get-InstalledPSResource -Name FinCardPin).InstalledLocation")
        $install.StdErr | Should -BeNullOrEmpty
        $install.ExitCode | Should -Be 0
        $install.Lines[-1] | Should -BeLike "$script:TempHome*"
        Join-Path $script:TempHome '.local/share/PSResourceGet/PSResourceRepository.xml' | Should -Exist -Because 'the repository is registered in the temporary home only'

        $run = Invoke-InHome (
            "Import-Module FinCardPin -ErrorAction Stop; `$m = Get-Module FinCardPin; `$m.ModuleBase; `$m.Version.ToString(); " +
            "`$m.PrivateData.PSData.ReleaseNotes.Split([char]10)[0]; " +
            "(Test-Path (Join-Path `$m.ModuleBase 'LICENSE')); (Test-Path (Join-Path `$m.ModuleBase 'README.md')); " +
            "(Get-CardReader -Name '$($card.Reader)').CardSerial; " +
            "[Threading.Thread]::CurrentThread.CurrentUICulture = 'fi-FI'; (Get-CardPinStatus -ReaderName '$($card.Reader)' -Code Pin2).CodeName")
        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Lines[0] | Should -BeLike "$script:TempHome*FinCardPin*$script:Version*"
        $run.Lines[1] | Should -Be $script:Version
        $run.Lines[2] | Should -Be 'First release.' -Because 'ReleaseNotes is the newest CHANGELOG section'
        $run.Lines[3..4] | Should -Be @('True', 'True')
        $run.Lines[5] | Should -Be '9246700001'
        $run.Lines[6] | Should -Be 'allekirjoitustunnusluku (PIN2)' -Because 'the installed module finds its Finnish satellite assembly'
    }

    It 'has a manifest whose stamped facts match their sources, and no invented links' {
        $manifest = Import-PowerShellDataFile $env:FINCARDPIN_MODULE
        $manifest.ModuleVersion | Should -Be $script:Version
        $manifest.Author | Should -Be ([string] $script:Props.Project.PropertyGroup.Authors)
        $manifest.CompanyName | Should -Be ([string] $script:Props.Project.PropertyGroup.Company)
        $changelog = Get-Content -Raw (Join-Path $PSScriptRoot '../../CHANGELOG.md')
        $changelog | Should -Match "(?m)^## $([regex]::Escape($script:Version))\s*$"
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -Match 'stamped'
        $manifest.Keys | Should -Not -Contain 'HelpInfoURI'
        $projectUrl = ([string] $script:Props.Project.PropertyGroup.PackageProjectUrl).Trim()
        if ($projectUrl) { $manifest.PrivateData.PSData.ProjectUri | Should -Be $projectUrl }
        else { $manifest.PrivateData.PSData.Keys | Should -Not -Contain 'ProjectUri' }
    }
}
