using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FinCardPin.VirtualCard;

namespace FinCardPin.WineTests
{
    /// <summary>One virtual card's state file and APDU log, as the card left them.</summary>
    internal sealed class CardFiles
    {
        public CardFiles(string statePath, string logPath)
        {
            StatePath = statePath;
            LogPath = logPath;
        }

        public string StatePath { get; }

        public string LogPath { get; }

        public VirtualCardState State() => VirtualCardState.Load(StatePath);

        public string StateText() => File.ReadAllText(StatePath);

        /// <summary>The command lines of the log ("command -> answer"), power events left out.</summary>
        public IReadOnlyList<string> Commands() =>
            File.Exists(LogPath)
                ? File.ReadAllLines(LogPath).Where(line => line.Length != 0 && !line.StartsWith('#')).ToArray()
                : Array.Empty<string>();

        /// <summary>The command lines logged after the first <paramref name="seen"/>.</summary>
        public IReadOnlyList<string> CommandsSince(int seen) => Commands().Skip(seen).ToArray();
    }
}
