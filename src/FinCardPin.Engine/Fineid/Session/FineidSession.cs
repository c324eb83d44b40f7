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
    internal sealed partial class FineidSession : IDisposable
    {
        private readonly CardConnection _connection;
        private readonly CardTransaction _transaction;

        private FineidSession(CardConnection connection, CardTransaction transaction, CardIdentity identity, FineidCard card, string? serial,
            bool serialReadFromCard, CardSighting? sighting)
        {
            _connection = connection;
            _transaction = transaction;
            Identity = identity;
            Card = card;
            Serial = serial;
            SerialReadFromCard = serialReadFromCard;
            Sighting = sighting;
        }

        public string ReaderName => _connection.ReaderName;

        public CardIdentity Identity { get; }

        /// <summary>The card's own commands, unguarded: the session's PIN operations (FineidSession.Pin.cs) are the way to send a code.</summary>
        internal FineidCard Card { get; }

        public string? Serial { get; }

        /// <summary>
        /// Whether this session read <see cref="Serial"/> from the card itself; false only when a status read was
        /// spared it by a <see cref="CardSighting"/>. Nothing that carries a code is sent in a session without it.
        /// </summary>
        public bool SerialReadFromCard { get; }

        /// <summary>That this card was read here (null when its serial or the reader's event count is unknown).</summary>
        public CardSighting? Sighting { get; }

        /// <summary>Why <see cref="Serial"/> is unknown although the card gave a serial field (not a FINEID serial), or null.</summary>
        public CardNote? SerialNote => Card.SerialNote;

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

        /// <summary>What the reader's keypad can do, asked on this session's own connection (no second connection, no code).</summary>
        public PinPad.PinPadInfo ReadPinPad() => _connection.ReadPinPad();

        /// <param name="expectedSerial">When set, the card must have this serial or nothing more is sent.</param>
        public static FineidSession Open(PcscContext context, string readerName, string? expectedSerial, Action<string>? trace)
        {
            if (context == null)
            {
                throw new ArgumentNullException(nameof(context));
            }

            return Open(context, context.GetReader(readerName), expectedSerial, trace);
        }

        /// <summary>
        /// Opens the card in a reader whose state the caller has just read, and reads its serial from the card: every
        /// session that may send a code starts so, whatever the caller believes about the card.
        /// </summary>
        /// <param name="expectedSerial">When set, the card must have this serial or nothing more is sent.</param>
        public static FineidSession Open(PcscContext context, ReaderSnapshot reader, string? expectedSerial, Action<string>? trace) =>
            Open(context, reader, expectedSerial, trace, null);

        /// <summary>
        /// Opens the card for reading its state only (no command that carries a code may be sent in this session).
        /// </summary>
        /// <param name="expectedSerial">When set, the card must have this serial or nothing more is sent.</param>
        /// <param name="sighting">
        /// This process's own record of reading <paramref name="expectedSerial"/> in this reader. PC/SC counts every
        /// insertion and removal in the reader's event count: when the same service still shows the same count once
        /// the transaction is ours, the card is the one that was read and its serial need not be read again. A count
        /// means nothing across a service restart or another service, so a sighting from another one is not taken.
        /// </param>
        public static FineidSession OpenForStatus(PcscContext context, ReaderSnapshot reader, string? expectedSerial, Action<string>? trace, CardSighting? sighting) =>
            Open(context, reader, expectedSerial, trace, sighting);

        private static FineidSession Open(PcscContext context, ReaderSnapshot reader, string? expectedSerial, Action<string>? trace, CardSighting? sighting)
        {
            if (context == null || reader == null)
            {
                throw new ArgumentNullException(context == null ? nameof(context) : nameof(reader));
            }

            var readerName = reader.Name;
            var identity = UsableCard.Require(reader, CardOperation.OpenCard);

            var connection = context.Connect(readerName);
            CardTransaction? transaction = null;
            try
            {
                connection.Trace = trace;
                transaction = connection.BeginTransaction();
                var card = new FineidCard(connection, identity.Kind);
                card.SelectApplication();
                var spared = SameCardSinceSighted(context, readerName, expectedSerial, sighting);
                var serial = spared ? expectedSerial : card.ReadSerial();
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

                var seen = serial == null || reader.EventCount == 0 ? null : new CardSighting(context.Api, readerName, serial, reader.EventCount);
                return new FineidSession(connection, transaction, identity, card, serial, !spared, seen);
            }
            catch
            {
                transaction?.Dispose();
                connection.Dispose();
                throw;
            }
        }

        // Where the platform reports no event counter (0) the serial is read as before.
        private static bool SameCardSinceSighted(PcscContext context, string readerName, string? expectedSerial, CardSighting? sighting)
        {
            if (expectedSerial == null || sighting == null || sighting.EventCount == 0
                || !ReferenceEquals(sighting.Service, context.Api)
                || !string.Equals(sighting.ReaderName, readerName, StringComparison.Ordinal)
                || !string.Equals(sighting.Serial, expectedSerial, StringComparison.Ordinal))
            {
                return false;
            }

            var now = context.GetReader(readerName);
            return now.HasCard && now.EventCount == sighting.EventCount;
        }

        /// <summary>The tries and state of one code, as far as the card tells them; spends no try.</summary>
        public PinStatusInfo ReadStatus(PinCode code) => Card.ReadStatus(code);

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
