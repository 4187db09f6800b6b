using Dapper;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Core.Users;

/// <summary>A user's settings and reachability (the balance and sign-up live with the money, in the ledger).</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    public static Task AcceptConsentAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long userId, string version, CancellationToken cancellationToken) =>
        conn.ExecuteAsync(new CommandDefinition(
            "update users set consent_at = now(), consent_version = @version, updated_at = now() where id = @userId",
            new { version, userId }, tx, cancellationToken: cancellationToken));

    public static Task SetLanguageAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long userId, string language, CancellationToken cancellationToken) =>
        conn.ExecuteAsync(new CommandDefinition("update users set language = @language, updated_at = now() where id = @userId",
            new { language, userId }, tx, cancellationToken: cancellationToken));

    /// <summary>The user blocked the bot: nothing more is sent to them unasked.</summary>
    public async Task MarkBlockedAsync(long userId, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        await conn.ExecuteAsync(new CommandDefinition("update users set blocked_at = now() where id = @userId", new { userId },
            cancellationToken: cancellationToken));
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition("select count(*)::int from users", cancellationToken: cancellationToken));
    }

    /// <summary>Users a broadcast reaches: agreed to the terms and did not block the bot.</summary>
    public async Task<int> CountReachableAsync(CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*)::int from users where blocked_at is null and consent_at is not null", cancellationToken: cancellationToken));
    }

    /// <summary>The next reachable users after <paramref name="afterUserId"/>, in id order (a broadcast's cursor).</summary>
    public async Task<IReadOnlyList<long>> ReachableAfterAsync(long afterUserId, int limit, CancellationToken cancellationToken)
    {
        await using var scoped = await dataSource.OpenScopedAsync(cancellationToken);
        var conn = scoped.Connection;
        return (await conn.QueryAsync<long>(new CommandDefinition(
            "select id from users where id > @afterUserId and blocked_at is null and consent_at is not null order by id limit @limit",
            new { afterUserId, limit }, cancellationToken: cancellationToken))).AsList();
    }
}
