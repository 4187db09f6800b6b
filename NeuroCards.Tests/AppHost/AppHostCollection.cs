namespace NeuroCards.Tests.AppHost;

/// <summary>The AppHost's tests run one at a time: each runs the whole application (its PostgreSQL, Azurite, DCP, ports).</summary>
[CollectionDefinition("AppHost")]
[RunsLong(130)]
public sealed class AppHostCollection;
