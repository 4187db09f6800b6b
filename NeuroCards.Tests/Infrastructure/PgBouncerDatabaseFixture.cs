namespace NeuroCards.Tests.Infrastructure;

/// <summary>A <see cref="DatabaseFixture"/> reached through PgBouncer in transaction mode (for IClassFixture).</summary>
public sealed class PgBouncerDatabaseFixture : DatabaseFixture
{
    public PgBouncerDatabaseFixture() => ThroughPgBouncer = true;
}
