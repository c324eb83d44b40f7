using System.Linq;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using Xunit;

namespace FinCardPin.UnitTests.Infrastructure
{
    /// <summary>
    /// Reader names as real readers have them: pcsc-lite's CCID names hold '[', a wildcard character, yet a reader's
    /// exact name is always that reader; a name from a piped object is never a pattern; a typed name with digits that
    /// matches nothing is not repeated.
    /// </summary>
    public class ReaderSelectionTests
    {
        private const string PcscLite = "HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader] 00 00";
        private const string Windows = "HID Global OMNIKEY 3x21 Smart Card Reader 0";

        private static readonly ReaderSnapshot[] Readers =
        {
            new ReaderSnapshot(PcscLite, ReaderStates.Empty, System.Array.Empty<byte>(), 1),
            new ReaderSnapshot(Windows, ReaderStates.Empty, System.Array.Empty<byte>(), 1),
        };

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Named_TheExactNameOfAReaderWithBrackets_IsThatReader(bool literal)
        {
            Assert.Equal(new[] { PcscLite }, ReaderSelection.Named(Readers, PcscLite, literal).Select(r => r.Name));
        }

        [Fact]
        public void Named_AWindowsName_IsThatReaderOnly()
        {
            Assert.Equal(new[] { Windows }, ReaderSelection.Named(Readers, Windows, literal: false).Select(r => r.Name));
        }

        [Fact]
        public void Named_ATypedPattern_StillMatchesByPattern()
        {
            Assert.Equal(new[] { PcscLite, Windows }, ReaderSelection.Named(Readers, "HID Global*", literal: false).Select(r => r.Name));
        }

        [Fact]
        public void Named_ATypedNameEscapedAsAboutWildcardsShows_IsThatReader()
        {
            var escaped = System.Management.Automation.WildcardPattern.Escape(PcscLite);

            Assert.Equal(new[] { PcscLite }, ReaderSelection.Named(Readers, escaped, literal: false).Select(r => r.Name));
        }

        [Fact]
        public void Named_APipedNameWithWildcards_IsNeverAPattern()
        {
            Assert.Empty(ReaderSelection.Named(Readers, "HID Global*", literal: true));
        }

        [Fact]
        public void Match_ATypedNameWithDigitsThatMatchesNothing_IsReportedWithoutRepeatingIt()
        {
            FinCardPinException? missing = null;

            var matched = ReaderSelection.Match(Readers, new[] { "4826" }, literal: false, e => missing = e);

            Assert.Empty(matched);
            Assert.NotNull(missing);
            Assert.Equal(ErrorIds.ReaderNotFound, missing!.ErrorId);
            Assert.Null(missing.ReaderName);
            Assert.DoesNotContain("4826", missing.FactLine(), System.StringComparison.Ordinal);
        }

        [Fact]
        public void Pattern_AMalformedPatternWithDigits_IsRefusedWithoutRepeatingIt()
        {
            var refused = Assert.Throws<FinCardPinException>(() => ReaderSelection.Named(Readers, "[4826", literal: false));

            Assert.Equal(ErrorIds.InvalidReaderNamePattern, refused.ErrorId);
            Assert.DoesNotContain("4826", refused.FactLine(), System.StringComparison.Ordinal);
            Assert.Null(refused.InnerException);
        }
    }
}
