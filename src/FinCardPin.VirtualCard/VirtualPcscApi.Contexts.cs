using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>The IPcscApi calls on a context: establish and release it, list the readers, wait for their changes, cancel a wait.</summary>
    internal sealed partial class VirtualPcscApi
    {
        public PcscResult EstablishContext(PcscScope scope, out IntPtr context)
        {
            context = IntPtr.Zero;
            if (scope != PcscScope.User && scope != PcscScope.System)
            {
                return PcscResult.InvalidValue;
            }

            lock (_gate)
            {
                var entry = new ContextEntry(NextId());
                _contexts.Add(entry.Id, entry);
                context = new IntPtr(entry.Id);
                return PcscResult.Success;
            }
        }

        public PcscResult ReleaseContext(IntPtr context)
        {
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                var owned = new List<HandleEntry>();
                foreach (HandleEntry handle in _handles.Values)
                {
                    if (handle.Context == entry)
                    {
                        owned.Add(handle);
                    }
                }

                foreach (HandleEntry handle in owned)
                {
                    DisconnectLocked(handle, Disposition.LeaveCard);
                }

                _contexts.Remove(entry.Id);
                entry.Released = true;
                Monitor.PulseAll(_gate);
                return PcscResult.Success;
            }
        }

        public PcscResult ListReaders(IntPtr context, out IReadOnlyList<string> readers)
        {
            lock (_gate)
            {
                readers = Array.Empty<string>();
                if (!_contexts.ContainsKey(context.ToInt64()))
                {
                    return PcscResult.InvalidHandle;
                }

                if (_slots.Length == 0)
                {
                    return PcscResult.NoReadersAvailable;
                }

                var names = new string[_slots.Length];
                for (int i = 0; i < names.Length; i++)
                {
                    names[i] = _slots[i].Name;
                }

                readers = names;
                return PcscResult.Success;
            }
        }

        public PcscResult GetStatusChange(IntPtr context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
        {
            if (readers == null)
            {
                return PcscResult.InvalidParameter;
            }

            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                var slots = new Slot?[readers.Length];
                for (int i = 0; i < readers.Length; i++)
                {
                    if (readers[i] == null)
                    {
                        return PcscResult.InvalidParameter;
                    }

                    if (readers[i].ReaderName == PnpNotification)
                    {
                        continue;
                    }

                    slots[i] = FindSlot(readers[i].ReaderName);
                    if (slots[i] == null)
                    {
                        return PcscResult.UnknownReader;
                    }
                }

                if (readers.Length == 0)
                {
                    return PcscResult.Success;
                }

                foreach (Slot? slot in slots)
                {
                    if (slot != null && slot.HasCard && slot.SilentState)
                    {
                        // A reader whose driver hangs: the query returns only once the card is taken out.
                        long insertion = slot.InsertionId;
                        while (slot.HasCard && slot.InsertionId == insertion)
                        {
                            Monitor.Wait(_gate);
                        }

                        return PcscResult.ReaderUnavailable;
                    }
                }

                // Events during the wait count even when the state bits end up as they were (remove + insert).
                var countsAtStart = new int[readers.Length];
                for (int i = 0; i < readers.Length; i++)
                {
                    countsAtStart[i] = slots[i]?.EventCount ?? 0;
                }

                var clock = Stopwatch.StartNew();
                entry.Waiting++;
                try
                {
                    while (true)
                    {
                        if (entry.Released)
                        {
                            return PcscResult.InvalidHandle;
                        }

                        bool anyChange = false;
                        for (int i = 0; i < readers.Length; i++)
                        {
                            anyChange |= HasChanged(readers[i], slots[i], countsAtStart[i]);
                        }

                        if (anyChange)
                        {
                            Fill(readers, slots, countsAtStart);
                            return PcscResult.Success;
                        }

                        if (entry.CancelRequested)
                        {
                            entry.CancelRequested = false;
                            Fill(readers, slots, countsAtStart);
                            return PcscResult.Cancelled;
                        }

                        int wait;
                        if (timeoutMilliseconds == Infinite)
                        {
                            wait = Timeout.Infinite;
                        }
                        else
                        {
                            long left = timeoutMilliseconds - clock.ElapsedMilliseconds;
                            if (left <= 0)
                            {
                                Fill(readers, slots, countsAtStart);
                                return PcscResult.Timeout;
                            }

                            wait = (int)Math.Min(left, int.MaxValue);
                        }

                        Monitor.Wait(_gate, wait);
                    }
                }
                finally
                {
                    entry.Waiting--;
                }
            }
        }

        public PcscResult Cancel(IntPtr context)
        {
            lock (_gate)
            {
                if (!_contexts.TryGetValue(context.ToInt64(), out ContextEntry? entry))
                {
                    return PcscResult.InvalidHandle;
                }

                // Like pcsc-lite: only a wait in progress is interrupted.
                if (entry.Waiting > 0)
                {
                    entry.CancelRequested = true;
                    Monitor.PulseAll(_gate);
                }

                return PcscResult.Success;
            }
        }
    }
}
