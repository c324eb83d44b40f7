# Every example the documentation shows runs as written, and shows what it prints (issue 22, item 5): README.md's
# examples and those of the help in each language (MAML <dev:code>, about_FinCardPin), extracted by DocExamples.psm1.
# Each runs non-interactively in a child pwsh (ExampleHost.ps1) under its language's UI culture, over virtual cards
# in the module's in-process readers, with Read-Host replaced by a stand-in and the module's own prompts answered by
# the host: the codes are the test's, turned into SecureStrings there, never written into an example. A transcript's
# shown output must be what the console shows (whitespace normalised; real reader names mapped to the virtual readers
# standing in for them); a script must run without any error and take exactly the codes the test answers; a Pester
# example must pass. The few examples that cannot run here are listed below with the reason, and that list is exact.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'DocExamples.psm1') -Force
    $script:Cases = @(Get-DocExampleCase (Join-Path $PSScriptRoot '../..'))
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'DocExamples.psm1') -Force
    $script:Folder = Initialize-TestSuite 'examples'
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Examples = @(Get-DocExample $script:Root)
    $script:Cases = @(Get-DocExampleCase $script:Root)

    # The examples that do not run here, each with its reason. Keep this short: every other example runs.
    $script:NotRun = [ordered]@{
        "README 'Install' #1"               = 'installs from the PowerShell Gallery (network, a published package); Package.Tests.ps1 installs the built package from a folder repository'
        "README 'The cmdlets' #1"           = 'a key press (Tab) at the console; Completion.Tests.ps1 runs these completions'
        "README 'Packaging and signing' #1" = 'registers a repository and installs into the user''s scope; Package.Tests.ps1 does exactly this in a home of its own'
        "README 'Packaging and signing' #2" = 'Authenticode signing needs Windows and a code-signing certificate'
    }

    # Real readers' names in the examples, and the virtual reader (slot) standing in for each. In code, a wildcard
    # for a real reader becomes one for its virtual reader; in output, both names become '<reader N>'.
    $script:CodeReaders = [ordered]@{
        "'*OMNIKEY*'"                           = "'FinCardPin Virtual CCID*'"
        "'Alcor Micro USB Smart Card Reader 0'" = "'FinCardPin Virtual Smart Card Reader 0'"
    }
    $script:ShownReaders = [ordered]@{
        'HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00' = 0
        'HID Global OMNIKEY 3x21 Smart Card Reader 0'                                       = 0
        'Alcor Micro AU9540 [Alcor Micro AU9540] 01 00'                                     = 1
        'Alcor Micro USB Smart Card Reader 0'                                               = 1
    }

    # Test codes of the throw-away virtual cards, and the cards each example needs (in reader order). A card is
    # New-VirtualCard's parameters; Missing: an empty reader.
    $p1 = '4826'; $p2 = '591738'; $act = '28461937'; $new1 = '7315'; $new2 = '604918'; $new2long = '60491827'
    function script:Card([hashtable] $With = @{}) {
        $card = [ordered]@{ File = 'fixture-card.json'; Pin1 = $p1; Pin2 = $p2; ActivationCode = $act; Serial = '9246001234' }
        foreach ($key in $With.Keys) { $card[$key] = $With[$key] }
        $card
    }
    $blocked2 = Card @{ Pin2TriesLeft = 0 }
    $script:Fixtures = @{
        "README 'The five daily commands' #1"                      = @{ Cards = @(Card); Answers = @($p1, $p2, $new2, $new2, $act, $new1, $new1) }
        "README 'The cmdlets' #2"                                  = @{ Cards = @(Card); Answers = @($p2, $new2, $new2, $act, $new1, $new1, $new2) }
        "README 'Views and reports' #1"                            = @{ Cards = @((Card @{ Pin2TriesLeft = 0; ActivationCodeTriesLeft = 3 }), (Card @{ File = 'organisation.json'; CardKind = 'OrganisationCard'; Serial = '1234567890' })) }
        "README 'Views and reports' #2"                            = @{ Cards = @($blocked2) }
        "README 'Unattended scripts and Intune' #1"                = @{ Cards = @($blocked2); Links = @(@{ Name = 'samples'; Target = (Join-Path $script:Root 'samples') }) }
        "README 'Never a hang' #1"                                 = @{ Cards = @(Card); Answers = @($p1) }
        "README 'The rules it enforces (DVV)' #1"                  = @{ Cards = @(Card); Answers = @($p1, '1234') }
        "README 'Sending us what your card says' #1"               = @{ Cards = @(Card) }
        "README 'Languages: suomi, svenska, English' #1"           = @{ Cards = @($blocked2); Answers = @('9173', $new2, $new2) }
        "README 'Trying it, and testing your own scripts, without a card' #1" = @{ }
        'Get-CardReader example 1'                                 = @{ Cards = @((Card), @{ File = 'none.json'; Missing = $true }) }
        'Get-CardReader example 2'                                 = @{ Cards = @(Card) }
        'Get-CardReader example 3'                                 = @{ Cards = @(Card); Answers = @($p2, $new2, $new2) }
        'Get-CardReader example 4'                                 = @{ Answers = @($p1, $p2, $act) }
        'Get-CardPinStatus example 1'                              = @{ Cards = @($blocked2) }
        'Get-CardPinStatus example 2'                              = @{ Cards = @($blocked2) }
        'Get-CardPinStatus example 3'                              = @{ Cards = @(Card) }
        'Get-CardPinStatus example 4'                              = @{ }
        'Test-CardPin example 1'                                   = @{ Cards = @(Card); Answers = @($p1) }
        'Test-CardPin example 2'                                   = @{ Cards = @(Card); Answers = @($p2) }
        'Test-CardPin example 3'                                   = @{ Cards = @(Card @{ Pin2TriesLeft = 1 }); Answers = @($p2, $p2) }
        'Test-CardPin example 4'                                   = @{ Cards = @((Card @{ File = 'first.json'; Serial = '9246005555' }), (Card)); Answers = @($p1) }
        'Set-CardPin example 1'                                    = @{ Cards = @(Card); Answers = @($p2, $new2long, $new2long) }
        'Set-CardPin example 2'                                    = @{ Cards = @(Card); Answers = @($p1, $new1) }
        'Set-CardPin example 3'                                    = @{ Cards = @(@{ File = 'fixture-card.json'; NotActivated = $true; ActivationCode = '2846193'; Serial = '9246001234' }); Answers = @('2846193', $new1, $new1, $new2, $new2) }
        'Set-CardPin example 4'                                    = @{ Cards = @(Card) }
        'Set-CardPin example 5'                                    = @{ Cards = @(Card); Answers = @($p2, $new2) }
        'Unlock-CardPin example 1'                                 = @{ Cards = @($blocked2); Answers = @($act, $new2long, $new2long) }
        'Unlock-CardPin example 2'                                 = @{ Cards = @(@{ File = 'fixture-card.json'; NotActivated = $true; ActivationCode = $act; Serial = '9246001234' }); Answers = @($act, $new1, $new1, $new2, $new2) }
        'Unlock-CardPin example 3'                                 = @{ Cards = @(Card @{ Pin1TriesLeft = 0; Pin2TriesLeft = 0 }); Answers = @($act, $new1, $new1, $act, $new2, $new2) }
        'Unlock-CardPin example 4'                                 = @{ Cards = @(Card @{ Pin1TriesLeft = 0; ActivationCodeTriesLeft = 1 }); Answers = @($act, $new1, $new1) }
        'New-VirtualCard example 1'                                = @{ Answers = @($p1, $p2, $act) }
        'New-VirtualCard example 2'                                = @{ Answers = @('2846193') }
        'New-VirtualCard example 3'                                = @{ Cards = @((Card @{ File = 'identity.json' }), (Card @{ File = 'sote.json'; CardKind = 'SoteCard'; Serial = '1234567890' })); Files = @(@{ Name = 'My-AdminScript.ps1'; Text = 'Get-CardReader' }) }
        'Use-VirtualCard example 1'                                = @{ }
        'Use-VirtualCard example 2'                                = @{ }
        'Export-CardDiagnostic example 1'                          = @{ Cards = @(Card) }
        'Export-CardDiagnostic example 2'                          = @{ Cards = @(Card) }
        'about_FinCardPin example 1'                               = @{ Cards = @(@{ File = 'fixture-card.json'; NotActivated = $true; ActivationCode = '2846193'; Serial = '9246001234' }) }
    }

    # One job per case: the example's steps (a transcript's commands; a script as a file; a Pester test as files).
    function script:New-Job($Case, [int] $Number) {
        $example = $Case.Example
        $fixture = $script:Fixtures[$example.Key]
        $folder = Join-Path $script:Folder "job$Number"
        $files = [System.Collections.Generic.List[object]]::new()
        foreach ($file in @($fixture.Files)) { if ($file) { $files.Add($file) } }
        $code = $example.Code
        foreach ($real in $script:CodeReaders.Keys) { $code = $code -ireplace [regex]::Escape($real), $script:CodeReaders[$real] }
        $steps = switch ($example.Form) {
            'Transcript' {
                foreach ($step in $example.Steps) {
                    $command = $step.Command
                    foreach ($real in $script:CodeReaders.Keys) { $command = $command -ireplace [regex]::Escape($real), $script:CodeReaders[$real] }
                    $command
                }
            }
            'Script' { $files.Add(@{ Name = 'example.ps1'; Text = $code }); '& ./example.ps1' }
            'Pester' {
                $describe = [regex]::Match($code, "Describe '([^']+?)(\.ps1)?'").Groups[1].Value
                $underTest = [regex]::Match($code, '(?m)^# (?<file>[\w-]+\.ps1) \(the admin script under test\):\s*(?<script>.+)$')
                if ($underTest.Success) { $files.Add(@{ Name = $underTest.Groups['file'].Value; Text = $underTest.Groups['script'].Value }) }
                $files.Add(@{ Name = "$describe.Tests.ps1"; Text = $code })
                "$describe.Tests.ps1"
            }
        }
        [ordered]@{
            Id = $Number; Key = $example.Key; Source = $example.Source; Folder = $folder; Result = (Join-Path $script:Folder "result$Number.json")
            Culture = $Case.Culture; Width = 80; Form = $example.Form
            Cards = @($fixture.Cards); Answers = @($fixture.Answers); Files = @($files); Links = @($fixture.Links); Steps = @($steps)
        }
    }

    # Whitespace collapsed, the module's warning about virtual readers (which a real reader never shows) dropped, and
    # every reader name, whole or shortened in the middle as the views shorten it, and wrapped wherever the console
    # wrapped it, as '<reader N>'.
    $names = @($script:ShownReaders.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Name = $_.Key; Slot = $_.Value } }) +
        @(0..3 | ForEach-Object { [pscustomobject]@{ Name = (Get-InternalType FinCardPin.VirtualCard.VirtualPcscApi)::ReaderName($_); Slot = $_ } })
    $script:ReaderPatterns = @(foreach ($group in $names | Group-Object Slot) {
            $forms = @(foreach ($name in $group.Group.Name) {
                    $name
                    for ($width = 12; $width -lt $name.Length; $width++) { [FinCardPin.Formatting]::ShortenMiddle($name, $width) }
                }) | Sort-Object -Unique | Sort-Object Length -Descending
            $alternatives = foreach ($form in $forms) { ($form.ToCharArray() | ForEach-Object { [regex]::Escape([string] $_) }) -join '\s*' }
            [pscustomobject]@{ Regex = [regex]::new('(?:' + ($alternatives -join '|') + ')'); Slot = $group.Name }
        })
    function script:Normalize([string] $Text) {
        $lines = $Text -split "`r?`n" | Where-Object { $_ -notmatch '^WARNING: FinCardPin .*\(Use-VirtualCard (or|tai|eller) FINCARDPIN_VIRTUAL_CARDS\)' }
        $text = ($lines -join "`n") -replace '\x1b\[[0-9;?]*[A-Za-z]', ''
        foreach ($pattern in $script:ReaderPatterns) { $text = $pattern.Regex.Replace($text, "<reader $($pattern.Slot)>") }
        ($text -replace '\s+', ' ').Trim()
    }

    # What an example printed (normalised as above), cut to its first 300 characters: a failure's message says what was
    # expected and what came first, and stays short enough for the run's list of failures.
    function script:Beginning([string[]] $Steps) {
        $text = Normalize ($Steps -join "`n")
        if ($text.Length -gt 300) { $text.Substring(0, 300) + ' ...' } else { $text }
    }

    # Where two texts part: the character and 60 characters of each from there.
    function script:Divergence([string] $Shown, [string] $Printed) {
        $i = 0
        while ($i -lt $Shown.Length -and $i -lt $Printed.Length -and $Shown[$i] -ceq $Printed[$i]) { $i++ }
        $piece = { param($text) if ($i -ge $text.Length) { '(the end)' } else { "'" + $text.Substring($i, [Math]::Min(60, $text.Length - $i)) + "'" } }
        "from character $i the documentation shows $(& $piece $Shown) and the console $(& $piece $Printed)"
    }

    $script:Runnable = @($script:Cases | Where-Object { -not $script:NotRun.Contains($_.Example.Key) })
    $script:Results = @{}
    $jobs = @()
    for ($i = 0; $i -lt $script:Runnable.Count; $i++) {
        if ($script:Fixtures.ContainsKey($script:Runnable[$i].Example.Key)) { $jobs += New-Job $script:Runnable[$i] $i }
    }
    $jobFile = Join-Path $script:Folder 'jobs.json'
    ConvertTo-Json -InputObject @($jobs) -Depth 6 | Set-Content -Encoding utf8 $jobFile
    $home_ = Join-Path $script:Folder 'home'
    New-Item -ItemType Directory -Path $home_ | Out-Null
    $pester = (Get-Module Pester).Path -replace '\.psm1$', '.psd1'
    $run = Invoke-TestPwsh -Arguments '-NoProfile', '-File', (Join-Path $PSScriptRoot 'ExampleHost.ps1'), '-JobFile', $jobFile, '-Module', $env:FINCARDPIN_MODULE, '-PesterModule', $pester `
        -Environment @{ HOME = $home_; FINCARDPIN_EXAMPLES_HOME = $home_ } -TimeoutSeconds 900 -ThrowOnTimeout
    $script:RunnerErrors = $run.Errors
    # To see what each example printed (when writing one): the jobs and the runner's report, kept.
    if ($env:FINCARDPIN_EXAMPLES_DUMP) { Copy-Item $jobFile "$env:FINCARDPIN_EXAMPLES_DUMP.jobs.json"; Set-Content "$env:FINCARDPIN_EXAMPLES_DUMP.output.txt" $run.Output }
    # What programs an example started wrote (between the runner's marks on stdout), by job and step: shown before the
    # step's own output, as a program's output comes before what follows it in the examples.
    $programOutput = @{}
    $mark = $null
    foreach ($line in $run.Lines) {
        if ($line -match '^@@FinCardPinExampleStep (\d+) (\d+)$') { $mark = "$($Matches[1]) $($Matches[2])"; continue }
        if ($line -eq '@@FinCardPinExampleStepEnd') { $mark = $null; continue }
        if ($mark) { $programOutput[$mark] += "$line`n" }
    }
    # Each job's report, from its own file.
    foreach ($job in $jobs) {
        if (-not (Test-Path -LiteralPath $job.Result)) { continue }
        $result = Get-Content -Raw -LiteralPath $job.Result | ConvertFrom-Json
        for ($s = 0; $s -lt @($result.Steps).Count; $s++) {
            if ($programOutput["$($result.Id) $s"]) { $result.Steps[$s] = $programOutput["$($result.Id) $s"] + $result.Steps[$s] }
        }
        $script:Results[[int] $result.Id] = $result
    }
}

