using FinCardPin.Engine.Fineid;
using FinCardPin.UnitTests.Fakes;

namespace FinCardPin.UnitTests.Engine
{
    /// <summary>
    /// The PIN operations and card commands on an opened scripted card, with test codes given as digits: each code is a
    /// <c>PinBuffer</c> for the call only and disposed after it, so a test names the code and its digits in one line
    /// instead of repeating the buffers' setup.
    /// </summary>
    internal static class OpenedCardCodes
    {
        public static PinCheckResult Test(this FakeCards.Opened opened, PinCode code, string pin, bool force)
        {
            using var buffer = PinSecrets.Pin(pin);
            return PinOperations.Test(opened.Session, code, buffer, force);
        }

        public static void Change(this FakeCards.Opened opened, PinCode code, string current, string next, bool force)
        {
            using var currentBuffer = PinSecrets.Pin(current);
            using var nextBuffer = PinSecrets.Pin(next);
            PinOperations.Change(opened.Session, code, currentBuffer, nextBuffer, force);
        }

        public static void Unblock(this FakeCards.Opened opened, PinCode code, string activationCode, string next, bool force)
        {
            using var activationCodeBuffer = PinSecrets.Pin(activationCode);
            using var nextBuffer = PinSecrets.Pin(next);
            PinOperations.Unblock(opened.Session, code, activationCodeBuffer, nextBuffer, force);
        }

        public static PinCommandResult VerifyCode(this FakeCards.Opened opened, PinCode code, string pin)
        {
            using var buffer = PinSecrets.Pin(pin);
            return opened.Card.VerifyCode(code, buffer);
        }

        public static PinCommandResult ChangeCode(this FakeCards.Opened opened, PinCode code, string current, string next)
        {
            using var currentBuffer = PinSecrets.Pin(current);
            using var nextBuffer = PinSecrets.Pin(next);
            return opened.Card.ChangeCode(code, currentBuffer, nextBuffer);
        }

        public static PinCommandResult UnblockCode(this FakeCards.Opened opened, PinCode code, string activationCode, string next)
        {
            using var activationCodeBuffer = PinSecrets.Pin(activationCode);
            using var nextBuffer = PinSecrets.Pin(next);
            return opened.Card.UnblockCode(code, activationCodeBuffer, nextBuffer);
        }
    }
}
