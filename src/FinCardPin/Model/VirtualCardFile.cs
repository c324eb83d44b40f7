namespace FinCardPin
{
    /// <summary>
    /// A card file written by New-VirtualCard: where it is and which card it holds. Piped to Use-VirtualCard, its Path
    /// (or FullName, as a file from Get-Item) names the file; as a string it is the path.
    /// </summary>
    public sealed class VirtualCardFile
    {
        public VirtualCardFile(string path, VirtualCardKind cardKind, string serial, bool activated)
        {
            Path = path;
            CardKind = cardKind;
            Serial = serial;
            Activated = activated;
        }

        /// <summary>The card file's full path.</summary>
        public string Path { get; }

        /// <summary>The same as Path, under the name a file from Get-Item has.</summary>
        public string FullName => Path;

        public VirtualCardKind CardKind { get; }

        /// <summary>The card serial, as Get-CardReader and Get-CardPinStatus will show it.</summary>
        public string Serial { get; }

        /// <summary>False for a card made with -NotActivated.</summary>
        public bool Activated { get; }

        public override string ToString() => Path;
    }
}
