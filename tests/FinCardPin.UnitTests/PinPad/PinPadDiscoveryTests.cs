using System;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PinPad;
using FinCardPin.UnitTests.Engine;
using Xunit;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.PinPad
{
    /// <summary>GET_FEATURE_REQUEST and the properties, over the scripted fake: what a keypad reader answers, byte for byte.</summary>
    public sealed class PinPadDiscoveryTests
    {
        private const uint GetFeatures = 0x42000D48;

        // What libccid answers for a GemPC Pinpad (seen through pcscd 1.9.9 + libccidtwin): codes big-endian.
        private const string GemPcPinpadFeatures = "06 04 42 33 00 06 07 04 42 33 00 07 0A 04 42 33 00 0A 12 04 42 33 00 12";

        private static string Properties(int min, int max, int vendor, int product) =>
            "01 02 00 00 02 01 02 03 01 1E 06 01 " + min.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)
            + " 07 01 " + max.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)
            + " 0B 02 " + (vendor & 0xFF).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " " + (vendor >> 8).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)
            + " 0C 02 " + (product & 0xFF).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + " " + (product >> 8).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);

        private static PinPadInfo Discover(ScriptedPcscApi api, bool forReport = false) =>
            PinPadDiscovery.Discover((uint code, byte[] send, byte[] receive, out int length) =>
            {
                length = receive.Length;
                return api.Control(ScriptedPcscApi.CardHandleValue, code, send, send.Length, receive, ref length);
            }, GetFeatures, forReport);

        [Fact]
        public void GemPcPinpad_FeaturesBigEndianAndPropertiesLittleEndian_VerifyAndChangeFourToEight()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, GemPcPinpadFeatures);
            api.AnswerControl(0x42330012, Properties(4, 8, 0x08E6, 0x3478));
            api.AnswerControl(0x4233000A, "00 00 02 1E");

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.VerifyAndChange, pad.Capability);
            Assert.Equal(0x42330006u, pad.VerifyControlCode);
            Assert.Equal(0x42330007u, pad.ModifyControlCode);
            Assert.Equal(4, pad.MinDigits);
            Assert.Equal(8, pad.MaxDigits);
            Assert.Equal("08E6:3478", pad.UsbId);
            Assert.Null(pad.Note);
            Assert.Null(pad.IgnoredBecause);
            Assert.Equal(new[] { "42000D48", "42330012" }, api.ControlsSent); // IFD_PIN_PROPERTIES is the report's only
        }

        [Fact]
        public void ForTheReport_IfdPinPropertiesAskedToo_AndAnUnreadableOneIsANote()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, GemPcPinpadFeatures);
            api.AnswerControl(0x42330012, Properties(4, 8, 0x08E6, 0x3478));
            api.AnswerControl(0x4233000A, string.Empty, PcscResult.NotTransacted);

            var pad = Discover(api, forReport: true);

            Assert.Equal(PinPadCapability.VerifyAndChange, pad.Capability);
            Assert.Equal(new[] { "42000D48", "42330012", "4233000A" }, api.ControlsSent);
            Assert.NotNull(pad.Note);
        }

        [Theory]
        [InlineData(PcscResult.Unexpected)]               // pcsc-lite: SCARD_E_UNSUPPORTED_FEATURE (vpcd)
        [InlineData(PcscResult.UnsupportedFeatureWindows)] // Windows' inbox CCID driver
        [InlineData(PcscResult.NotTransacted)]
        [InlineData(PcscResult.InvalidHandle)]
        public void FailingFeatureRequest_IsNoKeypadNeverAnError(PcscResult failure)
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, string.Empty, failure);

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.None, pad.Capability);
            Assert.Equal("GET_FEATURE_REQUEST: " + failure, pad.Note!.ToString());
        }

        [Fact]
        public void UnscriptedReader_AnswersNotSupported_NoKeypad()
        {
            Assert.Equal(PinPadCapability.None, Discover(new ScriptedPcscApi()).Capability);
        }

        [Theory]
        [InlineData("00 00 02 1E")]             // PIN_PROPERTIES_STRUCTURE
        [InlineData("00 00 02 1E 00 00 00 00")] // the 8-byte form of older Windows drivers
        public void IfdPinProperties_BothForms_Accepted(string answer)
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, "06 04 00 31 35 30 07 04 00 31 35 34 0A 04 00 31 35 28");
            api.AnswerControl(0x00313528, answer);

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.VerifyAndChange, pad.Capability);
            Assert.Equal(0x00313530u, pad.VerifyControlCode); // a Windows vendor driver's own codes, used as given
            Assert.Null(pad.Note);
            Assert.Null(pad.MinDigits);
        }

        [Theory]
        [InlineData(0x076B, 0x3031)] // HID Omnikey 3121
        [InlineData(0x076B, 0x6632)] // HID Omnikey 6121
        public void KnownFalseClaim_Ignored(int vendor, int product)
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, GemPcPinpadFeatures);
            api.AnswerControl(0x42330012, Properties(0, 0, vendor, product));

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.None, pad.Capability);
            Assert.Equal("known false claim", pad.IgnoredBecause);
        }

        [Fact]
        public void OtherOmnikey_IsNotAFalseClaim()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, GemPcPinpadFeatures);
            api.AnswerControl(0x42330012, Properties(4, 8, 0x076B, 0x3821));

            Assert.Equal(PinPadCapability.VerifyAndChange, Discover(api).Capability);
        }

        [Fact]
        public void VerifyOnly_Verify()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, "06 04 42 33 00 06");

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.Verify, pad.Capability);
            Assert.Null(pad.ModifyControlCode);
        }

        [Fact]
        public void ModifyWithoutVerify_NoKeypad()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, "07 04 42 33 00 07");

            Assert.Equal(PinPadCapability.None, Discover(api).Capability);
        }

        [Fact]
        public void MalformedTail_KeepsWhatCameBefore()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, "06 04 42 33 00 06 07 02 42 33");

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.Verify, pad.Capability);
        }

        [Fact]
        public void TlvPropertiesFailing_KeypadStaysWithoutRange()
        {
            var api = new ScriptedPcscApi();
            api.AnswerControl(GetFeatures, GemPcPinpadFeatures);
            api.AnswerControl(0x42330012, string.Empty, PcscResult.NotTransacted);
            api.AnswerControl(0x4233000A, "00 00 02 1E");

            var pad = Discover(api);

            Assert.Equal(PinPadCapability.VerifyAndChange, pad.Capability);
            Assert.Null(pad.MaxDigits);
            Assert.Equal("GET_TLV_PROPERTIES: NotTransacted", pad.Note!.ToString());
        }
    }
}
