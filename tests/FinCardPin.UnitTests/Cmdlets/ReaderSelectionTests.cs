using System.Linq;
using FinCardPin.Engine.Apdu;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PcSc;
using FinCardPin.Infrastructure;
using FinCardPin.UnitTests.Fakes;
using Xunit;

namespace FinCardPin.UnitTests.Cmdlets
{
    /// <summary>Which reader a PIN cmdlet takes when none is named: the one FINEID card, refused at once when it cannot be used.</summary>
    public class ReaderSelectionTests
    {
        private const string ContactlessReader = "HID Global OMNIKEY 5022 Smart Card Reader [OMNIKEY 5022CL Smartcard Reader] 00 00";
        private const string ContactlessIdentityAtr = "3B 8F 80 01 80 31 B8 65 B0 85 05 00 11 12 24 60 82 90 00 5A";

        /// <summary>
        /// The only FINEID card is seen contactless: refused when the reader is chosen, as a named reader is, before
        /// the cmdlet asks the holder for any code or connects to the card.
        /// </summary>
        [Fact]
        public void SingleFineid_NoNameAndTheOnlyCardContactless_RefusedBeforeConnecting()
        {
            var api = new ScriptedPcscApi().WithReader(ContactlessReader, Hex.Parse(ContactlessIdentityAtr));
            using var context = new PcscContext(api);

            var error = Assert.Throws<FinCardPinException>(() => ReaderSelection.SingleFineid(context, null, literal: false));

            Assert.Equal(ErrorIds.ContactlessNotSupported, error.ErrorId);
            Assert.DoesNotContain(api.Calls, call => call.StartsWith("Connect", System.StringComparison.Ordinal));
        }
    }
}
