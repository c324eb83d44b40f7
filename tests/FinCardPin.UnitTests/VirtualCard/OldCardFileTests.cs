namespace FinCardPin.UnitTests.VirtualCards
{
    using System;
    using System.IO;
    using FinCardPin.VirtualCard;
    using Xunit;

    /// <summary>
    /// Card files written until 0.1.0 name the identity-card profiles "Citizen…" and the activation code "Puk". They
    /// still load, and saving writes today's names. The old names are written here literally, on purpose: the
    /// vocabulary rename script (rename-vocabulary.sh) leaves this file alone.
    /// </summary>
    public class OldCardFileTests
    {
        // A card file as FinCardPin 0.1.0 wrote it (VirtualCardState.Save), a citizen card with one wrong PUK entry.
        private const string OldCardFile = @"{
  ""Profile"": ""CitizenThalesV5"",
  ""Variant"": ""Organisation"",
  ""Serial"": ""9246000001"",
  ""T0"": true,
  ""Faults"": {
    ""AnswerMoreDataForever"": false
  },
  ""Pin1"": {
    ""Value"": ""1234"",
    ""TriesLeft"": 5,
    ""MaxTries"": 5,
    ""Changed"": true,
    ""MinLength"": 4,
    ""MaxLength"": 12
  },
  ""Pin2"": {
    ""Value"": ""123456"",
    ""TriesLeft"": 3,
    ""MaxTries"": 5,
    ""Changed"": true,
    ""MinLength"": 6,
    ""MaxLength"": 12
  },
  ""Puk"": {
    ""Value"": ""31415926"",
    ""TriesLeft"": 4,
    ""MaxTries"": 5,
    ""Changed"": false,
    ""MinLength"": 7,
    ""MaxLength"": 12
  }
}
";

        [Fact]
        public void Load_OldFile_ReadsCitizenProfileAndPukAsIdentityAndActivationCode()
        {
            using var folder = new TempFolder();
            string path = folder.File("old.json");
            File.WriteAllText(path, OldCardFile);

            var state = VirtualCardState.Load(path);

            Assert.Equal(VirtualCardProfile.IdentityThalesV5, state.Profile);
            Assert.Equal(VirtualCardFamily.Identity, state.Family);
            Assert.True(state.T0);
            Assert.Equal(("123456", 3), (state.Pin2.Value, state.Pin2.TriesLeft));
            Assert.Equal(("31415926", 4, 5, false, 7, 12), (state.ActivationCode.Value, state.ActivationCode.TriesLeft,
                state.ActivationCode.MaxTries, state.ActivationCode.Changed, state.ActivationCode.MinLength, state.ActivationCode.MaxLength));
        }

        [Fact]
        public void Save_OldFileLoaded_WritesTheNewNamesOnly()
        {
            using var folder = new TempFolder();
            string path = folder.File("old.json");
            File.WriteAllText(path, OldCardFile);

            VirtualCardState.Load(path).Save(path);
            string saved = File.ReadAllText(path).Replace("\r\n", "\n"); // the JSON writer ends lines with CR LF

            Assert.Contains("\"Profile\": \"IdentityThalesV5\"", saved);
            Assert.Contains("\n  \"ActivationCode\": {\n    \"Value\": \"31415926\",\n    \"TriesLeft\": 4,", saved);
            Assert.DoesNotContain("Citizen", saved);
            Assert.DoesNotContain("Puk", saved);
            Assert.Equal(OldCardFile.Replace("\r\n", "\n").Replace("CitizenThalesV5", "IdentityThalesV5").Replace("\"Puk\"", "\"ActivationCode\""), saved);
        }

        [Theory]
        [InlineData("CitizenMultiAppV3", VirtualCardProfile.IdentityMultiAppV3)]
        [InlineData("CitizenMultiAppV42", VirtualCardProfile.IdentityMultiAppV42)]
        [InlineData("CitizenThalesV5", VirtualCardProfile.IdentityThalesV5)]
        [InlineData("CitizenThales2025", VirtualCardProfile.IdentityThales2025)]
        [InlineData("citizenthales2025", VirtualCardProfile.IdentityThales2025)]
        [InlineData("IdentityThales2025", VirtualCardProfile.IdentityThales2025)]
        [InlineData("OrganisationIdemiaCosmoX", VirtualCardProfile.OrganisationIdemiaCosmoX)]
        internal void FromJson_EveryOldAndNewProfileName_IsTheProfile(string name, VirtualCardProfile expected)
        {
            var state = VirtualCardState.FromJson("{ \"Profile\": \"" + name + "\", \"Serial\": \"1\" }");

            Assert.Equal(expected, state.Profile);
        }

        [Theory]
        [InlineData("Citizen")]
        [InlineData("CitizenOrganisationIdemiaCosmoX")]
        [InlineData("CitizenGenericIso")]
        [InlineData("Thales")]
        public void FromJson_NoProfileByThatName_IsRefused(string name)
        {
            Assert.ThrowsAny<System.Runtime.Serialization.SerializationException>(() => VirtualCardState.FromJson("{ \"Profile\": \"" + name + "\", \"Serial\": \"1\" }"));
        }

        [Fact]
        public void FromJson_BothNames_KeepsActivationCode()
        {
            var state = VirtualCardState.FromJson(
                "{ \"Profile\": \"IdentityThalesV5\", \"Serial\": \"1\", \"Puk\": { \"Value\": \"11111111\" }, \"ActivationCode\": { \"Value\": \"22222222\" } }");

            Assert.Equal("22222222", state.ActivationCode.Value);
            Assert.DoesNotContain("Puk", state.ToJson());
        }

        [Fact]
        public void ProfileNames_OldNameOfEveryIdentityProfile_IsThatProfile()
        {
            foreach (var profile in Enum.GetValues<VirtualCardProfile>())
            {
                string name = profile.ToString();
                if (VirtualCardProfiles.FamilyOf(profile) == VirtualCardFamily.Identity)
                {
                    Assert.StartsWith("Identity", name);
                    Assert.True(VirtualCardProfileNames.TryParse(string.Concat("Citizen", name.AsSpan("Identity".Length)), out VirtualCardProfile parsed));
                    Assert.Equal(profile, parsed);
                }
            }
        }
    }
}
