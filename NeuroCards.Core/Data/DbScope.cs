using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>
/// The transaction a unit of work (one Telegram update, one <see cref="Db.TransactionAsync{T}"/>) runs in, so that
/// everything it reads and writes goes through its one connection: a handler that opened a second connection while
/// holding the first could starve the pool (a burst of chats each holding one and waiting for another). <see cref="Db"/>
/// runs its statements on the scope's connection when there is one.
/// </summary>
internal static class DbScope
{
    private static readonly AsyncLocal<NpgsqlTransaction?> Scope = new();

    /// <summary>Until disposed, statements run from here (and from everything it awaits) run in <paramref name="transaction"/>.</summary>
    internal static IDisposable Enter(NpgsqlTransaction transaction) => new Restore(transaction);

    /// <summary>Until disposed, statements run on connections of their own and commit on their own.</summary>
    internal static IDisposable Detach() => new Restore(null);

    internal static bool Active => Scope.Value is not null;

    internal static NpgsqlTransaction? Current => Scope.Value is { Connection: not null } transaction ? transaction : null;

    /// <summary>The scope's connection (not closed on dispose), or a new pooled one.</summary>
    internal static async ValueTask<ScopedConnection> OpenScopedAsync(this NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        if (Current is { } transaction) return new ScopedConnection(transaction.Connection!, owned: false);
        return new ScopedConnection(await dataSource.OpenConnectionAsync(cancellationToken), owned: true);
    }

    private sealed class Restore : IDisposable
    {
        private readonly NpgsqlTransaction? _previous = Scope.Value;

        public Restore(NpgsqlTransaction? transaction) => Scope.Value = transaction;

        public void Dispose() => Scope.Value = _previous;
    }
}
