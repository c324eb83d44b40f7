using System;
using System.IO;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>The IPcscApi calls on a card handle: connect, reconnect, disconnect, transactions, transmit.</summary>
    internal sealed partial class VirtualPcscApi
    {
        public PcscResult Connect(IntPtr context, string readerName, ShareMode shareMode, Protocols preferredProtocols,
            out IntPtr card, out Protocols activeProtocol)
        {
            card = IntPtr.Zero;
            activeProtocol = Protocols.Undefined;
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                if (readerName == null)
                {
                    return PcscResult.InvalidParameter;
                }

                Slot? slot = FindSlot(readerName);
                if (slot == null)
                {
                    return PcscResult.UnknownReader;
                }

                PcscResult checkedMode = CheckConnect(slot, null, shareMode, preferredProtocols, out Protocols active);
                if (checkedMode != PcscResult.Success)
                {
                    return checkedMode;
                }

                PcscResult powered = EnsurePowered(slot);
                if (powered != PcscResult.Success)
                {
                    return powered;
                }

                var handle = new HandleEntry(NextId(), entry, slot)
                {
                    InsertionId = slot.InsertionId,
                    PowerGeneration = slot.PowerGeneration,
                    Share = shareMode,
                    Active = active,
                };
                _handles.Add(handle.Id, handle);
                card = new IntPtr(handle.Id);
                activeProtocol = active;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Reconnect(IntPtr card, ShareMode shareMode, Protocols preferredProtocols, Disposition initialization,
            out Protocols activeProtocol)
        {
            activeProtocol = Protocols.Undefined;
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                Slot slot = handle.Slot;
                PcscResult checkedMode = CheckConnect(slot, handle, shareMode, preferredProtocols, out Protocols active);
                if (checkedMode != PcscResult.Success)
                {
                    return checkedMode;
                }

                bool wasStale = handle.InsertionId != slot.InsertionId;
                if (wasStale && slot.TransactionOwner == handle)
                {
                    slot.TransactionOwner = null;
                    slot.TransactionDepth = 0;
                }

                PcscResult powered = EnsurePowered(slot);
                if (powered != PcscResult.Success)
                {
                    return powered;
                }

                handle.InsertionId = slot.InsertionId;
                handle.Share = shareMode;
                handle.Active = active;
                if (!wasStale && initialization != Disposition.LeaveCard)
                {
                    ResetCard(slot);
                }

                handle.PowerGeneration = slot.PowerGeneration;
                activeProtocol = active;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Disconnect(IntPtr card, Disposition disposition)
        {
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                DisconnectLocked(handle, disposition);
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult BeginTransaction(IntPtr card)
        {
            lock (_gate)
            {
                while (true)
                {
                    PcscResult usable = UsableHandle(card, out HandleEntry? handle);
                    if (usable != PcscResult.Success)
                    {
                        return usable;
                    }

                    Slot slot = handle!.Slot;
                    if (slot.TransactionOwner == null || slot.TransactionOwner == handle)
                    {
                        slot.TransactionOwner = handle;
                        slot.TransactionDepth++;
                        return PcscResult.Success;
                    }

                    // pcsc-lite waits for the other holder to end its transaction.
                    Monitor.Wait(_gate);
                }
            }
        }

        public PcscResult EndTransaction(IntPtr card, Disposition disposition)
        {
            lock (_gate)
            {
                if (!_handles.TryGetValue(card.ToInt64(), out HandleEntry? handle))
                {
                    return PcscResult.InvalidHandle;
                }

                Slot slot = handle.Slot;
                if (!IsCurrent(handle))
                {
                    return PcscResult.RemovedCard;
                }

                if (slot.TransactionOwner != handle)
                {
                    return PcscResult.NotTransacted;
                }

                if (--slot.TransactionDepth <= 0)
                {
                    slot.TransactionOwner = null;
                    slot.TransactionDepth = 0;
                }

                if (disposition != Disposition.LeaveCard)
                {
                    ResetCard(slot);
                    handle.PowerGeneration = slot.PowerGeneration;
                }

                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult Transmit(IntPtr card, Protocols protocol, byte[] send, int sendLength, byte[] receive,
            ref int receiveLength)
        {
            if (send == null || receive == null || sendLength < 1 || sendLength > send.Length || receiveLength < 0)
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

                if (protocol != handle.Active || handle.Active == Protocols.Undefined)
                {
                    return PcscResult.ProtocolMismatch;
                }

                byte[]? response;
                try
                {
                    response = slot.Card!.Transmit(send, sendLength);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    // The card could not save its state file (or its fault setting is unreadable): no PC/SC call throws.
                    return PcscResult.CommunicationError;
                }

                if (response != null && response.Length == 0)
                {
                    // A silent card: like pcsc-lite, the call waits until the card goes away.
                    long insertion = slot.InsertionId;
                    while (slot.HasCard && slot.InsertionId == insertion)
                    {
                        Monitor.Wait(_gate);
                    }

                    return PcscResult.RemovedCard;
                }

                if (response == null)
                {
                    // The card vanished (a fault): the reader is empty from now on.
                    RemoveCard(slot);
                    return PcscResult.RemovedCard;
                }

                int room = Math.Min(receiveLength, receive.Length);
                if (response.Length > room)
                {
                    receiveLength = response.Length;
                    return PcscResult.InsufficientBuffer;
                }

                Buffer.BlockCopy(response, 0, receive, 0, response.Length);
                receiveLength = response.Length;
                return PcscResult.Success;
            }
        }
    }
}
