using FinCardPin.Engine.Interop;

namespace FinCardPin.VirtualCard
{
    /// <summary>One card handle: its context and reader, the insertion and power generation it knows, its share mode and protocol.</summary>
    internal sealed partial class VirtualPcscApi
    {
        private sealed class HandleEntry
        {
            public HandleEntry(long id, ContextEntry context, Slot slot)
            {
                Id = id;
                Context = context;
                Slot = slot;
            }

            public long Id { get; }

            public ContextEntry Context { get; }

            public Slot Slot { get; }

            public int InsertionId { get; set; }

            public int PowerGeneration { get; set; }

            public ShareMode Share { get; set; }

            public Protocols Active { get; set; }
        }
    }
}
