using Xunit;

namespace FinCardPin.UnitTests
{
    /// <summary>
    /// Tests that read one thread's CPU time or rely on the card workers being idle: they run after the others, one
    /// at a time, so that no other test's work lands on the thread they watch.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class RunAlone
    {
        public const string Name = "Alone";
    }
}
