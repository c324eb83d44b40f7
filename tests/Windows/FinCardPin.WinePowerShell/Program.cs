using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell;

namespace FinCardPin.WinePowerShell
{
    /// <summary>
    /// <c>FinCardPin.WinePowerShell.exe &lt;phase&gt; &lt;module manifest&gt; &lt;work folder&gt;</c>: hosts PowerShell 7.6
    /// in this (Windows, under Wine) process and runs CmdletChecks.ps1 in a runspace, which imports the laid-out
    /// module and prints one "[pass] …" / "[FAIL] …" line per check. Exits 0 when all passed, 1 otherwise.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: FinCardPin.WinePowerShell.exe cmdlets-no-service|cmdlets <FinCardPin.psd1> <work folder>");
                return 2;
            }

            var script = Path.Combine(AppContext.BaseDirectory, "CmdletChecks.ps1");
            // The SDK publishes PowerShell's own modules (Management, Utility, Security) under runtimes\win, not
            // where $PSHOME\Modules would find them: name the folder so that their commands load on first use.
            var builtInModules = Path.Combine(AppContext.BaseDirectory, "runtimes", "win", "lib", "net10.0", "Modules");
            Environment.SetEnvironmentVariable("PSModulePath", builtInModules);
            var state = InitialSessionState.CreateDefault2();

            // An SDK host has no execution policy set; on Windows that means Restricted, which also refuses the
            // module's format file. The machine policy a user has (RemoteSigned/Bypass) is not what is tested here.
            state.ExecutionPolicy = ExecutionPolicy.Bypass;
            var failed = 0;
            var passed = 0;
            try
            {
                using (var runspace = RunspaceFactory.CreateRunspace(state))
                {
                    runspace.Open();
                    using (var shell = PowerShell.Create(runspace))
                    {
                        shell.AddCommand(script).AddParameter("Phase", args[0]).AddParameter("ModulePath", args[1]).AddParameter("Work", args[2]);
                        foreach (var line in shell.Invoke())
                        {
                            var text = line?.ToString() ?? string.Empty;
                            passed += text.StartsWith("[pass] ", StringComparison.Ordinal) ? 1 : 0;
                            failed += text.StartsWith("[FAIL] ", StringComparison.Ordinal) ? 1 : 0;
                            Console.Out.WriteLine(text);
                        }

                        // Errors that escaped the script's own checks are failures of the phase, never lost.
                        foreach (var error in shell.Streams.Error)
                        {
                            failed++;
                            Console.Out.WriteLine("[FAIL] " + args[0] + ": an error outside any check: " + OneLine(error.ToString()) + " (" + error.FullyQualifiedErrorId + ")");
                        }
                    }
                }
            }
            catch (Exception e)
            {
                failed++;
                Console.Out.WriteLine("[FAIL] " + args[0] + ": PowerShell could not run the checks: " + OneLine(e.GetType().Name + ": " + e.Message));
            }

            return failed == 0 && passed > 0 ? 0 : 1;
        }

        private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
    }
}
