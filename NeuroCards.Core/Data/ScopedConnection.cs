using System.Data;
using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>A connection from <see cref="DbScope.OpenScopedAsync"/>: the scope's, or one of its own that it closes.</summary>
public sealed class ScopedConnection(NpgsqlConnection connection, NpgsqlTransaction? scope) : IAsyncDisposable
{
    public NpgsqlConnection Connection { get; } = connection;

    /// <summary>The scope's transaction, when there is one: commands run in it (and must name it).</summary>
    public NpgsqlTransaction? Transaction { get; } = scope;

    /// <summary>
    /// A transaction of the caller's own: a real one, or inside a scope a savepoint — its statements stand or fall
    /// together, and are committed with the scope's.
    /// </summary>
    public async Task<ScopedTransaction> BeginAsync(IsolationLevel isolation = IsolationLevel.ReadCommitted, CancellationToken cancellationToken = default)
    {
        if (Transaction is null) return new ScopedTransaction(await Connection.BeginTransactionAsync(isolation, cancellationToken), null);
        var savepoint = "s" + Guid.NewGuid().ToString("N");
        await Transaction.SaveAsync(savepoint, cancellationToken);
        return new ScopedTransaction(Transaction, savepoint);
    }

    public ValueTask DisposeAsync() => Transaction is null ? Connection.DisposeAsync() : ValueTask.CompletedTask;
}
