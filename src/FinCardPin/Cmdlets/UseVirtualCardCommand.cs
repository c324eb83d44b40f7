using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using FinCardPin.Infrastructure;

namespace FinCardPin.Cmdlets
{
    /// <summary>
    /// Runs a script block with the module seeing only virtual readers holding these card files (one reader per
    /// path; a missing file is an empty reader; no path at all is a machine without readers), and afterwards the
    /// real readers again — also when the script block fails or is stopped. It applies to its own runspace only: another
    /// runspace running at the same time keeps its readers. Child processes started inside see the same cards (it
    /// sets FINCARDPIN_VIRTUAL_CARDS for the duration). Otherwise the block runs as <c>&amp; { }</c> would run it: in a
    /// child scope of the caller's, its output and errors streamed into this command's own streams as they come.
    /// </summary>
    [Cmdlet("Use", "VirtualCard")]
    [OutputType(typeof(object))]
    public sealed class UseVirtualCardCommand : PSCmdlet
    {
        /// <summary>Card files made with New-VirtualCard (or piped from it), one reader each.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [AllowEmptyCollection]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>What to run with the virtual cards.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public ScriptBlock ScriptBlock { get; set; } = null!;

        private readonly System.Collections.Generic.List<string> _paths = new System.Collections.Generic.List<string>();

        protected override void ProcessRecord() =>
            _paths.AddRange(Path.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)));

        protected override void EndProcessing()
        {
            // Only separators when no path is given: still "virtual", with no reader at all.
            var value = _paths.Count == 0 ? System.IO.Path.PathSeparator.ToString() : string.Join(System.IO.Path.PathSeparator.ToString(), _paths);
            var block = ScriptBlockPipeline.Create(SessionState, ScriptBlock);
            try
            {
                using (VirtualCardScopes.Enter(Runspace.DefaultRunspace, value))
                {
                    // Linked to this command's output and error pipes: each object goes on down the caller's pipeline
                    // as the block writes it, each error into -ErrorVariable, 2>&1 and $Error as any command's would.
                    // Not expecting input, so a block's process { } runs once, as with & { }.
                    block.Begin(false, (EngineIntrinsics)GetVariableValue("ExecutionContext"));
                    block.End();
                }
            }
            catch (RuntimeException e) when (!(e is PipelineStoppedException))
            {
                // The block's own terminating error, on its way out: marked as "thrown", PowerShell passes it on as it
                // is, with the block's error id and position, instead of stamping this command onto it.
                e.WasThrownFromThrowStatement = true;
                throw;
            }
            finally
            {
                block.Dispose();
            }
        }
    }
}
