using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Fineid;
using Xunit;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// Reads a failure's facts as the engine gives them: the engine tests assert ids, message keys and facts, never
    /// words (how each language words them is the localisation tests' to check).
    /// </summary>
    internal static class FailureFacts
    {
        /// <summary>The length rule a failure names (fact "rule"), as (minimum, maximum).</summary>
        public static (int Minimum, int Maximum) LengthOf(FinCardPinException error)
        {
            var rule = Assert.IsType<LengthRule>(error.Facts["rule"]);
            return (rule.Minimum, rule.Maximum);
        }
    }
}
