using System.Runtime.InteropServices;

namespace FinCardPin.Engine.Interop
{
    // SCARD_IO_REQUEST {dwProtocol, cbPciLength} for each native ABI. SCardTransmit reads only these two fields of
    // the send PCI, so the bindings build it themselves (no dlsym of g_rgSCardT0Pci / g_rgSCardT1Pci).

    /// <summary>Windows SCARD_IO_REQUEST (x64 and x86): two 32-bit DWORDs, 8 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    internal struct WindowsIoRequest
    {
        [FieldOffset(0)] public uint dwProtocol;
        [FieldOffset(4)] public uint cbPciLength;

        internal static WindowsIoRequest For(Protocols protocol) =>
            new WindowsIoRequest { dwProtocol = (uint)protocol, cbPciLength = (uint)Marshal.SizeOf<WindowsIoRequest>() };
    }

    /// <summary>pcsc-lite SCARD_IO_REQUEST on LP64 Linux: two unsigned longs, 16 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 16)]
    internal struct LinuxIoRequest
    {
        [FieldOffset(0)] public ulong dwProtocol;
        [FieldOffset(8)] public ulong cbPciLength;

        internal static LinuxIoRequest For(Protocols protocol) =>
            new LinuxIoRequest { dwProtocol = (uint)protocol, cbPciLength = (ulong)Marshal.SizeOf<LinuxIoRequest>() };
    }

    /// <summary>macOS SCARD_IO_REQUEST: two uint32_t, 8 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 8)]
    internal struct MacIoRequest
    {
        [FieldOffset(0)] public uint dwProtocol;
        [FieldOffset(4)] public uint cbPciLength;

        internal static MacIoRequest For(Protocols protocol) =>
            new MacIoRequest { dwProtocol = (uint)protocol, cbPciLength = (uint)Marshal.SizeOf<MacIoRequest>() };
    }
}
