using System;

namespace FinCardPin.Engine.Interop
{
    /// <summary>SCARD_SCOPE_*: the same values on every platform.</summary>
    internal enum PcscScope : uint
    {
        User = 0,
        System = 2,
    }

    /// <summary>SCARD_SHARE_*: the same values on every platform.</summary>
    internal enum ShareMode : uint
    {
        Exclusive = 1,
        Shared = 2,
        Direct = 3,
    }

    /// <summary>SCARD_LEAVE_CARD … SCARD_EJECT_CARD: the same values on every platform.</summary>
    internal enum Disposition : uint
    {
        LeaveCard = 0,
        ResetCard = 1,
        UnpowerCard = 2,
        EjectCard = 3,
    }

    /// <summary>
    /// Transmission protocols. T=0 and T=1 have the same values everywhere; SCARD_PROTOCOL_RAW differs per
    /// platform, so it is not part of the neutral shape (the engine never asks for it).
    /// </summary>
    [Flags]
    internal enum Protocols : uint
    {
        Undefined = 0,
        T0 = 1,
        T1 = 2,
        Any = T0 | T1,
    }

    /// <summary>
    /// SCARD_STATE_* bits of dwCurrentState / dwEventState (low 16 bits; the high 16 bits are an event counter
    /// that <see cref="ReaderStateQuery.EventCount"/> carries separately). The same values on every platform.
    /// </summary>
    [Flags]
    internal enum ReaderStates : uint
    {
        Unaware = 0x0000,
        Ignore = 0x0001,
        Changed = 0x0002,
        Unknown = 0x0004,
        Unavailable = 0x0008,
        Empty = 0x0010,
        Present = 0x0020,
        AtrMatch = 0x0040,
        Exclusive = 0x0080,
        InUse = 0x0100,
        Mute = 0x0200,
        Unpowered = 0x0400,
    }
}
