using System;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>The reader states SCardGetStatusChange reports: state bits, event counts, and what counts as a change.</summary>
    internal sealed partial class VirtualPcscApi
    {
        private ReaderStates StateOf(Slot slot)
        {
            if (!slot.HasCard)
            {
                return ReaderStates.Empty;
            }

            ReaderStates state = ReaderStates.Present;
            bool inUse = false;
            foreach (HandleEntry handle in _handles.Values)
            {
                if (handle.Slot != slot || !IsCurrent(handle))
                {
                    continue;
                }

                if (handle.Share == ShareMode.Exclusive)
                {
                    return state | ReaderStates.Exclusive;
                }

                inUse = true;
            }

            return inUse ? state | ReaderStates.InUse : state;
        }

        private bool HasChanged(ReaderStateQuery query, Slot? slot, int countAtStart)
        {
            if (slot == null || (query.CurrentState & ReaderStates.Ignore) != 0)
            {
                return false;
            }

            uint current = (uint)query.CurrentState;
            if ((current & 0xFFFF) == (uint)ReaderStates.Unaware)
            {
                return true;
            }

            if (slot.EventCount != countAtStart)
            {
                return true;
            }

            // The caller may carry the event counter it last saw in the high 16 bits, as dwCurrentState does.
            uint knownCount = current >> 16;
            if (knownCount != 0 && knownCount != (uint)(slot.EventCount & 0xFFFF))
            {
                return true;
            }

            return (query.CurrentState & StateBits) != StateOf(slot);
        }

        private void Fill(ReaderStateQuery[] queries, Slot?[] slots, int[] countsAtStart)
        {
            for (int i = 0; i < queries.Length; i++)
            {
                ReaderStateQuery query = queries[i];
                Slot? slot = slots[i];
                if (slot == null)
                {
                    // The PnP notification pseudo reader: the reader list never changes.
                    query.EventState = query.CurrentState & StateBits;
                    query.Atr = Array.Empty<byte>();
                    continue;
                }

                if ((query.CurrentState & ReaderStates.Ignore) != 0)
                {
                    query.EventState = ReaderStates.Ignore;
                    continue;
                }

                ReaderStates state = StateOf(slot);
                if (HasChanged(query, slot, countsAtStart[i]))
                {
                    state |= ReaderStates.Changed;
                }

                query.EventState = state;
                query.EventCount = slot.EventCount & 0xFFFF;
                query.Atr = slot.HasCard ? (byte[])slot.Atr.Clone() : Array.Empty<byte>();
            }
        }
    }
}
