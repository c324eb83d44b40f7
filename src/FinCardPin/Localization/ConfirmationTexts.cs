namespace FinCardPin.Localization
{
    /// <summary>
    /// The whole -WhatIf and -Confirm sentences in the user's language. ShouldProcess(target, action) would wrap the
    /// module's words in PowerShell's own English ("Performing the operation ... on target ...", "Are you sure you want
    /// to perform this action?"); its three-text form takes sentences the module words itself. PowerShell's "What if:"
    /// prefix and its Yes/No choices stay PowerShell's.
    /// </summary>
    internal static class ConfirmationTexts
    {
        /// <summary>What -WhatIf and -Verbose say will be done.</summary>
        public static string Description(string action, string target) => Texts.Get("Confirm.Description", "action", action, "target", target);

        /// <summary>The question -Confirm asks.</summary>
        public static string Question(string action, string target) => Texts.Get("Confirm.Question", "action", action, "target", target);

        /// <summary>The title of the -Confirm question.</summary>
        public static string Caption() => Texts.Get("Confirm.Caption");
    }
}
