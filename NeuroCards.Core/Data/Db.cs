using System.Data;
using Dapper;
using Npgsql;

namespace NeuroCards.Core.Data;

/// <summary>
/// The one way to run a statement. Inside a unit of work (<see cref="TransactionAsync{T}"/>, or an update's conversation
/// transaction) a statement runs on that unit's connection and in its transaction; outside one, on a pooled connection of
/// its own. Npgsql runs every command in its connection's current transaction (it ignores a command's Transaction), so no
/// method here takes or passes a transaction.
/// </summary>
public sealed class Db(NpgsqlDataSource dataSource)
{
    /// <summary>Whether the caller runs inside a unit of work's transaction.</summary>
    public static bool InTransaction => DbScope.Active;

    public async Task<int> ExecuteAsync(string sql, object? param, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return await scoped.Connection.ExecuteAsync(Command(sql, param, cancellationToken));
    }

    public async Task<T?> ScalarAsync<T>(string sql, object? param, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return await scoped.Connection.ExecuteScalarAsync<T>(Command(sql, param, cancellationToken));
    }

    public async Task<T> SingleAsync<T>(string sql, object? param, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return await scoped.Connection.QuerySingleAsync<T>(Command(sql, param, cancellationToken));
    }

    public async Task<T?> SingleOrDefaultAsync<T>(string sql, object? param, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return await scoped.Connection.QuerySingleOrDefaultAsync<T>(Command(sql, param, cancellationToken));
    }

    public async Task<List<T>> ListAsync<T>(string sql, object? param, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        return (await scoped.Connection.QueryAsync<T>(Command(sql, param, cancellationToken))).AsList();
    }

    /// <summary>
    /// Runs <paramref name="work"/> as one transaction: committed when it returns, rolled back when it throws. Inside a unit
    /// of work it is a savepoint of that unit's transaction (its statements stand or fall together and commit with the
    /// unit); a different isolation level than the unit's is refused there, since a transaction's level cannot change.
    /// </summary>
    public async Task<T> TransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        if (DbScope.Current is { } scope)
        {
            if (scope.IsolationLevel != isolation)
                throw new InvalidOperationException($"A {isolation} transaction cannot run inside a {scope.IsolationLevel} unit of work.");
            var savepoint = "s" + Guid.NewGuid().ToString("N");
            await scope.SaveAsync(savepoint, cancellationToken);
            try
            {
                var nested = await work(cancellationToken);
                await scope.ReleaseAsync(savepoint, cancellationToken);
                return nested;
            }
            catch when (scope.Connection is { State: ConnectionState.Open })
            {
                await RollbackQuietlyAsync(scope, savepoint);
                throw;
            }
        }

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(isolation, cancellationToken);
        T result;
        using (DbScope.Enter(tx))
        {
            result = await work(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return result;
    }

    public Task TransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        TransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A transaction of its own even when called inside a unit of work: for a step whose result must stand whatever happens
    /// to the caller afterwards (a payment recorded before a provider is asked to take the money, a purchase credited).
    /// </summary>
    public async Task<T> OwnTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using (DbScope.Detach())
        {
            return await TransactionAsync(work, cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> outside the caller's unit of work: each of its statements (and transactions) commits on
    /// its own, whatever happens to the caller afterwards — a payment recorded before a provider is asked to take the money.
    /// </summary>
    public static async Task<T> OutsideUnitOfWorkAsync<T>(Func<Task<T>> work)
    {
        using (DbScope.Detach())
        {
            return await work();
        }
    }

    public static Task OutsideUnitOfWorkAsync(Func<Task> work) => OutsideUnitOfWorkAsync(async () =>
    {
        await work();
        return true;
    });

    /// <summary>
    /// A connection of the caller's own, outside any unit of work, for what a statement cannot express: a session-level
    /// advisory lock held across calls, LISTEN. Everything else goes through the methods above.
    /// </summary>
    public ValueTask<NpgsqlConnection> OpenOwnConnectionAsync(CancellationToken cancellationToken) => dataSource.OpenConnectionAsync(cancellationToken);

    private static CommandDefinition Command(string sql, object? param, CancellationToken cancellationToken) =>
        new(sql, param, cancellationToken: cancellationToken);

    private static async Task RollbackQuietlyAsync(NpgsqlTransaction scope, string savepoint)
    {
        try
        {
            await scope.RollbackAsync(savepoint);
        }
        catch (NpgsqlException)
        {
            // The unit's transaction is broken beyond the savepoint: the unit rolls it all back.
        }
    }
}
