namespace FinCardPin.VirtualCard
{
    /// <summary>One established context: its waits and whether it was cancelled or released.</summary>
    internal sealed partial class VirtualPcscApi
    {
        private sealed class ContextEntry
        {
            public ContextEntry(long id)
            {
                Id = id;
            }

            public long Id { get; }

            public int Waiting { get; set; }

            public bool CancelRequested { get; set; }

            public bool Released { get; set; }
        }
    }
}
