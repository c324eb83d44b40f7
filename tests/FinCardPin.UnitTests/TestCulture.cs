using System.Globalization;
using System.Runtime.CompilerServices;

namespace FinCardPin.UnitTests
{
    /// <summary>
    /// Every test starts in the invariant UI culture (the tests that read a language name their culture). Nothing
    /// words the engine's failures here: the engine tests assert ids, message keys and facts, and the cmdlet assembly
    /// installs its texts itself where it makes ErrorRecords; how each language words a failure is the localisation
    /// tests' to check (Localization/EngineWordingTests.cs).
    /// </summary>
    internal static class TestCulture
    {
        [ModuleInitializer]
        internal static void Set()
        {
            CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        }
    }
}
