using System;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;
using FinCardPin.VirtualCard;
using Xunit;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// A virtual organisation card addressed by the references of the FINEID specification's sample AODF (11, 95)
    /// rather than ReFineID's 03/04: the module asks the card with an empty VERIFY, uses the references the card holds
    /// codes at, and refuses nothing the card accepts.
    /// </summary>
    public sealed class VariantReferencesTests : IDisposable
    {
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void TestAndChange_OrganisationCardWithReferences11And95_UseTheCardsReferencesAndSpendNothingWrongly()
        {
            var state = VirtualCardState.Activated(VirtualCardProfile.OrganisationIdemiaIdMe, "2468", "246813", "31415926", "999030001");
            state.PinReferencesHex = "11 95";
            var path = _folder.Save(state, "variant.json");
            var api = new VirtualPcscApi(1);
            api.Insert(0, path);
            var notes = new System.Collections.Generic.List<CardNote>();
            using (var context = new PcscContext(api))
            using (var session = FineidSession.Open(context, VirtualPcscApi.ReaderName(0), null, null))
            using (var pin1 = PinSecrets.Pin("2468"))
            using (var pin2 = PinSecrets.Pin("246813"))
            using (var next = PinSecrets.Pin("1357"))
            {
                session.Explain = notes.Add;

                Assert.True(SessionPinCalls.Test(session, PinCode.Pin2, pin2, force: false).Verified);
                SessionPinCalls.Change(session, PinCode.Pin1, pin1, next, force: false);
            }

            var saved = VirtualCardState.Load(path);
            Assert.Equal("1357", saved.Pin1.Value);
            Assert.Equal(5, saved.Pin1.TriesLeft);
            Assert.Equal(5, saved.Pin2.TriesLeft);
            Assert.Contains(notes, n => n.Key == "ReferenceFromCard");
        }
    }
}
