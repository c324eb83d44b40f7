<#
    Another program on the same card, as a separate process through the real pcscd: it connects shared to a reader and
    keeps that connection (as card software such as a signing application does), and answers commands on stdin:

        probe <P2 hex>   an empty VERIFY of that reference (no SELECT first: it uses the card as the last program
                         left it); prints the status word, e.g. "90 00" when the code is still verified, "63 C5"
                         when it is not. After a reset by another program it reconnects, SELECTs the application
                         again (as any program must after a reset) and probes once more.
        begin            takes the card's transaction and keeps it (as card software does while it works).
        end              ends that transaction.
        quit             disconnects, leaving the card as it is.

    It uses the module's engine assembly only as a PC/SC client, never the cmdlets.
#>
param(
    [Parameter(Mandatory)] [string] $EnginePath,
    [Parameter(Mandatory)] [string] $ReaderName
)
$ErrorActionPreference = 'Stop'
# The engine's types are internal to the module (only what users see is public), so this test program finds them in
# the assembly, as the unit tests reach them through InternalsVisibleTo.
$engine = [Reflection.Assembly]::LoadFrom($EnginePath)
function Get-EngineType([string] $Name) { $engine.GetType("FinCardPin.Engine.$Name", $true) }
# PowerShell's ::new() is for public types only: an internal type's constructor is called through Activator.
function New-EngineObject([string] $Name, [object[]] $ArgumentList) { [Activator]::CreateInstance((Get-EngineType $Name), $ArgumentList) }
function New-Command([byte] $Ins, [byte] $P1, [byte] $P2, [byte[]] $Data) {
    New-EngineObject Apdu.CommandApdu @([byte] 0, $Ins, $P1, $P2, $Data, [Nullable[int]] $null, $false)
}

$aid = [byte[]] (0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35)
$select = New-Command 0xA4 4 0x0C $aid
$context = New-EngineObject PcSc.PcscContext @((Get-EngineType Interop.PcscPlatform)::Native, $null)
$connection = $context.Connect($ReaderName)
$connection.AfterReset = { param($c) $null = $c.Transmit($select) }.GetNewClosure()
$transaction = $null
[Console]::Out.WriteLine('ready')
try {
    while ($null -ne ($line = [Console]::In.ReadLine())) {
        $words = $line -split ' '
        try {
            switch ($words[0]) {
                'probe' {
                    $probe = New-Command 0x20 0 ([Convert]::ToByte($words[1], 16)) $null
                    [Console]::Out.WriteLine($connection.Transmit($probe).StatusWord.ToString())
                }
                'begin' { $transaction = $connection.BeginTransaction(); [Console]::Out.WriteLine('ok') }
                'end' { if ($transaction) { $transaction.Dispose(); $transaction = $null }; [Console]::Out.WriteLine('ok') }
                'quit' { return }
                default { [Console]::Out.WriteLine("error unknown command '$line'") }
            }
        }
        catch {
            [Console]::Out.WriteLine("error $($_.Exception.Message)")
        }
    }
}
finally {
    if ($transaction) { $transaction.Dispose() }
    $connection.Dispose()
    $context.Dispose()
}
