using System;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// An SCardBeginTransaction … SCardEndTransaction(LEAVE_CARD) scope: no other program's APDUs come between
    /// ours while it is open. Ending it never throws (the card may already be gone).
    /// </summary>
    public sealed class CardTransaction : IDisposable
    {
        private readonly IPcscApi _api;
        private readonly IntPtr _card;
        private bool _ended;

        internal CardTransaction(IPcscApi api, IntPtr card)
        {
            _api = api;
            _card = card;
        }

        public void Dispose()
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            try
            {
                _api.EndTransaction(_card, Disposition.LeaveCard);
            }
#pragma warning disable CA1031 // A failed end (card removed) must not hide the error that ended the operation.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
