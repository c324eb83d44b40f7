using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Asks for a code through the PowerShell host (masked, straight into a SecureString). Where nobody can answer —
    /// pwsh -NonInteractive, Intune, a background job, a remoting server, a service's runspace — it fails at once
    /// instead of prompting or hanging.
    /// </summary>
    internal sealed class SecretPrompt
    {
        private readonly PSHost? _host;

        public SecretPrompt(PSHost? host)
        {
            _host = host;
        }

        /// <summary>True when someone can answer a prompt of this host (a code, or a confirmation).</summary>
        public bool CanAsk => _host?.UI != null && IsInteractiveHost(_host.Name) && !IsNonInteractiveProcess() && !ConsoleInputIsRedirected();

        /// <param name="label">The prompt.</param>
        /// <param name="parameter">The cmdlet's parameter that carries this code instead ("-CurrentPin"): the advice when nobody can answer.</param>
        public SecureString Read(string label, string parameter)
        {
            if (!CanAsk)
            {
                throw NotAvailable(label, parameter);
            }

            var ui = _host!.UI;
            try
            {
                ui.Write(label + ": ");
                return ui.ReadLineAsSecureString() ?? throw NotAvailable(label, parameter);
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is HostException || e is NotImplementedException || e is InvalidOperationException)
            {
                throw NotAvailable(label, parameter);
            }
        }

        public void Say(string line) => _host?.UI?.WriteLine(line);

        // Hosts where nobody can answer. A background job and a remoting server run under "ServerRemoteHost", whose
        // prompt waits for a client that is not reading (a job sits "Blocked" for ever); a hosted runspace without a
        // host of its own (thread jobs, services) has the "Default Host", which cannot read at all.
        private static bool IsInteractiveHost(string name) => name != "ServerRemoteHost" && name != "Default Host";

        // pwsh -NonInteractive (any abbreviation down to -noni) refuses Read-Host only when it is called; checking
        // first keeps the prompt text out of a script's output.
        private static bool IsNonInteractiveProcess() =>
            Environment.GetCommandLineArgs().Skip(1).Any(arg =>
                arg.Length >= 5 && "-noninteractive".StartsWith(arg.ToLowerInvariant(), StringComparison.Ordinal));

        // pwsh's console host cannot read a masked entry from redirected stdin: it ends the whole pipeline silently.
        // Only the console host is asked: a remoting host prompts through its client whatever this process's stdin is.
        private bool ConsoleInputIsRedirected() => _host?.Name == "ConsoleHost" && Console.IsInputRedirected;

        private static FinCardPinException NotAvailable(string label, string parameter) =>
            new FinCardPinException(ErrorIds.PinPromptNotAvailable, FailureKind.InvalidOperation).With("label", label).With("parameter", parameter);
    }
}
