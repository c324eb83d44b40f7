using FinCardPin.Engine.Errors;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// "Is this a usable FINEID card", decided here only, from the reader's state and the ATR (no command is sent):
    /// choosing a reader, opening a session, listing readers and the diagnostics report all ask this class.
    /// </summary>
    internal static class UsableCard
    {
        /// <summary>What the ATR says about the reader's card; kind None when the reader holds no card.</summary>
        public static CardIdentity IdentityOf(ReaderSnapshot reader) =>
            reader.HasCard ? AtrCatalog.Identify(reader.Atr) : new CardIdentity(CardKind.None, null);

        /// <summary>
        /// The reader holds a FINEID card (contactless ones too: choosing such a reader then ends in the error that
        /// says why the card cannot be used there, rather than "no FINEID card").
        /// </summary>
        public static bool HoldsFineid(ReaderSnapshot reader) => IdentityOf(reader).IsFineid;

        /// <summary>
        /// The card's identity when PIN commands can go to it: a FINEID card seen through a contact reader. Refuses a
        /// reader without a card, another kind of card, and a contactless one (PIN commands need PACE there).
        /// </summary>
        /// <param name="operation">What was being done, for the no-card failure.</param>
        public static CardIdentity Require(ReaderSnapshot reader, CardOperation operation)
        {
            if (reader == null)
            {
                throw new System.ArgumentNullException(nameof(reader));
            }

            if (!reader.HasCard)
            {
                throw PcscErrorMap.ToException(PcscResult.NoSmartCard, reader.Name, operation);
            }

            var identity = AtrCatalog.Identify(reader.Atr);
            if (!identity.IsFineid)
            {
                throw CardErrors.NotFineid(reader.Name);
            }

            if (identity.IsContactless)
            {
                throw CardErrors.Contactless(reader.Name);
            }

            return identity;
        }
    }
}
