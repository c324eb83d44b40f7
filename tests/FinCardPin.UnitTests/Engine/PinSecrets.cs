using System.Security;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.UnitTests.Engine
{
    internal static class PinSecrets
    {
        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public static PinBuffer Pin(string text)
        {
            using var secure = Secure(text);
            return PinBuffer.FromSecureString(secure);
        }
    }
}
