using System.Globalization;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Localization
{
    /// <summary>
    /// Words the engine's failures: "Error.&lt;message key&gt;" is the message and "Action.&lt;message key&gt;" (or
    /// "Action.&lt;error id&gt;", shared by the variants) the next step. A failure about no particular reader uses
    /// the key's ".NoReader" text when there is one.
    /// </summary>
    internal sealed class ErrorTexts : IErrorTexts
    {
        private static readonly object Gate = new object();

        /// <summary>Makes every engine failure speak the user's language (idempotent; called when the module loads).</summary>
        public static void Install()
        {
            lock (Gate)
            {
                if (!(FinCardPinException.Texts is ErrorTexts))
                {
                    FinCardPinException.Texts = new ErrorTexts();
                }
            }
        }

        public string? Message(FinCardPinException failure) => MessageOf(failure, null);

        public string? RecommendedAction(FinCardPinException failure) => ActionOf(failure, null);

        /// <summary>The message in <paramref name="culture"/> (null: the current UI language).</summary>
        public static string MessageOf(FinCardPinException error, CultureInfo? culture)
        {
            var key = "Error." + error.MessageKey;
            if (error.ReaderName == null && Texts.Find(key + ".NoReader", culture) != null)
            {
                key += ".NoReader";
            }

            var template = Texts.Find(key, culture);
            return template == null ? error.FactLine() : Texts.Fill(template, error.Facts, culture);
        }

        /// <summary>The next step in <paramref name="culture"/>, or null when there is none.</summary>
        public static string? ActionOf(FinCardPinException error, CultureInfo? culture)
        {
            var template = Texts.Find("Action." + error.MessageKey, culture) ?? Texts.Find("Action." + error.ErrorId, culture);
            return string.IsNullOrEmpty(template) ? null : Texts.Fill(template!, error.Facts, culture);
        }
    }
}
