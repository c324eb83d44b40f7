using System.Management.Automation;
using System.Reflection;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Whether ShouldProcess is going to ask for a confirmation, by PowerShell's own rules: -WhatIf never asks,
    /// -Confirm (or -Confirm:$false) decides when given, $WhatIfPreference never asks, and otherwise the cmdlet's
    /// ConfirmImpact at or above $ConfirmPreference asks (about_Preference_Variables, $ConfirmPreference).
    /// </summary>
    internal static class Confirmation
    {
        public static bool WouldAsk(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (bound.TryGetValue("WhatIf", out var whatIf) && LanguagePrimitives.IsTrue(whatIf))
            {
                return false;
            }

            if (bound.TryGetValue("Confirm", out var confirm))
            {
                return LanguagePrimitives.IsTrue(confirm);
            }

            if (LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference")))
            {
                return false;
            }

            var impact = cmdlet.GetType().GetCustomAttribute<CmdletAttribute>()?.ConfirmImpact ?? ConfirmImpact.Medium;
            var preference = cmdlet.GetVariableValue("ConfirmPreference");
            if (!LanguagePrimitives.TryConvertTo<ConfirmImpact>(preference, out var threshold))
            {
                threshold = ConfirmImpact.High; // PowerShell's default
            }

            return threshold != ConfirmImpact.None && impact >= threshold;
        }
    }
}
