using System;
using FinCardPin.Engine.PcSc;
using FinCardPin.Engine.PinPad;
using FinCardPin.UnitTests.VirtualCards;
using FinCardPin.VirtualCard;
using Xunit;

namespace FinCardPin.UnitTests.PinPad
{
    /// <summary>What each virtual keypad reader tells about itself through the engine's own discovery.</summary>
    public sealed class VirtualPinPadDiscoveryTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Theory]
        [InlineData(VirtualPinPadModel.None, PinPadCapability.None, null, null)]
        [InlineData(VirtualPinPadModel.FixedLength, PinPadCapability.VerifyAndChange, "08E6:3478", 8)]
        [InlineData(VirtualPinPadModel.VariableLength, PinPadCapability.VerifyAndChange, "046A:0010", 12)]
        [InlineData(VirtualPinPadModel.VerifyOnly, PinPadCapability.Verify, "08E6:3437", 12)]
        [InlineData(VirtualPinPadModel.ModifyNotTransacted, PinPadCapability.VerifyAndChange, "08E6:3478", 8)]
        [InlineData(VirtualPinPadModel.FalseClaim, PinPadCapability.None, "076B:3031", 12)]
        [InlineData(VirtualPinPadModel.RejectsStructure, PinPadCapability.VerifyAndChange, "08E6:3478", 8)]
        internal void ReadPinPad_EachModel(VirtualPinPadModel model, PinPadCapability expected, string? usbId, int? maxDigits)
        {
            var api = new VirtualPcscApi(1);
            api.Insert(0, _folder.Save(Kit.Identity(), "card.json"));
            api.AttachPinPad(0, new VirtualPinPad(model));
            using var context = new PcscContext(api);

            var pad = context.Run(() => context.ReadPinPad(VirtualPcscApi.ReaderName(0), hasCard: true), default);

            Assert.Equal(expected, pad.Capability);
            Assert.Equal(usbId, pad.UsbId);
            Assert.Equal(maxDigits, pad.MaxDigits);
        }

        [Fact]
        public void ReadPinPad_EmptyEntryBetweenCards_EachKeypadStaysWithItsCardsPosition()
        {
            // "a;;b": the empty entry drops a reader, so b is reader 1 — and its keypad is the one in b's position (2).
            var first = _folder.Save(Kit.Identity(), "first.json");
            var second = _folder.Save(Kit.Identity(), "second.json");
            var padFile = System.IO.Path.Combine(_folder.Path, "pad.txt");
            VirtualPinPad.Save(padFile, VirtualPinPadModel.VariableLength, new[] { "1234" });
            string separator = System.IO.Path.PathSeparator.ToString();
            var api = VirtualPcscApi.FromEnvironment(name =>
                name == VirtualPcscApi.CardsEnvironmentVariable ? first + separator + separator + second
                : name == VirtualPinPad.EnvironmentVariable ? separator + separator + padFile : null)!;
            using var context = new PcscContext(api);

            var withoutPad = context.Run(() => context.ReadPinPad(VirtualPcscApi.ReaderName(0), hasCard: true), default);
            var withPad = context.Run(() => context.ReadPinPad(VirtualPcscApi.ReaderName(1), hasCard: true), default);

            Assert.Equal(PinPadCapability.None, withoutPad.Capability);
            Assert.Equal(PinPadCapability.VerifyAndChange, withPad.Capability);
        }

        [Fact]
        public void ReadPinPad_FromKeypadFile_NamedByTheEnvironment()
        {
            var card = _folder.Save(Kit.Identity(), "card.json");
            var padFile = System.IO.Path.Combine(_folder.Path, "pad.txt");
            VirtualPinPad.Save(padFile, VirtualPinPadModel.VariableLength, new[] { "1234" });
            var api = VirtualPcscApi.FromEnvironment(name =>
                name == VirtualPcscApi.CardsEnvironmentVariable ? card : name == VirtualPinPad.EnvironmentVariable ? padFile : null)!;
            using var context = new PcscContext(api);

            var pad = context.Run(() => context.ReadPinPad(VirtualPcscApi.ReaderName(0), hasCard: true), default);

            Assert.Equal(PinPadCapability.VerifyAndChange, pad.Capability);
            Assert.True(VariableLengthReaders.IsKnown(pad, out var lcZero));
            Assert.True(lcZero);
        }
    }
}
