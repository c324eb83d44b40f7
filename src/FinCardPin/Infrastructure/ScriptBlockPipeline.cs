using System;
using System.Globalization;
using System.Management.Automation;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// A caller's script block as the one-command pipeline <c>&amp; $block</c>, to be stepped inside a cmdlet: the block
    /// runs in a new child scope of the caller's current scope (its variables stay inside, the caller's are seen, as with
    /// <c>&amp; { }</c>), and the stepping cmdlet's pipes carry what it writes. A binary cmdlet has no other public way
    /// to run a script block with its output streamed (InvokeCommand.InvokeScript collects it and keeps the errors
    /// apart); this is the steppable pipeline proxy commands use (about_Functions_Advanced_Methods, "GetSteppablePipeline").
    /// </summary>
    internal static class ScriptBlockPipeline
    {
        public static SteppablePipeline Create(SessionState sessionState, ScriptBlock block)
        {
            // GetSteppablePipeline resolves the command of "& $name" when it is called, in the current scope: the
            // variable lives only for that call, private (no child scope could see it) and under a name nobody uses.
            var name = "FinCardPinBlock" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
            sessionState.PSVariable.Set(new PSVariable(name, block, ScopedItemOptions.Private));
            try
            {
                return ScriptBlock.Create("& $" + name).GetSteppablePipeline(CommandOrigin.Internal);
            }
            finally
            {
                sessionState.PSVariable.Remove(name);
            }
        }
    }
}
