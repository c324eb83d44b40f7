using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// The folder wine-tier.sh shares with this program (Z:\… under Wine): the two cards' state files and APDU logs,
    /// written by the virtual-card host (a Linux process), and the event counters one phase leaves for the next.
    /// </summary>
    internal sealed class WorkFolder
    {
        /// <summary>
        /// The vpcd readers as pcscd names them (wine-tier.sh gives their FRIENDLYNAME, a pcsc-lite CCID name with
        /// brackets); Wine's winscard passes pcsc-lite's names through.
        /// </summary>
        public static readonly string IdentityReader = ReaderName + " 00 00";

        public static readonly string OrganisationReader = ReaderName + " 00 01";

        private static string ReaderName =>
            Environment.GetEnvironmentVariable("FINCARDPIN_WINE_READER_NAME")
            ?? throw new InvalidOperationException("FINCARDPIN_WINE_READER_NAME is not set: run this program through wine-tier.sh.");

        public WorkFolder(string path)
        {
            Path = path;
        }

        public string Path { get; }

        public CardFiles Identity => new CardFiles(System.IO.Path.Combine(Path, "identity.json"), System.IO.Path.Combine(Path, "identity.log"));

        public CardFiles Organisation => new CardFiles(System.IO.Path.Combine(Path, "organisation.json"), System.IO.Path.Combine(Path, "organisation.log"));

        public void SaveEventCounts(string name, IReadOnlyDictionary<string, int> counts) =>
            File.WriteAllLines(System.IO.Path.Combine(Path, name + ".events"),
                counts.Select(pair => pair.Key + "=" + pair.Value.ToString(CultureInfo.InvariantCulture)));

        public IReadOnlyDictionary<string, int> LoadEventCounts(string name) =>
            File.ReadAllLines(System.IO.Path.Combine(Path, name + ".events"))
                .Select(line => line.Split('='))
                .ToDictionary(parts => parts[0], parts => int.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }
}
