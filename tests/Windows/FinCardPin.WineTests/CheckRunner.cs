using System;
using System.Globalization;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;

namespace FinCardPin.WineTests
{
    /// <summary>
    /// Runs named checks and prints one line each, "[pass] name" or "[FAIL] name: why", which build.ps1 counts.
    /// A check passes only by returning normally; any exception, or an <see cref="Expect"/> that does not hold,
    /// fails it. The phase prefix keeps the names unique across the program's runs.
    /// </summary>
    internal sealed class CheckRunner
    {
        private readonly string _phase;

        public CheckRunner(string phase)
        {
            _phase = phase;
        }

        public int Failed { get; private set; }

        public int Passed { get; private set; }

        public void Check(string name, Action body)
        {
            try
            {
                body();
                Passed++;
                Console.Out.WriteLine("[pass] " + _phase + ": " + name);
            }
            catch (Exception e)
            {
                Failed++;
                var why = e is CheckFailedException ? e.Message : e.GetType().Name + ": " + e.Message;
                Console.Out.WriteLine("[FAIL] " + _phase + ": " + name + ": " + OneLine(why));
            }

            Console.Out.Flush();
        }

        public static void Expect(bool condition, string what)
        {
            if (!condition)
            {
                throw new CheckFailedException(what);
            }
        }

        public static void ExpectResult(PcscResult expected, PcscResult actual, string call) =>
            Expect(actual == expected, call + " returned " + Describe(actual) + ", expected " + Describe(expected));

        /// <summary>Runs <paramref name="action"/> and expects the engine's error with this id.</summary>
        public static void ExpectError(string errorId, Action action)
        {
            try
            {
                action();
            }
            catch (FinCardPinException e)
            {
                Expect(e.ErrorId == errorId, "error id " + e.ErrorId + " (" + e.Message + "), expected " + errorId);
                Expect(!string.IsNullOrWhiteSpace(e.Message), "the error has no message");
                return;
            }

            throw new CheckFailedException("no error, expected " + errorId);
        }

        public static string Describe(PcscResult result) =>
            result + " (0x" + ((uint)result).ToString("X8", CultureInfo.InvariantCulture) + ")";

        private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
    }
}