AfterAll { Complete-TestSuite $script:Folder }

Describe 'The documentation''s examples' {
    It 'lists every example that does not run here, with a reason, and no other' {
        $keys = @($script:Examples.Key | Sort-Object -Unique)
        foreach ($key in $script:NotRun.Keys) { $keys | Should -Contain $key -Because 'a listed example must exist' }
        $script:NotRun.Count | Should -Be 4
        @($script:Examples | Where-Object { $script:NotRun.Contains($_.Key) }).Count | Should -Be 4 -Because 'each listed example is in the README only, once'
    }

    It 'has a test fixture for every example that runs' {
        $missing = @($script:Runnable | Where-Object { -not $script:Fixtures.ContainsKey($_.Example.Key) } | ForEach-Object Name)
        $missing | Should -BeNullOrEmpty
        $script:Results.Count | Should -Be $script:Runnable.Count -Because "the runner reports each example (stderr: $script:RunnerErrors)"
    }

    It 'keeps the README''s test command the one CI runs' {
        $readme = Get-Content -Raw -Encoding utf8 (Join-Path $script:Root 'README.md')
        $ci = @(Get-Content (Join-Path $script:Root '.ci/run') | Where-Object { $_ -and $_ -notmatch '^\s*(#|set |cd )' })
        $ci | Should -Be 'dotnet tool restore && dotnet pwsh ./build.ps1 Test'
        $readme | Should -Match ([regex]::Escape($ci[0]) + '\s+#')
    }

    It '<Name>' -ForEach $script:Cases {
        $key = $Example.Key
        if ($script:NotRun.Contains($key)) {
            Set-ItResult -Skipped -Because "not run here: $($script:NotRun[$key])"
            return
        }
        $index = [array]::IndexOf(@($script:Runnable | ForEach-Object Name), $Name)
        $result = $script:Results[$index]
        $result | Should -Not -BeNullOrEmpty -Because "the runner must report it (stderr: $script:RunnerErrors)"
        $result.Underflows | Should -Be 0 -Because "the example asked for no more codes than a person types for it; it printed: $(Beginning $result.Steps)"
        $result.AnswersLeft | Should -Be 0 -Because "the example asked for every code a person types for it; it printed: $(Beginning $result.Steps)"
        $result.PlainReads | Should -Be 0 -Because "the module never reads a code with a plain ReadLine (it would echo and become a string); it printed: $(Beginning $result.Steps)"

        switch ($Example.Form) {
            'Transcript' {
                $shown = Normalize (($Example.Steps | ForEach-Object Shown) -join "`n")
                $printed = Normalize ($result.Steps -join "`n")
                $printed | Should -BeExactly $shown -Because "the console shows what the documentation shows (whitespace collapsed): $(Divergence $shown $printed)"
            }
            'Script' {
                $result.Failures | Should -BeNullOrEmpty -Because "a script example runs without an error; it printed: $(Beginning $result.Steps)"
            }
            'Pester' {
                $result.Failures | Should -BeNullOrEmpty
                $result.Pester.Failures | Should -BeNullOrEmpty
                $result.Pester.Failed | Should -Be 0
                # Each It of the example is one test (none is repeated by -ForEach/-TestCases), and each must pass:
                # none skipped, none left unrun.
                $Example.Code | Should -Not -Match '-(ForEach|TestCases)\b' -Because 'the count below is one test per It'
                $its = [regex]::Matches($Example.Code, '(?m)^\s*It\s+[''"]').Count
                $its | Should -BeGreaterThan 0
                $result.Pester.Passed | Should -Be $its
                $result.Pester.Skipped | Should -Be 0
                $result.Pester.NotRun | Should -Be 0
            }
        }
    }
}
