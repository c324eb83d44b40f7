# The cmdlets' help (en-US/FinCardPin.dll-Help.xml, MAML written by hand): what Get-Help shows for each cmdlet of
# the laid-out module, checked against the parameters the cmdlets really declare. Needs no reader and no daemon.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../tools/Languages.psm1') -Force
    $script:CardCmdlets = @('Get-CardReader', 'Get-CardPinStatus', 'Test-CardPin', 'Set-CardPin', 'Unlock-CardPin', 'Export-CardDiagnostic')
    $script:Cmdlets = $script:CardCmdlets + @('New-VirtualCard', 'Use-VirtualCard')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-FinCardPin
    Import-Module (Join-Path $PSScriptRoot 'DocExamples.psm1') -Force

    $script:HelpFile = Join-Path (Split-Path $env:FINCARDPIN_MODULE) 'en-US/FinCardPin.dll-Help.xml'
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters +
        [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # The parameters a user can give, without the common ones (Verbose, ErrorAction, WhatIf, Confirm, ...).
    # The parameters a user sees: hidden plumbing (DontShow, like the piped InputObject) is not part of the syntax.
    function Test-Hidden($Parameter) {
        [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow })
    }

    function Get-OwnParameter([string] $Name) {
        (Get-Command $Name).Parameters.Values | Where-Object { $_.Name -notin $script:Common -and -not (Test-Hidden $_) }
    }

    function Get-HelpText([string] $Name) { Get-Help $Name -Full | Out-String -Width 4000 }

    function Get-ParameterHelp($Help, [string] $Name) { $Help.parameters.parameter | Where-Object name -EQ $Name }

    function Get-Paragraph($Description) { ($Description | ForEach-Object Text) -join "`n" }
}

Describe 'The help file' {
    It 'is laid out next to the module' {
        $script:HelpFile | Should -Exist
    }

    It 'is well-formed MAML with one command per exported cmdlet' {
        $xml = [xml]::new()
        { $xml.Load($script:HelpFile) } | Should -Not -Throw
        $xml.DocumentElement.LocalName | Should -Be 'helpItems'
        $xml.DocumentElement.NamespaceURI | Should -Be 'http://msh'
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $names = @($xml.SelectNodes('//command:command/command:details/command:name', $ns) | ForEach-Object InnerText)
        $exported = @((Get-Module FinCardPin).ExportedCmdlets.Keys)
        ($names | Sort-Object) | Should -Be ($exported | Sort-Object)
    }
}

