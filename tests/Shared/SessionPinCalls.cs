using FinCardPin.Engine.Fineid;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.TestSupport
{
    /// <summary>
    /// The session's PIN operations as the cmdlets reach them: each test code goes through the input rules
    /// (<see cref="CheckedPin.Check"/>) for the session's card first, as the operations require. The buffers stay the
    /// test's to dispose (a test may send the same code twice).
    /// </summary>
    internal static class SessionPinCalls
    {
        public static PinCheckResult Test(FineidSession session, PinCode code, PinBuffer pin, bool force) =>
            session.TestPin(code, Checked(session, code, pin, CodeRole.Given), force);

        public static void Change(FineidSession session, PinCode code, PinBuffer current, PinBuffer next, bool force) =>
            session.ChangePin(code, Checked(session, code, current, CodeRole.Current), Checked(session, code, next, CodeRole.New), force);

        public static void Unblock(FineidSession session, PinCode code, PinBuffer activationCode, PinBuffer next, bool force) =>
            session.UnblockPin(code, Checked(session, PinCode.ActivationCode, activationCode, CodeRole.Given), Checked(session, code, next, CodeRole.New), force);

        /// <summary>The code checked for this session's kind of card (not disposed: the buffer is the caller's).</summary>
        public static CheckedPin Checked(FineidSession session, PinCode code, PinBuffer value, CodeRole role) =>
            CheckedPin.Check(session.Identity.Kind, code, value, role);
    }
}
