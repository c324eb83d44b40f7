using System.Collections.Concurrent;
using System.Globalization;
using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// What Get-CardPinStatus last read about each code of a card still in its reader (the reader's event counter
    /// unchanged), for the words of a later prompt only: a prompt may not read the card itself, since bad input must
    /// be refused before any command reaches it. Never a reason to send or withhold anything.
    /// </summary>
    internal static class CardStateMemory
    {
        private static readonly ConcurrentDictionary<string, PinAdvice> Advice = new ConcurrentDictionary<string, PinAdvice>();

        public static void Remember(ReaderSnapshot reader, PinStatusInfo status) => Advice[Key(reader, status.Code)] = CardErrors.NextStep(status);

        /// <summary>True when the code was last seen waiting to be activated with Set-CardPin (a card issued from 13.1.2026).</summary>
        public static bool AwaitsActivationBySet(ReaderSnapshot reader, PinCode code) =>
            Advice.TryGetValue(Key(reader, code), out var advice) && advice == PinAdvice.ActivateBySet;

        private static string Key(ReaderSnapshot reader, PinCode code) =>
            reader.Name + "\n" + reader.EventCount.ToString(CultureInfo.InvariantCulture) + "\n" + code;
    }
}
