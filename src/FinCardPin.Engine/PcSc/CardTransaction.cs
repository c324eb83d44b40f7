using System;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// An SCardBeginTransaction … SCardEndTransaction scope: no other program's APDUs come between ours while it is
    /// open. It ends leaving the card as it is, or resetting it when a code was sent (see
    /// <see cref="CardConnection.CodeSent"/>). Ending it never throws (the card may already be gone).
    /// </summary>
    internal sealed class CardTransaction : IDisposable
    {
        private readonly CardConnection _connection;
        private bool _ended;

        internal CardTransaction(CardConnection connection)
        {
            _connection = connection;
        }

        public void Dispose()
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _connection.EndTransaction();
        }
    }
}
