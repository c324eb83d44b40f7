using System;
using System.IO;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>
    /// SCardControl on a virtual reader: its keypad (<see cref="VirtualPinPad"/>) answers, and a reader without one
    /// answers every code "not supported", as vpcd does.
    /// </summary>
    internal sealed partial class VirtualPcscApi
    {
        /// <summary>Gives reader <paramref name="slot"/> a keypad (null: none).</summary>
        public void AttachPinPad(int slot, VirtualPinPad? pinPad)
        {
            lock (_gate)
            {
                SlotAt(slot).PinPad = pinPad;
            }
        }

        /// <summary>pcsc-lite's form: the virtual readers stand in for readers under pcscd (they accept the Windows form too).</summary>
        public uint ControlCode(int functionNumber) => ControlCodes.PcscLite(functionNumber);

        public PcscResult Control(IntPtr card, uint controlCode, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            if (send == null || receive == null || sendLength < 0 || sendLength > send.Length || receiveLength < 0)
            {
                return PcscResult.InvalidParameter;
            }

            lock (_gate)
            {
                PcscResult maySend = HandleThatMaySend(card, out HandleEntry? handle);
                if (maySend != PcscResult.Success)
                {
                    return maySend;
                }

                Slot slot = handle!.Slot;

                if (slot.PinPad != null)
                {
                    try
                    {
                        // A card that vanished behind the keypad leaves the reader empty, as on the plain send path: pcscd
                        // would report it gone, and the next call must see it so.
                        bool vanished = false;
                        PcscResult result = slot.PinPad.Control(controlCode, send, sendLength, apdu =>
                        {
                            byte[]? answer = slot.Card?.Transmit(apdu, apdu.Length);
                            vanished |= answer == null;
                            return answer;
                        }, receive, ref receiveLength);
                        if (vanished && slot.HasCard)
                        {
                            RemoveCard(slot);
                        }

                        return result;
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                    {
                        receiveLength = 0;
                        return PcscResult.CommunicationError;
                    }
                }

                receiveLength = 0;

                // pcscd maps a driver's IFD_NOT_SUPPORTED to SCARD_E_UNSUPPORTED_FEATURE (0x8010001F).
                return PcscResult.Unexpected;
            }
        }
    }
}
