using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>
/// The transaction a unit of work (one Telegram update) runs in, so that everything it reads and writes goes through its
/// one connection: a handler that opened a second connection while holding the first could starve the pool (a burst of
/// chats each holding one and waiting for another). Data classes open through <see cref="OpenScopedAsync"/>: inside a
/// scope they get the scope's connection, outside it a pooled one of their own.
/// </summary>
public static class DbScope
{
    private static readonly AsyncLocal<NpgsqlTransaction?> Current = new();

    /// <summary>Until disposed, data classes called from here (and everything it awaits) use <paramref name="transaction"/>.</summary>
    public static IDisposable Enter(NpgsqlTransaction transaction) => new Restore(transaction);

    /// <summary>
    /// Until disposed, data classes open their own connection and commit on their own: for a step whose result must stand
    /// whatever happens to the unit of work afterwards (a payment recorded before a provider is asked to take the money).
    /// </summary>
    public static IDisposable Detach() => new Restore(null);

    /// <summary>Whether the caller runs inside a unit of work's transaction.</summary>
    public static bool Active => Current.Value is not null;

    /// <summary>The scope's connection (not closed on dispose), or a new pooled one.</summary>
    public static async ValueTask<ScopedConnection> OpenScopedAsync(this NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (Current.Value is { Connection: { } connection } transaction) return new ScopedConnection(connection, transaction);
        return new ScopedConnection(await dataSource.OpenConnectionAsync(cancellationToken), null);
    }

    private sealed class Restore : IDisposable
    {
        private readonly NpgsqlTransaction? _previous = Current.Value;

        public Restore(NpgsqlTransaction? transaction) => Current.Value = transaction;

        public void Dispose() => Current.Value = _previous;
    }
}
