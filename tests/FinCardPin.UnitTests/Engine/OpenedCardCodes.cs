using FinCardPin.Engine.Fineid;
using FinCardPin.UnitTests.Fakes;
using FinCardPin.TestSupport;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// The session's PIN operations and the card's own commands on an opened scripted card, with test codes given as
    /// digits: each code is a <c>PinBuffer</c> for the call only, checked against the input rules as every caller's must
    /// be, and disposed after it, so a test names the code and its digits in one line instead of repeating the setup.
    /// </summary>
    internal static class OpenedCardCodes
    {
        public static PinCheckResult Test(this FakeCards.Opened opened, PinCode code, string pin, bool force)
        {
            using var buffer = PinSecrets.Pin(pin);
            return SessionPinCalls.Test(opened.Session, code, buffer, force);
        }

        public static void Change(this FakeCards.Opened opened, PinCode code, string current, string next, bool force)
        {
            using var currentBuffer = PinSecrets.Pin(current);
            using var nextBuffer = PinSecrets.Pin(next);
            SessionPinCalls.Change(opened.Session, code, currentBuffer, nextBuffer, force);
        }

        public static void Unblock(this FakeCards.Opened opened, PinCode code, string activationCode, string next, bool force)
        {
            using var activationCodeBuffer = PinSecrets.Pin(activationCode);
            using var nextBuffer = PinSecrets.Pin(next);
            SessionPinCalls.Unblock(opened.Session, code, activationCodeBuffer, nextBuffer, force);
        }

        public static PinCommandResult VerifyCode(this FakeCards.Opened opened, PinCode code, string pin)
        {
            using var buffer = PinSecrets.Pin(pin);
            return opened.Card.VerifyCode(code, SessionPinCalls.Checked(opened.Session, code, buffer, CodeRole.Given));
        }

        public static PinCommandResult ChangeCode(this FakeCards.Opened opened, PinCode code, string current, string next)
        {
            using var currentBuffer = PinSecrets.Pin(current);
            using var nextBuffer = PinSecrets.Pin(next);
            return opened.Card.ChangeCode(code, SessionPinCalls.Checked(opened.Session, code, currentBuffer, CodeRole.Current),
                SessionPinCalls.Checked(opened.Session, code, nextBuffer, CodeRole.New));
        }

        public static PinCommandResult UnblockCode(this FakeCards.Opened opened, PinCode code, string activationCode, string next)
        {
            using var activationCodeBuffer = PinSecrets.Pin(activationCode);
            using var nextBuffer = PinSecrets.Pin(next);
            return opened.Card.UnblockCode(code, SessionPinCalls.Checked(opened.Session, PinCode.ActivationCode, activationCodeBuffer, CodeRole.Given),
                SessionPinCalls.Checked(opened.Session, code, nextBuffer, CodeRole.New));
        }
    }
}
