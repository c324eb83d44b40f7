using System;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Engine.PinPad
{
    /// <summary>
    /// How one operation goes on one reader's keypad: the frame the card takes, the digit range the block asks for
    /// (the card's rule within what the reader says it takes), the display language, and who is told before the
    /// reader asks. Made by <see cref="PinPadPlanner"/>, which refuses what cannot be done safely.
    /// </summary>
    internal sealed class PinPadPlan
    {
        /// <summary>One prompt's worst case: bTimerOut before the first key and bTimerOut2 after it.</summary>
        public static readonly TimeSpan PerPrompt = TimeSpan.FromSeconds(PinPadBlocks.TimeoutSeconds * 2);

        internal PinPadPlan(PinPadInfo pad, PinPadFrame frame, int minDigits, int maxDigits, bool lcZero)
        {
            Pad = pad;
            Frame = frame;
            MinDigits = minDigits;
            MaxDigits = maxDigits;
            LcZero = lcZero;
        }

        public PinPadInfo Pad { get; }

        public PinPadFrame Frame { get; }

        public int MinDigits { get; }

        public int MaxDigits { get; }

        /// <summary>A variable-length template ends with Lc 00 (Cherry) rather than at the header (SPR532).</summary>
        public bool LcZero { get; }

        /// <summary>wLangId: 0409 English unless the caller sets the session's language.</summary>
        public ushort LanguageId { get; set; } = 0x0409;

        /// <summary>Called on the worker thread just before each keypad request (after the status read and the last-try guard).</summary>
        public Action<PinPadStep, PinCode, TimeSpan>? Announce { get; set; }

        /// <summary>The activation code's plan on an organisation card (a fixed 8-digit frame, every keypad reader).</summary>
        internal PinPadPlan? ActivationCodePlan { get; set; }

        internal static TimeSpan KeypadTime(int prompts) => TimeSpan.FromTicks(PerPrompt.Ticks * prompts);
    }
}
