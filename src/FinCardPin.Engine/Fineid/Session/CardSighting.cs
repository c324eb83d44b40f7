using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// That a card of this serial was read in this reader, through this PC/SC service, when the reader's event count
    /// was this. Only a session makes one (its constructor is internal), and it lives only as a .NET object of this
    /// process: the cmdlets keep it out of every property PowerShell can bind, export or deserialize, so a saved or
    /// hand-made object can never stand in for it. It may spare a status read the serial read; a command that carries
    /// a code never takes it (<see cref="FineidSession.OpenForStatus"/> only).
    /// </summary>
    internal sealed class CardSighting
    {
        internal CardSighting(IPcscApi service, string readerName, string serial, int eventCount)
        {
            Service = service;
            ReaderName = readerName;
            Serial = serial;
            EventCount = eventCount;
        }

        internal IPcscApi Service { get; }

        internal string ReaderName { get; }

        internal string Serial { get; }

        internal int EventCount { get; }
    }
}
