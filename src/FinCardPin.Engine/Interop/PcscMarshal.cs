using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace FinCardPin.Engine.Interop
{
    /// <summary>
    /// Platform-independent pieces of the native bindings, kept free of any P/Invoke so that unit tests can run
    /// them without a PC/SC library: return-code conversion, the event-state split, multi-string parsing, native
    /// string allocation and the SCardGetStatusChange marshalling shared by every reader-state layout.
    /// </summary>
    internal static class PcscMarshal
    {
        /// <summary>SCARD_AUTOALLOCATE, (DWORD)-1, for a 32-bit DWORD.</summary>
        internal const uint AutoAllocate32 = uint.MaxValue;

        /// <summary>A Windows or macOS LONG return value.</summary>
        internal static PcscResult FromInt32(int result) => (PcscResult)unchecked((uint)result);

        /// <summary>A pcsc-lite LONG (C long: 64-bit on LP64) truncated to its low 32 bits.</summary>
        internal static PcscResult FromNativeLong(IntPtr result) => (PcscResult)unchecked((uint)result.ToInt64());

        /// <summary>Splits a dwEventState: low 16 bits SCARD_STATE_* flags, high 16 bits the event counter.</summary>
        internal static void SplitEventState(uint rawEventState, out ReaderStates states, out int eventCount)
        {
            states = (ReaderStates)(rawEventState & 0xFFFFu);
            eventCount = (int)(rawEventState >> 16);
        }

        /// <summary>
        /// Splits a multi-string "A\0B\0\0" into its entries. Stops at the first empty entry (the terminating double
        /// NUL); tolerates a missing final terminator. Null or empty input gives an empty list.
        /// </summary>
        internal static IReadOnlyList<string> SplitMultiString(string? multiString)
        {
            var result = new List<string>();
            if (string.IsNullOrEmpty(multiString))
            {
                return result;
            }

            var start = 0;
            while (start < multiString!.Length)
            {
                var end = multiString.IndexOf('\0', start);
                if (end < 0)
                {
                    end = multiString.Length;
                }

                if (end == start)
                {
                    break;
                }

                result.Add(multiString.Substring(start, end - start));
                start = end + 1;
            }

            return result;
        }

        /// <summary>Parses the first <paramref name="byteLength"/> bytes of a UTF-8 multi-string (pcsc-lite, macOS).</summary>
        internal static IReadOnlyList<string> ParseUtf8MultiString(byte[] bytes, int byteLength)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            if (byteLength < 0 || byteLength > bytes.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(byteLength));
            }

            return SplitMultiString(Encoding.UTF8.GetString(bytes, 0, byteLength));
        }

        /// <summary>Reads a UTF-8 multi-string of <paramref name="byteLength"/> bytes from native memory.</summary>
        internal static IReadOnlyList<string> ReadUtf8MultiString(IntPtr native, int byteLength)
        {
            if (native == IntPtr.Zero || byteLength <= 0)
            {
                return Array.Empty<string>();
            }

            var bytes = new byte[byteLength];
            Marshal.Copy(native, bytes, 0, byteLength);
            return ParseUtf8MultiString(bytes, byteLength);
        }

        /// <summary>Reads a UTF-16 multi-string of <paramref name="charLength"/> characters from native memory (Windows).</summary>
        internal static IReadOnlyList<string> ReadUtf16MultiString(IntPtr native, int charLength)
        {
            if (native == IntPtr.Zero || charLength <= 0)
            {
                return Array.Empty<string>();
            }

            return SplitMultiString(Marshal.PtrToStringUni(native, charLength));
        }

        /// <summary>The UTF-8 bytes of <paramref name="value"/> followed by one NUL, for a const char* parameter.</summary>
        internal static byte[] ToNullTerminatedUtf8(string value)
        {
            if (value == null)
            {
                throw new ArgumentNullException(nameof(value));
            }

            var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
            Encoding.UTF8.GetBytes(value, 0, value.Length, bytes, 0);
            return bytes;
        }

        /// <summary>A NUL-terminated UTF-8 copy of <paramref name="value"/> in native memory; free with FreeHGlobal.</summary>
        internal static IntPtr AllocUtf8(string value)
        {
            var bytes = ToNullTerminatedUtf8(value);
            var native = Marshal.AllocHGlobal(bytes.Length);
            Marshal.Copy(bytes, 0, native, bytes.Length);
            return native;
        }

        /// <summary>A NUL-terminated UTF-16 copy of <paramref name="value"/> in native memory; free with FreeHGlobal.</summary>
        internal static IntPtr AllocUtf16(string value) => Marshal.StringToHGlobalUni(value);

        /// <summary>A zero-filled native block of at least one byte; free with FreeHGlobal.</summary>
        internal static IntPtr AllocZeroed(int byteCount)
        {
            var size = Math.Max(1, byteCount);
            var native = Marshal.AllocHGlobal(size);
            Marshal.Copy(new byte[size], 0, native, size);
            return native;
        }

        /// <summary>
        /// Checks the Transmit arguments before any native call: a length beyond its buffer would let the service
        /// read or write past a managed array.
        /// </summary>
        internal static void CheckTransmitArguments(byte[] send, int sendLength, byte[] receive, int receiveLength)
        {
            if (send == null)
            {
                throw new ArgumentNullException(nameof(send));
            }

            if (receive == null)
            {
                throw new ArgumentNullException(nameof(receive));
            }

            if (sendLength < 0 || sendLength > send.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(sendLength));
            }

            if (receiveLength < 0 || receiveLength > receive.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(receiveLength));
            }
        }

        /// <summary>
        /// Runs SCardGetStatusChange over the native layout <typeparamref name="T"/>: allocates a zeroed native array
        /// of <typeparamref name="T"/>, a native reader-name string per entry (UTF-16 when
        /// <paramref name="utf16Names"/>, else UTF-8), fills szReader and dwCurrentState, calls
        /// <paramref name="nativeCall"/> with (array, count), and on success copies back the masked event state,
        /// the event counter and the ATR. Every native allocation is freed before returning.
        /// </summary>
        internal static PcscResult GetStatusChange<T>(ReaderStateQuery[] readers, bool utf16Names, int maxAtrLength,
            Func<IntPtr, int, PcscResult> nativeCall)
            where T : struct, INativeReaderState
        {
            if (readers == null)
            {
                throw new ArgumentNullException(nameof(readers));
            }

            if (nativeCall == null)
            {
                throw new ArgumentNullException(nameof(nativeCall));
            }

            for (var i = 0; i < readers.Length; i++)
            {
                if (readers[i] == null)
                {
                    throw new ArgumentException("null entry", nameof(readers));
                }
            }

            var size = Marshal.SizeOf<T>();
            var atrOffset = Marshal.OffsetOf<T>("rgbAtr").ToInt32();
            var names = new IntPtr[readers.Length];
            var block = IntPtr.Zero;
            try
            {
                block = AllocZeroed(checked(size * readers.Length));
                for (var i = 0; i < readers.Length; i++)
                {
                    names[i] = utf16Names ? AllocUtf16(readers[i].ReaderName) : AllocUtf8(readers[i].ReaderName);
                    var state = default(T);
                    state.Fill(names[i], (uint)readers[i].CurrentState);
                    Marshal.StructureToPtr(state, block + (i * size), false);
                }

                var result = nativeCall(block, readers.Length);
                if (result != PcscResult.Success)
                {
                    return result;
                }

                for (var i = 0; i < readers.Length; i++)
                {
                    var element = block + (i * size);
                    var state = Marshal.PtrToStructure<T>(element);
                    SplitEventState(state.RawEventState, out var flags, out var count);
                    readers[i].EventState = flags;
                    readers[i].EventCount = count;
                    var atrLength = (int)Math.Max(0, Math.Min(state.AtrLength, maxAtrLength));
                    var atr = atrLength == 0 ? Array.Empty<byte>() : new byte[atrLength];
                    if (atrLength > 0)
                    {
                        Marshal.Copy(element + atrOffset, atr, 0, atrLength);
                    }

                    readers[i].Atr = atr;
                }

                return result;
            }
            finally
            {
                foreach (var name in names)
                {
                    if (name != IntPtr.Zero)
                    {
                        Marshal.FreeHGlobal(name);
                    }
                }

                if (block != IntPtr.Zero)
                {
                    Marshal.FreeHGlobal(block);
                }
            }
        }
    }
}
