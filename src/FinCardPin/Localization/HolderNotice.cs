using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FinCardPin.Engine.Fineid;

namespace FinCardPin.Localization
{
    /// <summary>
    /// The notice a card holder reads (the Intune remediation sample shows it): which code of which card needs
    /// attention and a step the holder can take themselves — the card reader software, or the organisation's IT —
    /// never a cmdlet (the command is the admin's, in the detection output). Every word in one language: the one the
    /// notice is asked for in, from the module's texts.
    /// </summary>
    public static class HolderNotice
    {
        /// <summary>The notice's title in <paramref name="culture"/> (null: the current UI language).</summary>
        public static string Title(CultureInfo? culture = null) => Texts.Format("Notice.Title", Texts.Facts(), culture ?? CultureInfo.CurrentUICulture);

        /// <summary>One paragraph per code, then where to get help; all in <paramref name="culture"/> (null: the current UI language).</summary>
        public static string Text(PinStatus[] statuses, CultureInfo? culture = null)
        {
            if (statuses == null)
            {
                throw new ArgumentNullException(nameof(statuses));
            }

            var language = culture ?? CultureInfo.CurrentUICulture;
            var paragraphs = statuses.Where(s => s != null).Select(s => Paragraph(s, language)).ToList();
            paragraphs.Add(Texts.Format("Notice.Support", Texts.Facts(), language));
            return string.Join("\n\n", paragraphs);
        }

        private static string Paragraph(PinStatus status, CultureInfo language)
        {
            // The serial as the module read it: FINEID serials only (anything else is null and not shown).
            var card = status.CardSerial == null
                ? Texts.Format("Notice.CardNoSerial", Texts.Facts(), language)
                : Texts.Format("Notice.Card", Texts.Facts("serial", status.CardSerial), language);
            var facts = Texts.Facts("code", status.Code, "card", card);
            return Texts.Format(StateKey(status), facts, language) + " " + Texts.Format(StepKey(status.Advice), facts, language);
        }

        private static string StateKey(PinStatus status)
        {
            switch (status.State)
            {
                case PinState.Blocked:
                    return status.Code == PinCode.ActivationCode ? "Notice.CodeUsedUp" : "Notice.CodeBlocked";
                case PinState.NotActivated:
                    return "Notice.CodeNotActivated";
                default:
                    return "Notice.CodeNeedsChecking";
            }
        }

        private static string StepKey(PinAdvice advice) => advice == PinAdvice.None ? "Notice.Step.Check" : "Notice.Step." + advice;

        /// <summary>The step keys, one per advice (for the tests: every advice has a holder's step in each language).</summary>
        public static IEnumerable<string> StepKeys() => Enum.GetValues(typeof(PinAdvice)).Cast<PinAdvice>().Select(StepKey);
    }
}
