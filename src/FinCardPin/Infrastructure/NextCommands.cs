using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The next step as a command that works when pasted (the table column), beside the full advice that the list
    /// view and NextStep carry. Where no command helps (a used-up activation code), there is none: the words are in
    /// NextStep only.
    /// </summary>
    internal static class NextCommands
    {
        /// <summary>
        /// The command for <paramref name="advice"/> on <paramref name="code"/>; null when nothing needs doing or no
        /// command can do it. <paramref name="readerName"/>, when given (more than one card is present), is named with
        /// -ReaderName, so that the command does not stop at MultipleFineidCards.
        /// </summary>
        public static string? For(PinCode code, PinAdvice advice, string? readerName = null)
        {
            string command;
            switch (advice)
            {
                case PinAdvice.Unblock:
                case PinAdvice.ActivateByUnlock:
                case PinAdvice.UnblockOrActivate:
                    command = "Unlock-CardPin -Code " + code;
                    break;
                case PinAdvice.ActivateBySet:
                    command = "Set-CardPin -Code " + code;
                    break;
                default:
                    return null;
            }

            return readerName == null ? command : command + " -ReaderName " + Literal(readerName);
        }

        /// <summary>True when <paramref name="advice"/> has a command (and so may need the reader named).</summary>
        public static bool HasCommand(PinAdvice advice) => For(PinCode.Pin1, advice) != null;

        /// <summary>
        /// The reader name as a user reads and types it: inside single quotes with any quote doubled
        /// (about_Quoting_Rules). Its wildcard characters (pcsc-lite names hold "[...]") need no escape: a reader's
        /// exact name is always that reader.
        /// </summary>
        public static string Literal(string readerName) => "'" + readerName.Replace("'", "''") + "'";

        /// <summary>The full advice in words; null when nothing needs doing.</summary>
        public static string? Advice(PinAdvice advice) => advice == PinAdvice.None ? null : Texts.Get("Advice." + advice);
    }
}
