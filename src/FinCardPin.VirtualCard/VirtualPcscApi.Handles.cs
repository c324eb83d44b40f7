using System;
using System.IO;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>The slot and handle state behind the calls (all under _gate): sharing, power, reset, disconnection, removal.</summary>
    internal sealed partial class VirtualPcscApi
    {
        private long NextId() => ++_nextId;

        private Slot SlotAt(int slot)
        {
            if (slot < 0 || slot >= _slots.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(slot), slot, "There are " + _slots.Length + " virtual readers.");
            }

            return _slots[slot];
        }

        private Slot? FindSlot(string readerName)
        {
            foreach (Slot slot in _slots)
            {
                if (string.Equals(slot.Name, readerName, StringComparison.Ordinal))
                {
                    return slot;
                }
            }

            return null;
        }

        private static bool IsCurrent(HandleEntry handle) => handle.Slot.HasCard && handle.InsertionId == handle.Slot.InsertionId;

        /// <summary>The handle of a call that talks to the card: known, its card still inserted and not reset since.</summary>
        private PcscResult UsableHandle(IntPtr card, out HandleEntry? handle) =>
            !_handles.TryGetValue(card.ToInt64(), out handle) ? PcscResult.InvalidHandle : CheckUsable(handle);

        /// <summary>
        /// The handle of a call that sends the card something (SCardTransmit, SCardControl): usable, and not shut out by
        /// another handle's transaction, which pcsc-lite answers with a sharing violation.
        /// </summary>
        private PcscResult HandleThatMaySend(IntPtr card, out HandleEntry? handle)
        {
            PcscResult usable = UsableHandle(card, out handle);
            if (usable != PcscResult.Success)
            {
                return usable;
            }

            HandleEntry? owner = handle!.Slot.TransactionOwner;
            return owner != null && owner != handle ? PcscResult.SharingViolation : PcscResult.Success;
        }

        private static PcscResult CheckUsable(HandleEntry handle)
        {
            if (!IsCurrent(handle))
            {
                return PcscResult.RemovedCard;
            }

            return handle.PowerGeneration != handle.Slot.PowerGeneration ? PcscResult.ResetCard : PcscResult.Success;
        }

        /// <summary>The sharing and protocol rules of SCardConnect / SCardReconnect.</summary>
        private PcscResult CheckConnect(Slot slot, HandleEntry? self, ShareMode shareMode, Protocols preferred, out Protocols active)
        {
            active = Protocols.Undefined;
            if (shareMode != ShareMode.Exclusive && shareMode != ShareMode.Shared && shareMode != ShareMode.Direct)
            {
                return PcscResult.InvalidValue;
            }

            if (!slot.HasCard)
            {
                return PcscResult.NoSmartCard;
            }

            foreach (HandleEntry other in _handles.Values)
            {
                if (other == self || other.Slot != slot || !IsCurrent(other))
                {
                    continue;
                }

                if (other.Share == ShareMode.Exclusive || shareMode == ShareMode.Exclusive)
                {
                    return PcscResult.SharingViolation;
                }
            }

            if (preferred == Protocols.Undefined)
            {
                return shareMode == ShareMode.Direct ? PcscResult.Success : PcscResult.InvalidValue;
            }

            // As pcscd decides from the ATR (observed with vpcd): the identity ATRs have no TD1, so T=0 only; the
            // organisation and generic ATRs offer T=1, which pcscd takes when asked for T0|T1. The card's T0 flag
            // (61xx / 6Cxx behaviour) is independent of this.
            if (slot.Family == VirtualCardFamily.Identity)
            {
                if ((preferred & Protocols.T0) == 0)
                {
                    return PcscResult.ProtocolMismatch;
                }

                active = Protocols.T0;
                return PcscResult.Success;
            }

            active = (preferred & Protocols.T1) != 0 ? Protocols.T1 : Protocols.T0;
            return PcscResult.Success;
        }

        private static PcscResult EnsurePowered(Slot slot)
        {
            if (slot.Card != null)
            {
                return PcscResult.Success;
            }

            try
            {
                var card = new VirtualFineidCard(VirtualCardState.Load(slot.StatePath!), slot.StatePath, slot.LogPath);
                card.PowerOn();
                slot.Card = card;
                return PcscResult.Success;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                // The state file is gone, unreadable or not a card: like a card that does not answer.
                return PcscResult.UnresponsiveCard;
            }
        }

        private static void ResetCard(Slot slot)
        {
            slot.Card?.Reset();
            slot.PowerGeneration++;
        }

        private void DisconnectLocked(HandleEntry handle, Disposition disposition)
        {
            _handles.Remove(handle.Id);
            Slot slot = handle.Slot;
            if (slot.TransactionOwner == handle)
            {
                slot.TransactionOwner = null;
                slot.TransactionDepth = 0;
            }

            if (!IsCurrent(handle))
            {
                return;
            }

            if (disposition != Disposition.LeaveCard)
            {
                ResetCard(slot);
            }

            foreach (HandleEntry other in _handles.Values)
            {
                if (other.Slot == slot && IsCurrent(other))
                {
                    return;
                }
            }

            // The last connection is gone: pcscd powers the card off (after ~0.4 s; here at once).
            slot.Card?.PowerOff();
            slot.Card = null;
        }

        private void RemoveCard(Slot slot)
        {
            if (slot.Card != null)
            {
                slot.Card.Remove();
            }
            else if (slot.LogPath != null)
            {
                new ApduLog(slot.LogPath).Comment("removed");
            }

            slot.Card = null;
            slot.StatePath = null;
            slot.LogPath = null;
            slot.Atr = Array.Empty<byte>();
            slot.TransactionOwner = null;
            slot.TransactionDepth = 0;
            slot.EventCount++;
            Monitor.PulseAll(_gate);
        }
    }
}
