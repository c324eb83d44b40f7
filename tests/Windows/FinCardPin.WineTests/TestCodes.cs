using System.Security;
using FinCardPin.Engine.Secrets;

namespace FinCardPin.WineTests
{
    /// <summary>The virtual cards' known test codes, handed to the engine the way the cmdlets do: as a SecureString.</summary>
    internal static class TestCodes
    {
        public const string IdentityPin1 = "1234";
        public const string IdentityPin2 = "123456";
        public const string IdentityActivationCode = "12345678";
        public const string OrganisationPin1 = "4321";
        public const string OrganisationPin2 = "654321";
        public const string OrganisationActivationCode = "87654321";

        public static PinBuffer Buffer(string digits)
        {
            using (var secret = new SecureString())
            {
                foreach (var c in digits)
                {
                    secret.AppendChar(c);
                }

                return PinBuffer.FromSecureString(secret);
            }
        }
    }
}
