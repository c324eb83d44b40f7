# The holder's language: the same failures and prompts in English, Finnish and Swedish. A child pwsh per UI
# language (the thread's CurrentUICulture, which is $PSUICulture) runs a wrong PIN, a blocked code, a refused length,
# a prompt that cannot be answered and one that can, against the real pcscd with a virtual card in a vpcd reader.
# Each text must be in that language, each error id the same in all three, and no code may show in any of them.

BeforeDiscovery {
    # The module's languages, from the project file (tools/Languages.psm1).
    Import-Module (Join-Path $PSScriptRoot '../../tools/Languages.psm1') -Force
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestUtilities.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../tools/Languages.psm1') -Force
    $script:Folder = Initialize-TestSuite 'language'
    $script:Reader = Get-VirtualReaderName 0

    # Distinctive digit runs that appear nowhere else, searched for in everything the three runs show.
    $script:Codes = [ordered]@{
        Pin1     = '58204917'
        Pin2     = '83619270'
        ActivationCode      = '27450193'
        WrongPin = '61093825'
        NewPin1  = '94157382'
        Other    = '30628491'
        TooLong  = '739164025'
    }

    function script:Find-Code([string] $Text) {
        foreach ($name in $script:Codes.Keys) {
            foreach ($form in Get-CodeForm $script:Codes[$name]) {
                if ($Text.IndexOf($form.Text, [StringComparison]::OrdinalIgnoreCase) -ge 0) { "$name as '$($form.Text)'" }
            }
        }
    }

    # One UI language: the failures (id, message, next step) and the objects' texts, as the child saw them.
    $script:Runs = @{}
    foreach ($culture in Get-ModuleCulture) {
        $card = New-TestCard $script:Folder "lang-$culture" 0 @{
            Serial = '9249100001'; Pin1 = $script:Codes.Pin1; Pin2 = $script:Codes.Pin2; ActivationCode = $script:Codes.ActivationCode
        } -Edit { $args[0].Pin2.TriesLeft = 0 }
        $c = $script:Codes
        $r = $script:Reader
        $script = @"
[System.Threading.Thread]::CurrentThread.CurrentUICulture = '$culture'
Import-Module '$env:FINCARDPIN_MODULE'
`$ErrorActionPreference = 'Continue'
function Case([string] `$Name, [scriptblock] `$Run) {
    `$Error.Clear()
    `$output = & `$Run 2>`$null
    `$record = `$Error | Select-Object -First 1
    [pscustomobject]@{
        Name = `$Name
        Id = if (`$record) { `$record.FullyQualifiedErrorId } else { `$null }
        Message = if (`$record) { "`$record" } else { `$null }
        Action = if (`$record) { `$record.ErrorDetails.RecommendedAction } else { `$null }
        Output = @(`$output | ForEach-Object { if (`$_.PSObject.Properties['Message']) { `$_.Message } elseif (`$_.PSObject.Properties['NextStep']) { `$_.CodeName + ' | ' + `$_.LengthRule + ' | ' + `$_.NextStep } else { "`$_" } })
    }
}
`$cases = @(
    Case 'wrong' { Set-CardPin -Code Pin1 -ReaderName '$r' -CurrentPin (ConvertTo-SecureString '$($c.WrongPin)' -AsPlainText -Force) -NewPin (ConvertTo-SecureString '$($c.NewPin1)' -AsPlainText -Force) -Confirm:`$false }
    Case 'blocked' { Set-CardPin -Code Pin2 -ReaderName '$r' -CurrentPin (ConvertTo-SecureString '$($c.Pin2)' -AsPlainText -Force) -NewPin (ConvertTo-SecureString '$($c.Other)' -AsPlainText -Force) -Confirm:`$false }
    Case 'blockedTest' { Test-CardPin -Code Pin2 -ReaderName '$r' -Pin (ConvertTo-SecureString '$($c.Pin2)' -AsPlainText -Force) }
    Case 'length' { Set-CardPin -Code Pin1 -ReaderName '$r' -CurrentPin (ConvertTo-SecureString '$($c.Pin1)' -AsPlainText -Force) -NewPin (ConvertTo-SecureString '$($c.TooLong)' -AsPlainText -Force) -Confirm:`$false }
    Case 'noPrompt' { Set-CardPin -Code Pin1 -ReaderName '$r' }
    Case 'status' { Get-CardPinStatus -ReaderName '$r' -Code Pin2 }
)
[pscustomobject]@{ PSUICulture = `$PSUICulture; Cases = `$cases } | ConvertTo-Json -Depth 4 -Compress
"@
        $plain = Invoke-TestPwsh -Arguments '-NoProfile', '-NonInteractive', '-Command', $script -TimeoutSeconds 60 -ThrowOnTimeout
        $answered = Invoke-Answering -Command "Set-CardPin -Code Pin1 -ReaderName '$r'" -Culture $culture `
            -Answers $c.Pin1, $c.NewPin1, $c.Other, $c.NewPin1, $c.Other, $c.NewPin1, $c.Other
        # In process the PIN cmdlets warn that virtual readers are in use; the host writes that to stdout: the JSON is its own line.
        $result = ($plain.Output -split "`r?`n" | Where-Object { $_.StartsWith('{') } | Select-Object -Last 1) | ConvertFrom-Json
        $cases = @{}
        foreach ($case in $result.Cases) { $cases[$case.Name] = $case }
        $script:Runs[$culture] = [pscustomobject]@{
            PSUICulture = $result.PSUICulture
            Cases       = $cases
            Prompt      = $answered.Result
            Everything  = $plain.Output + $plain.Errors + $answered.Output + $answered.Errors
            CardLog     = Get-Content -Raw $card.Log
        }
        Remove-Card 0
    }
}

AfterAll {
    Complete-TestSuite $script:Folder
}

Describe 'texts in the session''s UI language' {
    It 'runs each child in <_>' -ForEach (Get-ModuleCulture) {
        $script:Runs[$_].PSUICulture | Should -Be $_
    }

    It 'keeps each failure''s error id the same in every language: <_>' -ForEach 'wrong', 'blocked', 'length', 'noPrompt' {
        $ids = foreach ($culture in Get-ModuleCulture) { $script:Runs[$culture].Cases[$_].Id }
        $ids[0] | Should -Not -BeNullOrEmpty
        $ids[1] | Should -BeExactly $ids[0]
        $ids[2] | Should -BeExactly $ids[0]
    }

    It 'has the ids scripts match on' {
        $cases = $script:Runs['fi-FI'].Cases
        $cases['wrong'].Id | Should -Be 'WrongPin,FinCardPin.Cmdlets.SetCardPinCommand'
        $cases['blocked'].Id | Should -Be 'PinBlocked,FinCardPin.Cmdlets.SetCardPinCommand'
        $cases['length'].Id | Should -Be 'InvalidPinLength,FinCardPin.Cmdlets.SetCardPinCommand'
        $cases['noPrompt'].Id | Should -Be 'PinPromptNotAvailable,FinCardPin.Cmdlets.SetCardPinCommand'
    }

    It 'words every text in <Culture>' -ForEach @(
        @{
            Culture = 'en-US'
            Wrong = 'Wrong basic code \(PIN1\): 4 tries left\.'; WrongAction = 'five wrong entries in a row block it'
            Blocked = 'The signature code \(PIN2\) on the card in reader .* is blocked\.'; BlockedAction = 'Unblock it with Unlock-CardPin and the activation code'
            BlockedTest = 'The signature code \(PIN2\) is blocked\. Unblock it'
            Length = 'The new basic code \(PIN1\) must be 4-8 digits\.'; LengthAction = 'Enter a code of 4-8 digits\.'
            NoPrompt = 'No code was given for ''Current basic code \(PIN1\)'''
            Status = 'signature code \(PIN2\) \| 6-8 digits \| Unblock it with Unlock-CardPin'
            Prompts = 'Current basic code \(PIN1\): ', 'Choose a new basic code \(PIN1\) of 4-8 digits\.', 'New basic code \(PIN1\): ', 'Repeat the new basic code \(PIN1\): '
            Mismatch = 'The two entries of the new basic code \(PIN1\) differ'
        }
        @{
            Culture = 'fi-FI'
            Wrong = 'Väärä perustunnusluku \(PIN1\): 4 yritystä jäljellä\.'; WrongAction = 'viisi väärää yritystä peräkkäin lukitsee sen'
            Blocked = 'Lukijassa .* olevan kortin allekirjoitustunnusluku \(PIN2\) on lukittu\.'; BlockedAction = 'Avaa lukitus komennolla Unlock-CardPin'
            BlockedTest = 'Allekirjoitustunnusluku \(PIN2\) on lukittu\. Avaa lukitus'
            Length = 'Uusi perustunnusluku \(PIN1\): pituuden on oltava 4-8 numeroa\.'; LengthAction = 'Anna koodi, jonka pituus on 4-8 numeroa\.'
            NoPrompt = 'Koodia ''Nykyinen perustunnusluku \(PIN1\)'' ei annettu'
            Status = 'allekirjoitustunnusluku \(PIN2\) \| 6-8 numeroa \| Avaa lukitus komennolla Unlock-CardPin'
            Prompts = 'Nykyinen perustunnusluku \(PIN1\): ', 'Valitse uusi perustunnusluku \(PIN1\), pituus 4-8 numeroa\.', 'Uusi perustunnusluku \(PIN1\): ', 'Toista uusi perustunnusluku \(PIN1\): '
            Mismatch = 'Perustunnusluku \(PIN1\): uuden koodin kaksi syöttöä eroavat'
        }
        @{
            Culture = 'sv-SE'
            Wrong = 'Fel grundkod \(PIN1\): 4 försök kvar\.'; WrongAction = 'fem felaktiga försök i rad låser den'
            Blocked = 'Signaturkoden \(PIN2\) på kortet i läsaren .* är låst\.'; BlockedAction = 'Lås upp den med Unlock-CardPin och aktiveringskoden'
            BlockedTest = 'Signaturkoden \(PIN2\) är låst\. Lås upp den'
            Length = 'Den nya grundkoden \(PIN1\) måste ha 4-8 siffror\.'; LengthAction = 'Ange en kod med 4-8 siffror\.'
            NoPrompt = 'Ingen kod angavs för ''Nuvarande grundkod \(PIN1\)'''
            Status = 'signaturkod \(PIN2\) \| 6-8 siffror \| Lås upp den med Unlock-CardPin'
            Prompts = 'Nuvarande grundkod \(PIN1\): ', 'Välj en ny grundkod \(PIN1\) med 4-8 siffror\.', 'Ny grundkod \(PIN1\): ', 'Upprepa den nya grundkoden \(PIN1\): '
            Mismatch = 'De två inmatningarna av den nya grundkoden \(PIN1\) skiljer sig åt'
        }
    ) {
        $run = $script:Runs[$Culture]
        $run.Cases['wrong'].Message | Should -Match $Wrong
        $run.Cases['wrong'].Action | Should -Match $WrongAction
        $run.Cases['blocked'].Message | Should -Match $Blocked
        $run.Cases['blocked'].Action | Should -Match $BlockedAction
        $run.Cases['blockedTest'].Output | Should -Match $BlockedTest
        $run.Cases['length'].Message | Should -Match $Length
        $run.Cases['length'].Action | Should -Match $LengthAction
        $run.Cases['noPrompt'].Message | Should -Match $NoPrompt
        $run.Cases['status'].Output | Should -Match $Status
        foreach ($prompt in $Prompts) { $run.Prompt.Written | Should -Match $prompt }
        $run.Prompt.Errors | Should -Be @('PinConfirmationMismatch,FinCardPin.Cmdlets.SetCardPinCommand')
        $run.Prompt.Messages | Should -Match $Mismatch
    }

    It 'leaves no English sentence in the <_> texts' -ForEach (Get-ModuleCulture -Translations) {
        $run = $script:Runs[$_]
        $texts = @(foreach ($case in $run.Cases.Values) { $case.Message; $case.Action; $case.Output }) + $run.Prompt.Written + $run.Prompt.Messages
        $english = $texts | Where-Object { $_ -cmatch '\b(the|is|was|must|tries|left|Wrong|Choose|Repeat|Current|New)\b' }
        $english | Should -BeNullOrEmpty
    }

    It 'shows no code in any language: output, errors, prompts and the card''s log' {
        foreach ($culture in Get-ModuleCulture) {
            $run = $script:Runs[$culture]
            Find-Code $run.Everything | Should -BeNullOrEmpty -Because "the $culture run showed none"
            $run.CardLog | Should -Match 'redacted' -Because 'codes did go to the card'
            Find-Code $run.CardLog | Should -BeNullOrEmpty
        }
    }
}
