using FinCardPin.Engine.Fineid;
using FinCardPin.Localization;

namespace FinCardPin
{
    /// <summary>The answer of Test-CardPin: was the code right, and what is left.</summary>
    public sealed class PinTestResult
    {
        internal PinTestResult(string readerName, string? cardSerial, PinCode code, PinCheckResult result, string message)
        {
            ReaderName = readerName;
            CardSerial = cardSerial;
            Code = code;
            Verified = result.Verified;
            State = result.State;
            TriesLeft = result.TriesLeft;
            Message = message;
            CodeName = Texts.CodeName(code);
        }

        public string ReaderName { get; }

        public string? CardSerial { get; }

        public PinCode Code { get; }

        /// <summary>The name the DVV's instructions use, e.g. "signature code (PIN2)".</summary>
        public string CodeName { get; }

        public bool Verified { get; }

        public PinState State { get; }

        public bool Blocked => State == PinState.Blocked;

        public int? TriesLeft { get; }

        /// <summary>A sentence for people: the result, and the next step when the code is blocked.</summary>
        public string Message { get; }

        public override string ToString() => Message;
    }
}
