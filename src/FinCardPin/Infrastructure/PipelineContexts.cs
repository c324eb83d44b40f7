using System;
using System.Collections.Generic;
using System.Threading;
using FinCardPin.Engine.Interop;
using FinCardPin.Engine.PcSc;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// One PC/SC context for the cmdlets that run together on one pipeline thread (Get-CardReader | Get-CardPinStatus,
    /// a cmdlet inside ForEach-Object): each establishing its own cost pcsc-lite a connection to pcscd and three more
    /// round trips. The context lives while any of them does and is released by the last. PowerShell runs a
    /// pipeline's commands one at a time on its thread, so they never use it at the same moment; a context given up
    /// (bound, stop) is replaced inside PcscContext, so sharing never reuses an abandoned one.
    /// Only the platform's service is shared: virtual readers are read from their files afresh for every cmdlet.
    /// </summary>
    internal static class PipelineContexts
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<int, Shared> ByThread = new Dictionary<int, Shared>();

        /// <summary>The context of this thread's running cmdlets for <paramref name="api"/>, or a new one to share.</summary>
        public static Lease Acquire(IPcscApi api, bool shareable)
        {
            if (!shareable)
            {
                return new Lease(new Shared(new PcscContext(api), -1));
            }

            var thread = Environment.CurrentManagedThreadId;
            lock (Gate)
            {
                if (ByThread.TryGetValue(thread, out var shared) && ReferenceEquals(shared.Context.Api, api))
                {
                    shared.Users++;
                    return new Lease(shared);
                }

                shared = new Shared(new PcscContext(api), thread);
                if (!ByThread.ContainsKey(thread))
                {
                    ByThread[thread] = shared;
                }

                return new Lease(shared);
            }
        }

        private static void Release(Shared shared)
        {
            lock (Gate)
            {
                if (--shared.Users > 0)
                {
                    return;
                }

                if (ByThread.TryGetValue(shared.Thread, out var registered) && ReferenceEquals(registered, shared))
                {
                    ByThread.Remove(shared.Thread);
                }
            }

            shared.Context.Dispose();
        }

        internal sealed class Shared
        {
            public Shared(PcscContext context, int thread)
            {
                Context = context;
                Thread = thread;
            }

            public PcscContext Context { get; }

            public int Thread { get; }

            public int Users { get; set; } = 1;
        }

        /// <summary>One cmdlet's use of a context; disposing it releases the context when nobody else uses it.</summary>
        internal sealed class Lease : IDisposable
        {
            private Shared? _shared;

            internal Lease(Shared shared) => _shared = shared;

            public PcscContext Context => (_shared ?? throw new ObjectDisposedException(nameof(Lease))).Context;

            public void Dispose()
            {
                var shared = Interlocked.Exchange(ref _shared, null);
                if (shared != null)
                {
                    Release(shared);
                }
            }
        }
    }
}
