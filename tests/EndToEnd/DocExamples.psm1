# Every example the documentation shows, as Examples.Tests.ps1 runs it: README.md's fenced powershell blocks and its
# plain fenced blocks that are console transcripts (a first line 'PS> '), each language's MAML <dev:code> and the
# transcripts of each language's about_FinCardPin topic (indented 'PS> ' lines).
#
# Forms: a Transcript ('PS> ' commands, '>> ' continuation lines, every other line what the console shows for the
# command above it); a Pester test (a block that declares a Describe: run with Invoke-Pester); otherwise a Script (run
# as a script file; it shows no output to compare, so it must run without any error).

# The module's languages (Get-ModuleCulture), from the project file.
Import-Module (Join-Path $PSScriptRoot '../../tools/Languages.psm1') -Force

function Split-Transcript([string[]] $Lines) {
    $steps = [System.Collections.Generic.List[object]]::new()
    foreach ($line in $Lines) {
        if ($line -match '^PS> ?(.*)$') { $steps.Add([pscustomobject]@{ Command = $Matches[1]; Shown = [System.Collections.Generic.List[string]]::new() }) }
        elseif ($line -match '^>> ?(.*)$' -and $steps.Count) { $steps[-1].Command += "`n" + $Matches[1] }
        elseif ($steps.Count) { $steps[-1].Shown.Add($line) }
    }
    @($steps | ForEach-Object { [pscustomobject]@{ Command = $_.Command; Shown = ($_.Shown -join "`n") } })
}

function New-DocExample([string] $Source, [string] $Culture, [string] $Key, [string] $Title, [string] $Code) {
    $lines = @($Code -split "`r?`n")
    $first = @($lines | Where-Object { $_.Trim() }) | Select-Object -First 1
    $form = if ($first -match '^PS> ') { 'Transcript' } elseif ($Code -match '(?m)^\s*Describe\s') { 'Pester' } else { 'Script' }
    [pscustomobject]@{
        Source  = $Source
        Culture = $Culture
        Key     = $Key
        Title   = $Title
        Name    = "$Source ($Culture) $Key"
        Form    = $form
        Code    = $Code
        Steps   = if ($form -eq 'Transcript') { @(Split-Transcript $lines) } else { @() }
    }
}

function Get-ReadmeExample([string] $Path) {
    $lines = @(Get-Content -Encoding utf8 $Path)
    $section = ''
    $index = @{}
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^#{2,3} (.+)$') { $section = $Matches[1] }
        if ($lines[$i] -match '^\s*```(\w*)\s*$') {
            $info = $Matches[1]
            $indent = ($lines[$i] -replace '```.*$', '').Length
            $block = [System.Collections.Generic.List[string]]::new()
            $start = $i + 1
            for ($i = $i + 1; $i -lt $lines.Count -and $lines[$i] -notmatch '^\s*```\s*$'; $i++) {
                $block.Add($(if ($lines[$i].Length -ge $indent) { $lines[$i].Substring($indent) } else { $lines[$i].TrimStart() }))
            }
            $first = @($block | Where-Object { $_.Trim() }) | Select-Object -First 1
            if ($info -eq 'powershell' -or ($info -eq '' -and $first -match '^PS> ')) {
                $section = if ($section) { $section } else { 'top' }
                $index[$section] = 1 + [int] $index[$section]
                New-DocExample 'README.md' 'en-US' "README '$section' #$($index[$section])" "line $start" ($block -join "`n")
            }
        }
    }
}

function Get-MamlExample([string] $Path, [string] $Culture) {
    $ns = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; maml = 'http://schemas.microsoft.com/maml/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }
    $xml = [xml](Get-Content -Raw -Encoding utf8 $Path)
    foreach ($command in (Select-Xml -Xml $xml -XPath '//command:command' -Namespace $ns).Node) {
        $name = (Select-Xml -Xml $command -XPath 'command:details/command:name' -Namespace $ns).Node.InnerText
        $n = 0
        foreach ($example in (Select-Xml -Xml $command -XPath 'command:examples/command:example' -Namespace $ns).Node) {
            $n++
            $title = (Select-Xml -Xml $example -XPath 'maml:title' -Namespace $ns).Node.InnerText.Trim(' -')
            $code = (Select-Xml -Xml $example -XPath 'dev:code' -Namespace $ns).Node.InnerText
            New-DocExample "$Culture/FinCardPin.dll-Help.xml" $Culture "$name example $n" $title $code
        }
    }
}

# about_ topics are plain text indented by four: an example runs from an indented 'PS> ' line to the next line that is
# indented less (the text around it, or the next title); blank lines inside are part of what it shows.
function Get-AboutExample([string] $Path, [string] $Culture) {
    $lines = @(Get-Content -Encoding utf8 $Path)
    $n = 0
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^(\s+)PS> ') {
            $indent = $Matches[1].Length
            $block = [System.Collections.Generic.List[string]]::new()
            for (; $i -lt $lines.Count -and ($lines[$i] -match "^\s{$indent}" -or -not $lines[$i].Trim()); $i++) {
                $block.Add($(if ($lines[$i].Length -ge $indent) { $lines[$i].Substring($indent) } else { '' }))
            }
            while ($block.Count -and -not $block[-1].Trim()) { $block.RemoveAt($block.Count - 1) }
            $n++
            New-DocExample "$Culture/about_FinCardPin.help.txt" $Culture "about_FinCardPin example $n" '' ($block -join "`n")
        }
    }
}

# Every example of the repository at $Root, README first, then each language's help.
function Get-DocExample([string] $Root) {
    Get-ReadmeExample (Join-Path $Root 'README.md')
    foreach ($culture in Get-ModuleCulture) {
        Get-MamlExample (Join-Path $Root "src/FinCardPin/$culture/FinCardPin.dll-Help.xml") $culture
        Get-AboutExample (Join-Path $Root "src/FinCardPin/$culture/about_FinCardPin.help.txt") $culture
    }
}

# What Examples.Tests.ps1 runs: each example in its language; README's Pester example (a script test of an admin's
# own) in each of the three, since it must pass on a machine in any of them.
function Get-DocExampleCase([string] $Root) {
    foreach ($example in Get-DocExample $Root) {
        $cultures = if ($example.Form -eq 'Pester' -and $example.Source -eq 'README.md') { Get-ModuleCulture } else { $example.Culture }
        foreach ($culture in $cultures) { @{ Example = $example; Culture = $culture; Name = "$($example.Source) $($example.Key) in $culture" } }
    }
}

Export-ModuleMember -Function Get-DocExample, Get-DocExampleCase, Split-Transcript
