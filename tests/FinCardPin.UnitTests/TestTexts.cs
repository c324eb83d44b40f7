using System.Globalization;
using System.Runtime.CompilerServices;
using FinCardPin.Localization;

namespace FinCardPin.UnitTests
{
    /// <summary>
    /// The engine's failures are worded by the cmdlet assembly, as in PowerShell: installed once for every test, in
    /// English (the tests that read other languages name their culture).
    /// </summary>
    internal static class TestTexts
    {
        [ModuleInitializer]
        internal static void Install()
        {
            CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            ErrorTexts.Install();
        }
    }
}
