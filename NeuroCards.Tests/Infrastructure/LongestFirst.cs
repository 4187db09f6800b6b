using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(NeuroCards.Tests.Infrastructure.LongestFirst))]

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// Starts the classes marked <see cref="RunsLongAttribute"/> first, longest first, then the rest in xunit's own (random)
/// order. With two threads a five-minute class that happens to start last adds its whole length to the run; started
/// first, the short ones fill the other thread meanwhile and the run's length stays near half the sum.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private const string Implicit = "Test collection for ";

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : notnull, ITestCollection =>
        DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections)
            .Select((collection, i) => (Collection: collection, Order: i))
            .OrderByDescending(c => Seconds(c.Collection))
            .ThenBy(c => c.Order)
            .Select(c => c.Collection)
            .ToList();

    /// <summary>A named collection is marked on its definition; a class without one is a collection of its own, named after it.</summary>
    private static int Seconds(ITestCollection collection)
    {
        var name = collection.TestCollectionDisplayName;
        var type = collection is IXunitTestCollection { CollectionDefinition: { } definition } ? definition
            : name.StartsWith(Implicit, StringComparison.Ordinal) ? typeof(LongestFirst).Assembly.GetType(name[Implicit.Length..].Split(' ')[0])
            : null;
        return type?.GetCustomAttributes(typeof(RunsLongAttribute), false).Cast<RunsLongAttribute>().FirstOrDefault()?.Seconds ?? 0;
    }
}
