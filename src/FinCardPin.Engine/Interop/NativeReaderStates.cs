using System;
using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    // SCARD_READERSTATE for each native ABI. Every layout is explicit and uses fixed-width fields (pointers of the
    // 64-bit layouts are ulong, of the 32-bit layout uint), so its size never depends on the bitness of the process
    // that loads it and every layout can be pinned by a unit test on any machine. All structs are blittable.
    // Field names follow the C declarations (szReader, pvUserData, dwCurrentState, dwEventState, cbAtr, rgbAtr).

    /// <summary>What the shared SCardGetStatusChange marshaller needs from any native reader-state layout.</summary>
    internal interface INativeReaderState
    {
        /// <summary>Sets szReader (a native string the caller owns) and dwCurrentState; leaves the rest as it is.</summary>
        void Fill(IntPtr readerName, uint currentState);

        /// <summary>The low 32 bits of dwEventState: SCARD_STATE_* flags (low 16) and the event counter (high 16).</summary>
        uint RawEventState { get; }

        /// <summary>cbAtr as the service wrote it (not yet clamped to the ATR buffer).</summary>
        long AtrLength { get; }
    }

    /// <summary>rgbAtr[36] of the Windows SCARD_READERSTATE (MAX_ATR_SIZE = 36). Read through native memory only.</summary>
    [StructLayout(LayoutKind.Sequential, Size = Length)]
    internal struct AtrBuffer36
    {
        internal const int Length = 36;

        public byte First;
    }

    /// <summary>rgbAtr[33] of the pcsc-lite and macOS SCARD_READERSTATE (MAX_ATR_SIZE = 33).</summary>
    [StructLayout(LayoutKind.Sequential, Size = Length)]
    internal struct AtrBuffer33
    {
        internal const int Length = 33;

        public byte First;
    }

    /// <summary>Windows x64 SCARD_READERSTATEW: 64 bytes, rgbAtr[36] at 28.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    internal struct WindowsReaderState64 : INativeReaderState
    {
        internal const int AtrOffset = 28;

        [FieldOffset(0)] public ulong szReader;
        [FieldOffset(8)] public ulong pvUserData;
        [FieldOffset(16)] public uint dwCurrentState;
        [FieldOffset(20)] public uint dwEventState;
        [FieldOffset(24)] public uint cbAtr;
        [FieldOffset(AtrOffset)] public AtrBuffer36 rgbAtr;

        public void Fill(IntPtr readerName, uint currentState)
        {
            szReader = unchecked((ulong)readerName.ToInt64());
            dwCurrentState = currentState;
        }

        public uint RawEventState => dwEventState;

        public long AtrLength => cbAtr;
    }

    /// <summary>Windows x86 SCARD_READERSTATEW: 56 bytes, pointers 32-bit, rgbAtr[36] at 20.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 56)]
    internal struct WindowsReaderState32 : INativeReaderState
    {
        internal const int AtrOffset = 20;

        [FieldOffset(0)] public uint szReader;
        [FieldOffset(4)] public uint pvUserData;
        [FieldOffset(8)] public uint dwCurrentState;
        [FieldOffset(12)] public uint dwEventState;
        [FieldOffset(16)] public uint cbAtr;
        [FieldOffset(AtrOffset)] public AtrBuffer36 rgbAtr;

        public void Fill(IntPtr readerName, uint currentState)
        {
            // Only used in a 32-bit process, where every pointer fits.
            szReader = unchecked((uint)readerName.ToInt64());
            dwCurrentState = currentState;
        }

        public uint RawEventState => dwEventState;

        public long AtrLength => cbAtr;
    }

    /// <summary>
    /// pcsc-lite SCARD_READERSTATE on LP64 Linux (x64, arm64): DWORD is unsigned long, so 80 bytes with three
    /// 8-byte DWORDs and rgbAtr[33] at 40 (then 7 bytes of tail padding).
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    internal struct LinuxReaderState : INativeReaderState
    {
        internal const int AtrOffset = 40;

        [FieldOffset(0)] public ulong szReader;
        [FieldOffset(8)] public ulong pvUserData;
        [FieldOffset(16)] public ulong dwCurrentState;
        [FieldOffset(24)] public ulong dwEventState;
        [FieldOffset(32)] public ulong cbAtr;
        [FieldOffset(AtrOffset)] public AtrBuffer33 rgbAtr;

        public void Fill(IntPtr readerName, uint currentState)
        {
            szReader = unchecked((ulong)readerName.ToInt64());
            dwCurrentState = currentState;
        }

        public uint RawEventState => unchecked((uint)dwEventState);

        public long AtrLength => cbAtr > int.MaxValue ? int.MaxValue : (long)cbAtr;
    }

    /// <summary>
    /// macOS PCSC.framework SCARD_READERSTATE: declared under #pragma pack(1), 32-bit DWORDs, 64-bit pointers:
    /// 61 bytes, rgbAtr[33] at 28.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Pack = 1, Size = 61)]
    internal struct MacReaderState : INativeReaderState
    {
        internal const int AtrOffset = 28;

        [FieldOffset(0)] public ulong szReader;
        [FieldOffset(8)] public ulong pvUserData;
        [FieldOffset(16)] public uint dwCurrentState;
        [FieldOffset(20)] public uint dwEventState;
        [FieldOffset(24)] public uint cbAtr;
        [FieldOffset(AtrOffset)] public AtrBuffer33 rgbAtr;

        public void Fill(IntPtr readerName, uint currentState)
        {
            szReader = unchecked((ulong)readerName.ToInt64());
            dwCurrentState = currentState;
        }

        public uint RawEventState => dwEventState;

        public long AtrLength => cbAtr;
    }
}