Describe 'Help of <_>' -ForEach $script:Cmdlets {
    BeforeAll {
        $script:Name = $_
        $script:Help = Get-Help $script:Name -Full
        $script:Text = Get-HelpText $script:Name
    }

    It 'comes from the MAML file, not generated from the syntax' {
        $script:Help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis' {
        $synopsis = "$($script:Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -BeLike "$($script:Name) *" -Because 'a generated synopsis is only the syntax'
    }

    It 'has a description' {
        Get-Paragraph $script:Help.description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($script:Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
            Get-Paragraph $example.remarks | Should -Not -BeNullOrEmpty
        }
    }

    It 'never puts a code in plain text into a cmdlet call of its examples' {
        # A Pester test of an admin's script (an example that declares a Describe) runs unattended, so it makes its
        # throw-away test card's codes from plain text, as the README's does: only in that one marked line, and only
        # for New-VirtualCard. Every other example takes codes from Read-Host or the cmdlet's own prompt.
        $testCodes = '(?m)^\s*\$code = \{ ConvertTo-SecureString \$args\[0\] -AsPlainText -Force \}\s+# throw-away codes of a test card only$'
        $code = @($script:Help.examples.example | ForEach-Object {
                $text = "$($_.code)"
                if ($text -match '(?m)^\s*Describe ') {
                    foreach ($line in $text -split "`r?`n" | Where-Object { $_ -match '& \$code ' }) { $line | Should -Match '^\s*\$card = New-VirtualCard ' }
                    $text -replace $testCodes, ''
                }
                else { $text }
            }) -join "`n"
        $code | Should -Not -Match 'AsPlainText'
        $code | Should -Not -Match "-(Pin|CurrentPin|NewPin|ActivationCode|Puk)\s+['""]?\d" # -Puk is an alias (vocabulary: old name, kept)
    }

    It 'documents every parameter the cmdlet has, with a description' {
        $undocumented = foreach ($parameter in Get-OwnParameter $script:Name) {
            $entry = Get-ParameterHelp $script:Help $parameter.Name
            if (-not $entry -or -not (Get-Paragraph $entry.description)) { $parameter.Name }
        }
        $undocumented | Should -BeNullOrEmpty
    }

    It 'documents no parameter the cmdlet does not have' {
        $real = (Get-Command $script:Name).Parameters.Keys
        $extra = $script:Help.parameters.parameter.name | Where-Object { $_ -notin $real }
        $extra | Should -BeNullOrEmpty
    }

    It 'gives each parameter the type, position, pipeline input, wildcards and aliases the code declares' {
        $wrong = foreach ($parameter in Get-OwnParameter $script:Name) {
            $entry = Get-ParameterHelp $script:Help $parameter.Name
            if (-not $entry) { continue }
            $attribute = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
            $position = if ($attribute.Position -ge 0) { "$($attribute.Position)" } else { 'named' }
            $pipeline = @(if ($attribute.ValueFromPipeline) { 'ByValue' }; if ($attribute.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
            $wildcards = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
            $documentedPipeline = @([regex]::Matches("$($entry.pipelineInput)", 'By\w+') | ForEach-Object Value)

            if ($entry.required -ne "$($attribute.Mandatory)".ToLowerInvariant()) { "$($parameter.Name): required $($entry.required)" }
            if ($entry.position -ne $position) { "$($parameter.Name): position $($entry.position), code $position" }
            if (Compare-Object $pipeline $documentedPipeline) { "$($parameter.Name): pipeline input '$($entry.pipelineInput)'" }
            if ($pipeline.Count -eq 0 -and $entry.pipelineInput -ne 'False') { "$($parameter.Name): pipeline input '$($entry.pipelineInput)'" }
            if ($entry.globbing -ne "$wildcards".ToLowerInvariant()) { "$($parameter.Name): wildcards $($entry.globbing)" }
            if ($entry.aliases -ne $aliases) { "$($parameter.Name): aliases $($entry.aliases), code $aliases" }
            $type = $parameter.ParameterType.Name
            if ($entry.type.name -ne $type) { "$($parameter.Name): type $($entry.type.name), code $type" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'shows the same syntax as the cmdlet, one syntax per parameter set' {
        $syntaxes = @($script:Help.syntax.syntaxItem | ForEach-Object { (@($_.parameter.name) | Sort-Object) -join ' ' } | Sort-Object)
        $sets = @((Get-Command $script:Name).ParameterSets | ForEach-Object {
                (@($_.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and -not (Test-Hidden $_) } | ForEach-Object Name) | Sort-Object) -join ' '
            } | Sort-Object)
        $syntaxes | Should -Be $sets
    }

    It 'names FINCARDPIN_VIRTUAL_CARDS for trying the module without a card' {
        $script:Text | Should -Match 'FINCARDPIN_VIRTUAL_CARDS'
    }

}

Describe 'Help of the card cmdlet <_>' -ForEach $script:CardCmdlets {
    It 'says that the organisation and SOTE card references are unverified' {
        $text = Get-HelpText $_
        $text | Should -Match 'one public source'
        $text | Should -Match 'not been checked on a real card'
    }
}

Describe 'What the help of the PIN cmdlets must say' {
    Context '<_>' -ForEach @('Test-CardPin', 'Set-CardPin', 'Unlock-CardPin') {
        BeforeAll {
            $script:Name = $_
            $script:Help = Get-Help $script:Name -Full
            $script:Text = Get-HelpText $script:Name
        }

        It 'documents -Force and the protected last try' {
            Get-Paragraph (Get-ParameterHelp $script:Help 'Force').description | Should -Match 'last try'
            $script:Text | Should -Match '-Force'
            $script:Text | Should -Match 'LastTryProtected'
        }

        It 'says codes are SecureString only and never prompted for without a user' {
            $script:Text | Should -Match 'SecureString'
            $script:Text | Should -Match 'PinPromptNotAvailable'
            $script:Text | Should -Match 'non-interactive'
        }

        It 'points to about_FinCardPin for the DVV''s rules, which it checks before sending anything' {
            # The rules are written once, in about_FinCardPin (checked below), not repeated in every cmdlet's notes.
            $script:Text | Should -Match 'about_FinCardPin'
            $script:Text | Should -Match 'InvalidPinLength'
            $script:Text | Should -Match '13\.1\.2026'
        }

        It 'explains how the card is chosen (MultipleFineidCards, CardChanged)' {
            $script:Text | Should -Match 'MultipleFineidCards'
            $script:Text | Should -Match 'CardChanged'
        }

        It 'names the FullyQualifiedErrorId a script can match' {
            $script:Text | Should -Match 'FullyQualifiedErrorId'
            $script:Text | Should -Match 'InvalidPinLength'
            $script:Text | Should -Match 'CodeNotApplicable'
        }
    }

    Context '<_>' -ForEach @('Set-CardPin', 'Unlock-CardPin') {
        BeforeAll {
            $script:Name = $_
            $script:Text = Get-HelpText $script:Name
        }

        It 'carries the organisation/SOTE caveat' {
            $script:Text | Should -Match 'cannot tell an organisation card from a SOTE card'
            $script:Text | Should -Match 'CardRejectedNewPin'
            $script:Text | Should -Match 'nothing is changed'
        }

        It 'documents -WhatIf and -Confirm' {
            $help = Get-Help $script:Name -Full
            Get-Paragraph (Get-ParameterHelp $help 'WhatIf').description | Should -Not -BeNullOrEmpty
            Get-Paragraph (Get-ParameterHelp $help 'Confirm').description | Should -Not -BeNullOrEmpty
            $impact = if ($script:Name -eq 'Set-CardPin') { 'Medium' } else { 'High' }
            $script:Text | Should -Match "ConfirmImpact $impact"
        }

        It 'explains both activation schemes' {
            $script:Text | Should -Match '8-digit activation code'
            $script:Text | Should -Match '7-digit activation code'
        }
    }

    It 'Unlock-CardPin warns that a used-up activation code cannot be restored' {
        Get-HelpText 'Unlock-CardPin' | Should -Match 'used-up activation code cannot be restored'
        Get-HelpText 'Unlock-CardPin' | Should -Match 'ActivationCodeBlocked'
    }

    It 'the ConfirmImpact the help states is the one the cmdlet declares' {
        foreach ($name in 'Set-CardPin', 'Unlock-CardPin') {
            $declared = (Get-Command $name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact
            Get-HelpText $name | Should -Match "ConfirmImpact $declared"
        }
    }
}

Describe 'The error ids' {
    It 'are each named in the help of at least one cmdlet' {
        $ids = [FinCardPin.Engine.Errors.ErrorIds].GetFields() | ForEach-Object { $_.GetValue($null) }
        $text = (Get-Module FinCardPin).ExportedCmdlets.Keys | ForEach-Object { Get-HelpText $_ } | Out-String
        $undocumented = $ids | Where-Object { $text -notmatch "\b$_\b" }
        $undocumented | Should -BeNullOrEmpty
    }

    It 'are the ids of the README''s errors table, every one and no other' {
        $readme = Get-Content -Raw -Encoding utf8 (Join-Path $PSScriptRoot '../../README.md')
        $section = [regex]::Match($readme, '(?ms)^## Errors\r?\n(.*?)(?=^## )').Groups[1].Value
        # The table's first column: "| `Id`, `Id` | when |".
        $listed = @($section -split "`r?`n" | Where-Object { $_ -match '^\| `' } |
            ForEach-Object { [regex]::Matches(($_ -split '\|')[1], '`(\w+)`') | ForEach-Object { $_.Groups[1].Value } })
        $ids = @([FinCardPin.Engine.Errors.ErrorIds].GetFields() | ForEach-Object { $_.GetValue($null) })

        $listed.Count | Should -BeGreaterThan 0 -Because 'the README has an "Errors" table'
        @($ids | Where-Object { $_ -cnotin $listed }) | Should -BeNullOrEmpty -Because 'every error id is in the README''s table'
        @($listed | Where-Object { $_ -cnotin $ids }) | Should -BeNullOrEmpty -Because 'the table lists error ids only'
        @($listed | Group-Object | Where-Object Count -GT 1 | ForEach-Object Name) | Should -BeNullOrEmpty -Because 'each id has one row'
    }

    It 'that scripts match are named per cmdlet' {
        Get-HelpText 'Get-CardPinStatus' | Should -Match 'NoFineidCard'
        Get-HelpText 'Test-CardPin' | Should -Match 'LastTryProtected'
        Get-HelpText 'Set-CardPin' | Should -Match 'WrongPin'
        Get-HelpText 'Set-CardPin' | Should -Match 'PinBlocked'
        Get-HelpText 'Set-CardPin' | Should -Match 'PinNotActivated'
        Get-HelpText 'Unlock-CardPin' | Should -Match 'WrongActivationCode'
        Get-HelpText 'Unlock-CardPin' | Should -Match 'PinConfirmationMismatch'
    }
}

Describe 'The help in Finnish and Swedish' {
    BeforeAll {
        $script:ModuleBase = Split-Path $env:FINCARDPIN_MODULE
        $script:Pwsh = Join-Path $PSHOME 'pwsh'
        $script:Ns = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; maml = 'http://schemas.microsoft.com/maml/2004/10'; dev = 'http://schemas.microsoft.com/maml/dev/2004/10' }

        function script:Read-Maml([string] $Culture) { [xml](Get-Content -Raw -Encoding utf8 (Join-Path $script:ModuleBase "$Culture/FinCardPin.dll-Help.xml")) }

        # What the help declares about each parameter (not its words): the English file is held to the code above,
        # so a translation with the same declarations is held to the code too.
        function script:Get-Declarations($Maml) {
            foreach ($command in (Select-Xml -Xml $Maml -XPath '//command:command' -Namespace $script:Ns).Node) {
                $name = (Select-Xml -Xml $command -XPath 'command:details/command:name' -Namespace $script:Ns).Node.InnerText
                foreach ($parameter in (Select-Xml -Xml $command -XPath './/command:parameter' -Namespace $script:Ns).Node) {
                    $attributes = ($parameter.Attributes | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join ' '
                    $type = (Select-Xml -Xml $parameter -XPath 'dev:type/maml:name' -Namespace $script:Ns).Node.InnerText
                    $parameterName = (Select-Xml -Xml $parameter -XPath 'maml:name' -Namespace $script:Ns).Node.InnerText
                    "$name $($parameter.ParentNode.LocalName) $parameterName $type $attributes"
                }
                # The example's code; of a console transcript, the commands only (what the console shows is in
                # the help's language, and Examples.Tests.ps1 holds it to what the cmdlets print).
                foreach ($code in (Select-Xml -Xml $command -XPath './/dev:code' -Namespace $script:Ns).Node) {
                    $text = $code.InnerText
                    if ($text -match '^\s*PS> ') { $text = @(Split-Transcript ($text -split "`r?`n") | ForEach-Object Command) -join "`n" }
                    "$name example $text"
                }
            }
        }

        # Get-Help in a child pwsh whose UI language is $Culture (help is cached per session, so one child per language).
        function script:Get-HelpIn([string] $Culture, [string] $Topic) {
            & $script:Pwsh -NoProfile -NonInteractive -Command "[Threading.Thread]::CurrentThread.CurrentUICulture = '$Culture'; Import-Module '$env:FINCARDPIN_MODULE'; Get-Help $Topic -Full | Out-String -Width 200"
        }
    }

    It 'declares in <_> the same commands, parameters, syntax and example code as in English' -ForEach (Get-ModuleCulture -Translations) {
        $english = @(Get-Declarations (Read-Maml 'en-US'))
        $translated = @(Get-Declarations (Read-Maml $_))
        $english.Count | Should -BeGreaterThan 50
        Compare-Object $english $translated | Should -BeNullOrEmpty
    }

    It 'words every synopsis, description, parameter and example of <_> in that language' -ForEach (Get-ModuleCulture -Translations) {
        $english = Read-Maml 'en-US'
        $translated = Read-Maml $_
        $paragraphs = @((Select-Xml -Xml $translated -XPath '//maml:para' -Namespace $script:Ns).Node | ForEach-Object InnerText)
        $englishParagraphs = @((Select-Xml -Xml $english -XPath '//maml:para' -Namespace $script:Ns).Node | ForEach-Object InnerText)
        $paragraphs | Where-Object { -not $_.Trim() } | Should -BeNullOrEmpty
        $paragraphs | Where-Object { $_ -in $englishParagraphs } | Should -BeNullOrEmpty -Because 'no English paragraph is left in a translation'
        foreach ($command in (Select-Xml -Xml $translated -XPath '//command:command' -Namespace $script:Ns).Node) {
            foreach ($parameter in (Select-Xml -Xml $command -XPath 'command:parameters/command:parameter' -Namespace $script:Ns).Node) {
                (Select-Xml -Xml $parameter -XPath 'maml:description/maml:para' -Namespace $script:Ns).Node.InnerText | Should -Not -BeNullOrEmpty
            }
        }
    }

    It 'states the DVV''s rules once, in the English about_FinCardPin: lengths, ASCII digits, five tries, activation' {
        $text = Get-Content -Raw (Join-Path $script:ModuleBase 'en-US/about_FinCardPin.help.txt')
        $text | Should -Match 'PIN1\)?: 4-8 digits'
        $text | Should -Match '6-8 digits on identity and organisation cards,\s+4-8 digits on SOTE'
        $text | Should -Match '7-8 digits'
        $text | Should -Match '13\.1\.2026'
        $text | Should -Match 'ASCII digits'
        $text | Should -Match 'Five wrong entries'
        $text | Should -Match 'PIN1 and PIN2 are not the same'
        $text | Should -Match 'cannot tell an organisation card\s+from a SOTE card'
    }

    It 'has an about_FinCardPin topic in <_> that names every error id' -ForEach (Get-ModuleCulture) {
        $path = Join-Path $script:ModuleBase "$_/about_FinCardPin.help.txt"
        $path | Should -Exist
        $text = Get-Content -Raw $path
        $ids = [FinCardPin.Engine.Errors.ErrorIds].GetFields() | ForEach-Object { $_.GetValue($null) }
        $ids | Where-Object { $text -notmatch "\b$_\b" } | Should -BeNullOrEmpty
        $text | Should -Match 'FINCARDPIN_VIRTUAL_CARDS'
        $text | Should -Match '13\.1\.2026'
    }

    It 'Get-Help Set-CardPin and about_FinCardPin speak <Culture>' -ForEach @(
        @{ Culture = 'en-US'; Synopsis = 'Changes PIN1 or PIN2 with the current code'; About = 'THE DVV''S RULES'; Parameter = 'The current code' }
        @{ Culture = 'fi-FI'; Synopsis = 'Vaihtaa PIN1- tai PIN2-koodin'; About = 'DVV:N SÄÄNNÖT'; Parameter = 'Nykyinen koodi SecureString-muodossa' }
        @{ Culture = 'sv-SE'; Synopsis = 'Byter en PIN1- eller PIN2-kod'; About = 'DVV:S REGLER'; Parameter = 'Den nuvarande koden som SecureString' }
    ) {
        $help = (Get-HelpIn $Culture 'Set-CardPin') -join "`n"
        $help | Should -Match ([regex]::Escape($Synopsis))
        $help | Should -Match ([regex]::Escape($Parameter))
        $about = (Get-HelpIn $Culture 'about_FinCardPin') -join "`n"
        $about | Should -Match ([regex]::Escape($About))
    }
}
