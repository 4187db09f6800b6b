using Npgsql;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>Rows a test needs, written the way the bot writes them.</summary>
public static class TestData
{
    private static long _nextUserId = 700_000_000;

    public static long NewUserId() => Interlocked.Increment(ref _nextUserId);

    public static async Task<Guid> DraftOrderAsync(NpgsqlDataSource db, long userId, int count = 1, string template = "ugc",
        string model = "seedance-2")
    {
        var id = Guid.CreateVersion7();
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            insert into orders (id, user_id, chat_id, language, photo_key, description, template, wishes, user_prompt, model, count)
            values (@id, @userId, @userId, 'ru', @photoKey, 'Керамическая кружка 350 мл, ручная работа', @template, 'уютная кухня',
                    @prompt, @model, @count)
            """, new
        {
            id,
            userId,
            photoKey = $"inputs/2026/11/{id}.jpg",
            template,
            model,
            count,
            prompt = template == "custom" ? "A mug on a table, slow dolly in" : null
        });
        return id;
    }

    public static async Task<int> LedgerSumAsync(NpgsqlDataSource db, long userId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select coalesce(sum(amount), 0)::int from ledger where user_id = @userId", new { userId });
    }

    public static async Task<int> BalanceAsync(NpgsqlDataSource db, long userId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>("select balance from users where id = @userId", new { userId });
    }
}
