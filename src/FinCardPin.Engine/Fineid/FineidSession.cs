using System;
using System.Collections.Generic;
using FinCardPin.Engine.Errors;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Engine.Fineid
{
    /// <summary>
    /// One operation's exclusive time with a FINEID card: connected, inside a transaction, the application selected
    /// and the serial read. Refuses before any PIN command when the reader holds no card, another kind of card, or
    /// another card than the one the caller chose.
    /// </summary>
    public sealed class FineidSession : IDisposable
    {
        private readonly CardConnection _connection;
        private readonly CardTransaction _transaction;

        private FineidSession(CardConnection connection, CardTransaction transaction, CardIdentity identity, FineidCard card, string? serial)
        {
            _connection = connection;
            _transaction = transaction;
            Identity = identity;
            Card = card;
            Serial = serial;
        }

        public string ReaderName => _connection.ReaderName;

        public CardIdentity Identity { get; }

        public FineidCard Card { get; }

        public string? Serial { get; }

        /// <summary>Receives what the session learnt from the card or had to assume (for -Verbose).</summary>
        public Action<CardNote>? Explain { get; set; }

        private CardPinRules? _cardRules;

        /// <summary>
        /// The card's own PIN rules from its PKCS#15 data, read at most once per session and only by the operations
        /// that need them (status reads never do).
        /// </summary>
        public CardPinRules CardRules()
        {
            if (_cardRules == null)
            {
                var objects = Card.ReadPinObjects(out var whyNot);
                _cardRules = new CardPinRules(Identity.Kind, Card.Profile, objects, whyNot, Explain)
                {
                    Probe = Card.ProbeReference,
                    UseReference = Card.UseReference,
                };
            }

            return _cardRules;
        }

        /// <summary>Command APDUs sent so far in this session.</summary>
        public int CommandsSent => _connection.CommandsSent;

        /// <param name="expectedSerial">When set, the card must have this serial or nothing more is sent.</param>
        public static FineidSession Open(PcscContext context, string readerName, string? expectedSerial, Action<string>? trace)
        {
            if (context == null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            return Open(context, context.GetReader(readerName), expectedSerial, trace);
        }

        /// <summary>Opens the card in a reader whose state the caller has just read.</summary>
        /// <param name="expectedSerial">When set, the card must have this serial or nothing more is sent.</param>
        /// <param name="expectedEventCount">
        /// The reader's event counter when <paramref name="expectedSerial"/> was read (from a piped object). PC/SC
        /// counts every insertion and removal in it: when the reader still shows the same count once the transaction
        /// is ours, the card is the same one and its serial need not be read again.
        /// </param>
        public static FineidSession Open(PcscContext context, ReaderSnapshot reader, string? expectedSerial, Action<string>? trace, int? expectedEventCount = null)
        {
            if (context == null || reader == null)
            {
                throw new ArgumentNullException(context == null ? nameof(context) : nameof(reader));
            }

            var readerName = reader.Name;
            if (!reader.HasCard)
            {
                throw PcscErrorMap.ToException(Interop.PcscResult.NoSmartCard, readerName, CardOperation.OpenCard);
            }

            var identity = AtrCatalog.Identify(reader.Atr);
            if (!identity.IsFineid)
            {
                throw CardErrors.NotFineid(readerName);
            }

            if (identity.IsContactless)
            {
                throw CardErrors.Contactless(readerName);
            }

            var connection = context.Connect(readerName);
            CardTransaction? transaction = null;
            try
            {
                connection.Trace = trace;
                transaction = connection.BeginTransaction();
                var card = new FineidCard(connection, identity.Kind);
                card.SelectApplication();
                var serial = SameCardSinceListed(context, readerName, expectedSerial, expectedEventCount) ? expectedSerial : card.ReadSerial();
                if (expectedSerial != null && !string.Equals(expectedSerial, serial, StringComparison.Ordinal))
                {
                    throw CardErrors.CardChanged(readerName, expectedSerial, serial);
                }

                // A reset by another program may also mean another card: after it, the serial is checked again before
                // anything else is sent.
                connection.AfterReset = _ =>
                {
                    card.SelectApplication();
                    var now = card.ReadSerial();
                    if (!string.Equals(serial, now, StringComparison.Ordinal))
                    {
                        throw CardErrors.CardChanged(readerName, serial, now);
                    }
                };

                return new FineidSession(connection, transaction, identity, card, serial);
            }
            catch
            {
                transaction?.Dispose();
                connection.Dispose();
                throw;
            }
        }

        // Where the platform reports no event counter (0) the serial is read as before.
        private static bool SameCardSinceListed(PcscContext context, string readerName, string? expectedSerial, int? expectedEventCount)
        {
            if (expectedSerial == null || !expectedEventCount.HasValue || expectedEventCount.Value == 0)
            {
                return false;
            }

            var now = context.GetReader(readerName);
            return now.HasCard && now.EventCount == expectedEventCount.Value;
        }

        /// <summary>PIN1, PIN2 and the activation code, as far as the card tells them; spends no try.</summary>
        public IReadOnlyList<PinStatusInfo> ReadAllStatus() => new[]
        {
            Card.ReadStatus(PinCode.Pin1),
            Card.ReadStatus(PinCode.Pin2),
            Card.ReadStatus(PinCode.ActivationCode),
        };

        public void Dispose()
        {
            _transaction.Dispose();
            _connection.Dispose();
        }
    }
}
