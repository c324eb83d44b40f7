using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using FinCardPin.VirtualCard;

namespace FinCardPin.Infrastructure
{
    /// <summary>
    /// The Use-VirtualCard blocks running now, each in its runspace. The virtual readers of a block are that runspace's
    /// only: a cmdlet in another runspace of the process (ForEach-Object -Parallel, a runspace pool, a job thread) keeps
    /// what it had — the real readers, or the cards FINCARDPIN_VIRTUAL_CARDS named before any block began. The
    /// variable itself is still set for the block's duration, for the child processes it starts.
    /// </summary>
    internal static class VirtualCardScopes
    {
        private static readonly object Gate = new object();
        private static readonly List<Scope> Active = new List<Scope>();
        private static string? _outside;

        /// <summary>Starts a block in <paramref name="runspace"/> with these cards (the variable's value); dispose to end it.</summary>
        public static IDisposable Enter(Runspace? runspace, string cards)
        {
            var scope = new Scope(runspace, cards);
            lock (Gate)
            {
                if (Active.Count == 0)
                {
                    _outside = Environment.GetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable);
                }

                Active.Add(scope);
                Environment.SetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable, cards);
            }

            return scope;
        }

        /// <summary>
        /// The cards a cmdlet running in <paramref name="runspace"/> sees: its innermost block's, or else the process's
        /// own (the variable as it was before any block began, or as it is when none runs).
        /// </summary>
        public static string? CardsFor(Runspace? runspace)
        {
            lock (Gate)
            {
                for (var i = Active.Count - 1; i >= 0; i--)
                {
                    if (runspace != null && ReferenceEquals(Active[i].Runspace, runspace))
                    {
                        return Active[i].Cards;
                    }
                }

                return Active.Count == 0 ? Environment.GetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable) : _outside;
            }
        }

        private static void Leave(Scope scope)
        {
            lock (Gate)
            {
                if (!Active.Remove(scope))
                {
                    return;
                }

                // Child processes started from now on see the latest block still running, or the process's own value.
                Environment.SetEnvironmentVariable(VirtualPcscApi.CardsEnvironmentVariable, Active.Count == 0 ? _outside : Active[Active.Count - 1].Cards);
            }
        }

        private sealed class Scope : IDisposable
        {
            public Scope(Runspace? runspace, string cards)
            {
                Runspace = runspace;
                Cards = cards;
            }

            public Runspace? Runspace { get; }

            public string Cards { get; }

            public void Dispose() => Leave(this);
        }
    }
}
