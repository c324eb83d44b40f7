using System;
using System.IO;
using FinCardPin.VirtualCard;

namespace FinCardPin.UnitTests
{
    /// <summary>A fresh folder under the temp path, deleted afterwards.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fincardpin-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Saves <paramref name="state"/> as <paramref name="name"/> and returns its path.</summary>
        public string Save(VirtualCardState state, string name = "card.json")
        {
            string path = File(name);
            state.Save(path);
            return path;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
