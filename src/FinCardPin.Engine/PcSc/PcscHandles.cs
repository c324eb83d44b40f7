using System;
using System.Runtime.InteropServices;
using FinCardPin.Engine.Interop;

namespace FinCardPin.Engine.PcSc
{
    /// <summary>
    /// An SCARDCONTEXT. Releasing it never throws: an exception escaping a finalizer kills the process (seen with
    /// pcsc-sharp after an RDP reconnect).
    /// </summary>
    internal sealed class ContextHandle : SafeHandle
    {
        private readonly IPcscApi _api;

        public ContextHandle(IPcscApi api, IntPtr context)
            : base(IntPtr.Zero, ownsHandle: true)
        {
            _api = api;
            SetHandle(context);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            try
            {
                _api.ReleaseContext(handle);
            }
#pragma warning disable CA1031 // Release must not throw, whatever the native side does.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            return true;
        }
    }

    /// <summary>
    /// An SCARDHANDLE; released with SCARD_LEAVE_CARD so that other programs keep the card as it is, unless its owner
    /// asks for a reset (after a code was sent).
    /// </summary>
    internal sealed class CardHandle : SafeHandle
    {
        private readonly IPcscApi _api;

        public CardHandle(IPcscApi api, IntPtr card)
            : base(IntPtr.Zero, ownsHandle: true)
        {
            _api = api;
            SetHandle(card);
        }

        public override bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>How the card is left when the handle is released.</summary>
        public Disposition ReleaseDisposition { get; set; } = Disposition.LeaveCard;

        protected override bool ReleaseHandle()
        {
            try
            {
                _api.Disconnect(handle, ReleaseDisposition);
            }
#pragma warning disable CA1031 // Release must not throw, whatever the native side does.
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            return true;
        }
    }
}
