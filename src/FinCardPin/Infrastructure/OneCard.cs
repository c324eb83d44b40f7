using System;
using FinCardPin.Engine.Errors;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The one card a code given as a parameter is for, when records are piped: the card (by the serial read from it)
    /// of the first record that reached a card. The same digits are never tried on a second card, which may be
    /// another person's and on its last tries; a record for another card is refused before any code goes to it, and
    /// the records already handled stand. Checked on the worker thread inside the card session: thread-safe.
    /// </summary>
    internal sealed class OneCard
    {
        private readonly object _gate = new object();
        private bool _bound;
        private string? _serial;

        /// <summary>The serial of the card the code is for; null until a record reached a card (or when it had none).</summary>
        public string? Serial
        {
            get
            {
                lock (_gate)
                {
                    return _serial;
                }
            }
        }

        /// <summary>
        /// Binds the code to this card at the first call; refuses any other card later, and any card at all when the
        /// first one's serial could not be read (then nobody can tell that it is the same one).
        /// </summary>
        public void Check(string? serial, string readerName)
        {
            lock (_gate)
            {
                if (!_bound)
                {
                    _bound = true;
                    _serial = serial;
                    return;
                }

                if (_serial == null || !string.Equals(_serial, serial, StringComparison.Ordinal))
                {
                    throw Refuse(serial, readerName);
                }
            }
        }

        /// <summary>The refusal of a record for another card (<paramref name="readerName"/> null: before a reader was chosen).</summary>
        public FinCardPinException Refuse(string? otherSerial, string? readerName)
        {
            var error = new FinCardPinException(ErrorIds.CodeForOneCard, FailureKind.InvalidArgument)
                .With("serial", Serial)
                .With("other", otherSerial);
            if (readerName != null)
            {
                error.ReaderName = readerName;
            }

            return error;
        }
    }
}
