using System.IO;
using FinCardPin.VirtualCard;
using Xunit;

namespace FinCardPin.UnitTests.VirtualCard
{
    /// <summary>A card file holds its codes in clear: only its owner may read it, from its creation and after every save.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // every test is [OnLinuxFact]
    public sealed class CardFileModeTests : System.IDisposable
    {
        private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private readonly TempFolder _folder = new TempFolder();

        public void Dispose() => _folder.Dispose();

        [OnLinuxFact]
        public void Save_NewFile_IsReadableByItsOwnerOnly()
        {
            var path = _folder.Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "1234", "123456", "12345678", "999000001"));

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }

        [OnLinuxFact]
        public void Save_OverAWorldReadableFile_LeavesItReadableByItsOwnerOnly()
        {
            var path = _folder.File("old.json");
            File.WriteAllText(path, "{}");
            File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "1234", "123456", "12345678", "999000002").Save(path);

            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }

        [OnLinuxFact]
        public void ACommandThatChangesTheCard_SavesItReadableByItsOwnerOnly()
        {
            var path = _folder.Save(VirtualCardState.Activated(VirtualCardProfile.IdentityThalesV5, "1234", "123456", "12345678", "999000003"));
            File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.OtherRead);
            var triesBefore = VirtualCardState.Load(path).Pin1.TriesLeft;
            var card = FinCardPin.VirtualCard.VirtualFineidCard.Load(path);
            card.PowerOn();

            // SELECT the application, then a wrong PIN1: a try spent is saved at once.
            card.Transmit(new byte[] { 0x00, 0xA4, 0x04, 0x0C, 0x0C, 0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35 });
            card.Transmit(new byte[] { 0x00, 0x20, 0x00, 0x11, 0x0C, 0x39, 0x39, 0x39, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 });

            Assert.Equal(triesBefore - 1, VirtualCardState.Load(path).Pin1.TriesLeft);
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        }
    }
}
