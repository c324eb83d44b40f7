using System.Runtime.CompilerServices;
using System.Text;
using FinCardPin.Engine.Secrets;
using FinCardPin.VirtualCard;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// Writes virtual card files for New-VirtualCard. With PcscProvider, the only class of the cmdlets that calls into
    /// the virtual card's assembly (others name only its constants, compiled in): its methods are not inlined, so
    /// FinCardPin.VirtualCard.dll is loaded when a card is made, not at Import-Module.
    /// </summary>
    internal static class VirtualCardFiles
    {
        /// <summary>The codes and counters of the card to make; the codes' buffers belong to the caller.</summary>
        internal sealed class Request
        {
            public VirtualCardKind Kind { get; set; }

            public string Serial { get; set; } = string.Empty;

            public bool Activated { get; set; }

            public PinBuffer? Pin1 { get; set; }

            public PinBuffer? Pin2 { get; set; }

            public PinBuffer ActivationCode { get; set; } = null!;

            public int? Pin1TriesLeft { get; set; }

            public int? Pin2TriesLeft { get; set; }

            public int? ActivationCodeTriesLeft { get; set; }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        /// <summary>
        /// A serial for a card made without -Serial: ten digits, random, so that two such cards in two readers are two
        /// cards to the module (it tells cards apart by serial). The leading 1 keeps it clear of the 9246... of the tests.
        /// </summary>
        public static string NewSerial()
        {
            var bytes = new byte[8];
            using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return "1" + (System.BitConverter.ToUInt64(bytes, 0) % 1_000_000_000UL).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        }

        public static void Write(string path, Request request)
        {
            var variant = request.Kind == VirtualCardKind.SoteCard ? VirtualCardVariant.Sote : VirtualCardVariant.Organisation;
            var profile = request.Kind == VirtualCardKind.IdentityCard ? VirtualCardProfile.IdentityThalesV5 : VirtualCardProfile.OrganisationIdemiaIdMe;
            VirtualCardState state;
            if (request.Activated)
            {
                state = VirtualCardState.Activated(profile, Digits(request.Pin1!), Digits(request.Pin2!), Digits(request.ActivationCode), request.Serial, variant);
            }
            else if (request.ActivationCode.Length == 7)
            {
                state = VirtualCardState.Unactivated2026(Digits(request.ActivationCode), request.Serial);
            }
            else
            {
                state = VirtualCardState.Pre2026Unactivated(profile, Digits(request.ActivationCode), request.Serial, variant);
            }

            if (request.Pin1TriesLeft.HasValue) state.Pin1.TriesLeft = request.Pin1TriesLeft.Value;
            if (request.Pin2TriesLeft.HasValue) state.Pin2.TriesLeft = request.Pin2TriesLeft.Value;
            if (request.ActivationCodeTriesLeft.HasValue) state.ActivationCode.TriesLeft = request.ActivationCodeTriesLeft.Value;
            state.Save(path);
        }

        // A virtual card keeps its codes in clear in its file (it is a test card, and its file is its memory), so
        // here a code does become a string: only for virtual cards, never for a code sent to a real card.
        private static string Digits(PinBuffer code)
        {
            var bytes = new byte[code.Length];
            try
            {
                code.CopyTo(bytes, 0);
                return Encoding.ASCII.GetString(bytes);
            }
            finally
            {
                SecureMemory.Zero(bytes);
            }
        }
    }
}
