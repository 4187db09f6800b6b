using Microsoft.Extensions.Configuration;
using NeuroCards.Bot.Cutover;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using Npgsql;

namespace NeuroCards.Tests.Bot.Cutover;

/// <summary>The move from the previous NeuroCards, against a database made from its schema (legacy-schema.sql).</summary>
public sealed class CutoverTests : IAsyncLifetime
{
    private string _ours = "";
    private string _legacy = "";

    public async ValueTask InitializeAsync()
    {
        _ours = await PostgresServer.CreateDatabaseAsync();
        var name = "legacy_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_ours) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"create database {name}");
        }
        _legacy = new NpgsqlConnectionStringBuilder(_ours) { Database = name }.ConnectionString;
        await using var legacy = new NpgsqlConnection(_legacy);
        await legacy.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(ServiceProcess.RepoRoot(), "NeuroCards.Tests", "Bot", "Cutover", "legacy-schema.sql")));
        await legacy.ExecuteAsync("""
            insert into users (tg_user_id, username, credits) values (1001, 'anna', 5), (1002, 'boris', 0), (1003, null, 12);
            insert into payments (tg_user_id, amount_rub, currency, credits_purchased, status, payment_provider, payment_id, completed_at)
                values (1001, 690, 'RUB', 10, 'completed', 'yookassa', 'yk-1', now()), (1003, 390, 'RUB', 5, 'pending', 'yookassa', 'yk-2', null);
            insert into jobs (id, tg_user_id, product_name, status, video_file_id, finished_at) values
                ('6f2c1a52-7f0e-4a43-9d55-3f1b1d3c1a01', 1001, 'Керамическая кружка 350 мл', 'completed', 'BAACAgIAAxkBAAIold1', now()),
                ('job-two', 1003, 'Чехол для телефона', 'done', 'BAACAgIAAxkBAAIold2', now()),
                ('job-three', 1002, 'Лампа', 'failed', null, now()),
                ('job-four', 1002, 'Шарф', 'queued', null, null);
            """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(int Code, string Output)> CutoverAsync(params string[] options)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:neurocards"] = _ours }).Build();
        var output = new StringWriter();
        var code = await LegacyCutover.RunAsync(["--from", ToUrl(_legacy), .. options], configuration, output, TestContext.Current.CancellationToken);
        return (code, output.ToString());
    }

    /// <summary>The old system's DATABASE_URL for a connection string.</summary>
    private static string ToUrl(string connection)
    {
        var b = new NpgsqlConnectionStringBuilder(connection);
        return $"postgresql://{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{b.Database}";
    }

    private async Task<T?> OursAsync<T>(string sql, object? param = null)
    {
        await using var conn = new NpgsqlConnection(_ours);
        return await conn.ExecuteScalarAsync<T>(sql, param);
    }

    [Fact]
    public async Task While_the_old_system_has_unfinished_jobs_nothing_is_imported_and_they_are_listed()
    {
        var (code, output) = await CutoverAsync();

        Assert.Equal(3, code);
        Assert.Contains("job-four", output);
        Assert.Contains("user 1002  queued", output);
        Assert.Equal(0L, await OursAsync<long>("select count(*) from users where id in (1001, 1002, 1003)"));
    }

    [Fact]
    public async Task A_dry_run_prints_what_the_import_would_do_and_writes_nothing()
    {
        await FinishOldJobsAsync();

        var (code, output) = await CutoverAsync("--dry-run");

        Assert.Equal(0, code);
        Assert.Contains("dry run, nothing written", output);
        Assert.Contains("sellers:  3 new of 3", output);
        Assert.Contains("balances: 2 carried over, 17 credits", output);
        Assert.Contains("videos:   2 of 2", output);
        Assert.Equal(0L, await OursAsync<long>("select count(*) from users where id in (1001, 1002, 1003)"));
    }

    [Fact]
    public async Task Sellers_arrive_with_their_balance_in_the_ledger_their_payments_and_their_old_videos_to_resend()
    {
        await FinishOldJobsAsync();

        var (code, output) = await CutoverAsync();

        Assert.True(code == 0, output);
        Assert.Equal(5, await OursAsync<int>("select balance from users where id = 1001"));
        Assert.Equal(12, await OursAsync<int>("select balance from users where id = 1003"));
        Assert.Equal(0, await OursAsync<int>("select balance from users where id = 1002"));
        // The balance reconciles with the ledger: one 'migrated' entry carries it.
        Assert.Equal(0L, await OursAsync<long>("select count(*) from users u where balance <> (select coalesce(sum(amount), 0) from ledger where user_id = u.id)"));
        Assert.Equal(5, await OursAsync<int>("select amount from ledger where user_id = 1001 and kind = 'migrated'"));
        Assert.Equal("succeeded", await OursAsync<string>("select status from payments where user_id = 1001 and provider_payment_id = 'yk-1'"));
        Assert.Equal(0L, await OursAsync<long>("select count(*) from payments where user_id = 1003")); // a pending one is not history

        // The account lists the old video, and re-sends it by its Telegram file_id.
        await using var source = NpgsqlDataSource.Create(_ours);
        var history = new OrderHistory(new Db(source));
        var video = Assert.Single(await history.FinishedVideosAsync(1001, 6, TestContext.Current.CancellationToken));
        Assert.Equal("BAACAgIAAxkBAAIold1", video.TelegramFileId);
        Assert.Equal(Guid.Parse("6f2c1a52-7f0e-4a43-9d55-3f1b1d3c1a01"), video.Id);
    }

    [Fact]
    public async Task A_second_run_imports_nothing_twice()
    {
        await FinishOldJobsAsync();
        Assert.Equal(0, (await CutoverAsync()).Code);

        var (code, output) = await CutoverAsync();

        Assert.Equal(0, code);
        Assert.Contains("sellers:  0 new of 3 (3 already here)", output);
        Assert.Contains("balances: 0 carried over", output);
        Assert.Contains("videos:   0 of 2", output);
        Assert.Equal(5, await OursAsync<int>("select balance from users where id = 1001"));
        Assert.Equal(1L, await OursAsync<long>("select count(*) from payments where provider_payment_id = 'yk-1'"));
    }

    [Fact]
    public async Task The_old_database_is_opened_read_only_from_its_database_url()
    {
        var connection = LegacyCutover.ReadOnly("postgresql://neuro:p%40ss%3Bword@db.example.com:6543/neurocards?sslmode=require");
        var b = new NpgsqlConnectionStringBuilder(connection);

        Assert.Equal(("db.example.com", 6543, "neurocards", "neuro", "p@ss;word", SslMode.Require), (b.Host, b.Port, b.Database, b.Username, b.Password, b.SslMode));
        Assert.Equal("-c default_transaction_read_only=on", b.Options);
        await using var legacy = new NpgsqlConnection(LegacyCutover.ReadOnly(ToUrl(_legacy)));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => legacy.ExecuteAsync("update users set credits = 0"));
        Assert.Equal("25006", refused.SqlState); // read_only_sql_transaction
        Assert.Throws<FormatException>(() => LegacyCutover.ReadOnly("db.example.com"));
    }

    /// <summary>The old workers finish what they had (the queued job fails there, as a stopped system's would).</summary>
    private async Task FinishOldJobsAsync()
    {
        await using var legacy = new NpgsqlConnection(_legacy);
        await legacy.ExecuteAsync("update jobs set status = 'failed' where status in ('queued', 'processing')");
    }
}
