using System;
using System.Globalization;

namespace FinCardPin.Engine.Apdu
{
    /// <summary>SW1 SW2, with the readings the engine and the FINEID logic need.</summary>
    internal readonly struct StatusWord : IEquatable<StatusWord>
    {
        public static readonly StatusWord Success = new StatusWord(0x90, 0x00);
        public static readonly StatusWord WrongLength = new StatusWord(0x67, 0x00);
        public static readonly StatusWord SecurityStatusNotSatisfied = new StatusWord(0x69, 0x82);
        public static readonly StatusWord AuthenticationMethodBlocked = new StatusWord(0x69, 0x83);
        public static readonly StatusWord ReferenceDataInvalidated = new StatusWord(0x69, 0x84);
        public static readonly StatusWord ConditionsNotSatisfied = new StatusWord(0x69, 0x85);
        public static readonly StatusWord WrongData = new StatusWord(0x6A, 0x80);
        public static readonly StatusWord FileNotFound = new StatusWord(0x6A, 0x82);
        public static readonly StatusWord ReferenceNotFound = new StatusWord(0x6A, 0x88);

        public StatusWord(byte sw1, byte sw2)
        {
            Sw1 = sw1;
            Sw2 = sw2;
        }

        public byte Sw1 { get; }
        public byte Sw2 { get; }

        public ushort Value => (ushort)((Sw1 << 8) | Sw2);

        public bool IsSuccess => Sw1 == 0x90 && Sw2 == 0x00;

        /// <summary>61xx: more answer data waits for GET RESPONSE; xx bytes (00 = 256 or more).</summary>
        public bool IsMoreData => Sw1 == 0x61;

        /// <summary>6Cxx: wrong Le; resend the same command with Le = xx (00 = 256).</summary>
        public bool IsWrongLe => Sw1 == 0x6C;

        /// <summary>63Cx: a wrong or probed PIN with x tries left (63C0: now blocked).</summary>
        public bool IsTriesLeft => Sw1 == 0x63 && (Sw2 & 0xF0) == 0xC0;

        public int TriesLeft => IsTriesLeft ? Sw2 & 0x0F : throw new InvalidOperationException("Not a 63Cx status word.");

        /// <summary>SW2 as a length where 00 means 256 (the 61xx and 6Cxx readings).</summary>
        public int LengthFromSw2 => Sw2 == 0 ? 256 : Sw2;

        public bool Equals(StatusWord other) => Value == other.Value;

        public override bool Equals(object? obj) => obj is StatusWord other && Equals(other);

        public override int GetHashCode() => Value;

        public static bool operator ==(StatusWord left, StatusWord right) => left.Equals(right);

        public static bool operator !=(StatusWord left, StatusWord right) => !left.Equals(right);

        public override string ToString() =>
            Sw1.ToString("X2", CultureInfo.InvariantCulture) + " " + Sw2.ToString("X2", CultureInfo.InvariantCulture);
    }
}
