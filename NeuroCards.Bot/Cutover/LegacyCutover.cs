using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using NeuroCards.Core.Data;
using Npgsql;

namespace NeuroCards.Bot.Cutover;

/// <summary>
/// <c>NeuroCards.Bot cutover --from postgresql://user:pass@host:5432/db [--dry-run]</c>: moves the previous NeuroCards'
/// sellers (their balance as one 'migrated' ledger entry), completed payments (history) and finished videos (re-sendable
/// from the account, by file_id) into this database (<c>ConnectionStrings__neurocards</c>). The old database is only read,
/// in read-only transactions; while it still has queued or processing jobs nothing is imported; a second run imports
/// nothing twice.
/// </summary>
public static class LegacyCutover
{
    private const string Usage = "usage: NeuroCards.Bot cutover --from postgresql://user:password@host:5432/database [--dry-run]";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, CancellationToken cancellationToken)
    {
        var at = Array.IndexOf(args, "--from");
        if (at < 0 || at + 1 >= args.Length)
        {
            await output.WriteLineAsync(Usage);
            return 64;
        }
        var dryRun = args.Contains("--dry-run");
        var ours = configuration.GetConnectionString("neurocards");
        if (string.IsNullOrEmpty(ours))
        {
            await output.WriteLineAsync("ConnectionStrings__neurocards is not set: on the server run /opt/neurocards/bin/cutover.sh, which reads /etc/neurocards/neurocards.env");
            return 64;
        }
        string from;
        try
        {
            from = ReadOnly(args[at + 1]);
        }
        catch (FormatException e)
        {
            await output.WriteLineAsync(e.Message);
            return 64;
        }

        await using var legacySource = NpgsqlDataSource.Create(from);
        await using var oursSource = NpgsqlDataSource.Create(ours);
        var legacy = new Db(legacySource);
        var db = new Db(oursSource);

        // An old worker may still deliver these and the old bot refund them: the old system finishes first.
        var unfinished = await legacy.ListAsync<LegacyJob>(
            "select id, tg_user_id, status, created_at from jobs where status in ('queued', 'processing') order by created_at", null, cancellationToken);
        if (unfinished.Count > 0)
        {
            await output.WriteLineAsync($"refusing: the previous NeuroCards has {unfinished.Count} unfinished job(s); stop taking orders there, let its workers finish them, then run this again:");
            foreach (var job in unfinished) await output.WriteLineAsync($"  {job.Id}  user {job.TgUserId}  {job.Status}  since {job.CreatedAt:yyyy-MM-dd HH:mm}");
            return 3;
        }

        var users = await legacy.ListAsync<LegacyUser>("select tg_user_id, username, coalesce(credits, 0) as credits from users order by tg_user_id", null, cancellationToken);
        var payments = await legacy.ListAsync<LegacyPayment>("""
            select id, tg_user_id, payment_provider, payment_id, credits_purchased, amount_rub, amount_usd, currency, created_at, completed_at
            from payments where status = 'completed' and tg_user_id is not null and credits_purchased > 0 order by created_at
            """, null, cancellationToken);
        var videos = await legacy.ListAsync<LegacyVideo>("""
            select id, tg_user_id, product_name, video_file_id, credits_deducted, created_at, finished_at
            from jobs where status in ('completed', 'done') and video_file_id is not null order by created_at
            """, null, cancellationToken);

        var known = users.Select(u => u.TgUserId).ToHashSet();
        payments = payments.Where(p => known.Contains(p.TgUserId)).ToList();
        videos = videos.Where(v => known.Contains(v.TgUserId)).ToList();

        Counts imported;
        try
        {
            imported = await db.TransactionAsync(async ct =>
            {
                var counts = new Counts();
                foreach (var user in users) await ImportUserAsync(db, user, counts, ct);
                foreach (var payment in payments) counts.Payments += await ImportPaymentAsync(db, payment, ct);
                foreach (var video in videos) counts.Videos += await ImportVideoAsync(db, video, ct);
                // A dry run is the same import, rolled back: what it prints is exactly what the real run would do.
                return dryRun ? throw new DryRunRolledBack(counts) : counts;
            }, cancellationToken);
        }
        catch (DryRunRolledBack rolledBack)
        {
            imported = rolledBack.Counts;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
            {(dryRun ? "dry run, nothing written; would import" : "imported")} from the previous NeuroCards:
              sellers:  {imported.Users} new of {users.Count} ({users.Count - imported.Users} already here)
              balances: {imported.Balances} carried over, {imported.Credits} credits in all (one 'migrated' ledger entry each)
              payments: {imported.Payments} completed of {payments.Count}, as history
              videos:   {imported.Videos} of {videos.Count}, re-sendable from the account
            """));
        return 0;
    }

    private sealed class Counts
    {
        public int Users;
        public int Balances;
        public long Credits;
        public int Payments;
        public int Videos;
    }

    /// <summary>Ends a dry run's transaction (rolled back) with what it would have imported.</summary>
    private sealed class DryRunRolledBack(Counts counts) : Exception("dry run")
    {
        public Counts Counts { get; } = counts;
    }

    private static async Task ImportUserAsync(Db db, LegacyUser user, Counts counts, CancellationToken cancellationToken)
    {
        counts.Users += await db.ExecuteAsync(
            "insert into users (id, username, language) values (@TgUserId, @Username, 'ru') on conflict (id) do nothing", user, cancellationToken);
        if (user.Credits <= 0) return;
        var moved = await db.ExecuteAsync("""
            with entry as (
                insert into ledger (user_id, kind, amount, reason) values (@TgUserId, 'migrated', @Credits, 'balance in the previous NeuroCards')
                on conflict (user_id) where kind = 'migrated' do nothing
                returning amount)
            update users set balance = balance + (select amount from entry), updated_at = now() where id = @TgUserId and exists (select from entry)
            """, user, cancellationToken);
        counts.Balances += moved;
        counts.Credits += moved * user.Credits;
    }

    private static async Task<int> ImportPaymentAsync(Db db, LegacyPayment payment, CancellationToken cancellationToken)
    {
        // The balance came over whole: a payment is history, never credited a second time (no 'purchase' entry).
        var rubles = payment.Currency is null or "RUB";
        var amount = rubles ? payment.AmountRub : payment.AmountUsd;
        if (amount is not > 0) return 0;
        return await db.ExecuteAsync("""
            insert into payments (id, user_id, provider, provider_payment_id, status, credits, amount, currency, created_at, updated_at, paid_at)
            values (@Id, @TgUserId, @Provider, @PaymentId, 'succeeded', @CreditsPurchased, @amount, @currency, @CreatedAt, now(), coalesce(@CompletedAt, @CreatedAt))
            on conflict do nothing
            """, new
        {
            payment.Id,
            payment.TgUserId,
            Provider = payment.PaymentProvider == "stars" ? "stars" : "yookassa",
            payment.PaymentId,
            payment.CreditsPurchased,
            amount,
            currency = rubles ? "RUB" : "USD",
            payment.CreatedAt,
            payment.CompletedAt,
        }, cancellationToken);
    }

    private static async Task<int> ImportVideoAsync(Db db, LegacyVideo video, CancellationToken cancellationToken)
    {
        // One finished order with one delivered video, under an id made from the old job's (the same on every run).
        var id = IdOf(video.Id);
        var fields = new
        {
            id,
            video.TgUserId,
            Description = video.ProductName.Length > 3000 ? video.ProductName[..3000] : video.ProductName,
            Cost = Math.Max(1, video.CreditsDeducted ?? 1),
            video.VideoFileId,
            video.CreatedAt,
            FinishedAt = video.FinishedAt ?? video.CreatedAt,
        };
        var orders = await db.ExecuteAsync("""
            insert into orders (id, user_id, chat_id, status, language, description, template, count, price_per_video, total_cost, created_at, confirmed_at, finished_at)
            values (@id, @TgUserId, @TgUserId, 'completed', 'ru', @Description, 'ugc', 1, @Cost, @Cost, @CreatedAt, @CreatedAt, @FinishedAt)
            on conflict (id) do nothing
            """, fields, cancellationToken);
        if (orders == 0) return 0;
        await db.ExecuteAsync("""
            insert into jobs (id, order_id, user_id, chat_id, index, photo_key, description, template, model, language, status, stage,
                              telegram_file_id, succeeded_at, delivered_at, created_at)
            values (@id, @id, @TgUserId, @TgUserId, 0, 'legacy', @Description, 'ugc', 'sora-2', 'ru', 'delivered', 'done',
                    @VideoFileId, @FinishedAt, @FinishedAt, @CreatedAt)
            """, fields, cancellationToken);
        return 1;
    }

    /// <summary>The old job's id when it is a uuid (it was one, stored as text), else a uuid made from it.</summary>
    private static Guid IdOf(string legacyId) =>
        Guid.TryParse(legacyId, out var id) ? id : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes("neurocards-legacy:" + legacyId)).AsSpan(0, 16));

    /// <summary>
    /// The old DATABASE_URL (<c>postgresql://user:pass@host:port/db</c>, which Npgsql does not read) or a connection string,
    /// opened so that every transaction on it is read-only.
    /// </summary>
    public static string ReadOnly(string from)
    {
        NpgsqlConnectionStringBuilder builder;
        if (from.StartsWith("postgres://", StringComparison.Ordinal) || from.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            var uri = new Uri(from);
            var user = uri.UserInfo.Split(':', 2);
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
                Username = Uri.UnescapeDataString(user[0]),
                Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
            };
            var sslmode = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "sslmode");
            if (sslmode is [_, var mode]) builder.SslMode = Enum.Parse<SslMode>(mode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
        }
        else if (from.Contains('=', StringComparison.Ordinal))
        {
            builder = new NpgsqlConnectionStringBuilder(from);
        }
        else
        {
            throw new FormatException("--from takes the old DATABASE_URL (postgresql://user:password@host:5432/database) or an Npgsql connection string");
        }
        if (string.IsNullOrEmpty(builder.Database)) throw new FormatException("--from names no database");
        builder.Options = "-c default_transaction_read_only=on";
        return builder.ConnectionString;
    }
}
