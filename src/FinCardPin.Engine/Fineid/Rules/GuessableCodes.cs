using System;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// Codes anyone would try first: all one digit (0000) or a straight run up or down, in steps of one or two
    /// (1234, 654321, 13579). Only a warning: the DVV's rules allow them, and the holder chooses.
    /// </summary>
    internal static class GuessableCodes
    {
        public static bool IsGuessable(PinBuffer code)
        {
            if (code == null)
            {
                throw new ArgumentNullException(nameof(code));
            }

            if (code.Length < 2 || !code.IsAllAsciiDigits)
            {
                return false;
            }

            // Copied only into pinned memory (zeroed when done), as every other copy of a code.
            using var pinned = new PinnedBytes(code.Length);
            code.CopyTo(pinned.Array, 0);
            var digits = pinned.Array;
            var step = digits[1] - digits[0];
            if (Math.Abs(step) > 2)
            {
                return false;
            }

            for (var i = 2; i < digits.Length; i++)
            {
                if (digits[i] - digits[i - 1] != step)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
