using NeuroCards.Bot.Conversation;
using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Bot.Admin;

/// <summary>/stats, /user, /grant, /refund, /broadcast — for Telegram__AdminIds only (nobody by default).</summary>
public sealed class AdminCommands(Ledger ledger, JobQueue queue, NpgsqlDataSource dataSource, IServiceProvider services, ILogger<AdminCommands> logger)
{
    public async Task HandleAsync(BotContext ctx, string command, CancellationToken cancellationToken)
    {
        if (!ctx.IsAdmin)
        {
            await ctx.Reply(ctx.T("unknown.command"), cancellationToken: cancellationToken);
            return;
        }
        var args = (ctx.Text ?? "").Split([' ', '\n'], 2, StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault()?.Trim() ?? "";
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        switch (command)
        {
            case "/stats":
                var stats = await conn.QuerySingleAsync<(int Users, int Orders, long Sold, long Spent, long Refunded)>(new CommandDefinition("""
                    select (select count(*)::int from users), (select count(*)::int from orders where status <> 'draft'),
                           coalesce((select sum(amount) from ledger where kind = 'purchase' and created_at >= current_date), 0),
                           coalesce((select -sum(amount) from ledger where kind = 'charge' and created_at >= current_date), 0),
                           coalesce((select sum(amount) from ledger where kind = 'refund' and created_at >= current_date), 0)
                    """, cancellationToken: cancellationToken));
                var jobs = await conn.QueryAsync<(string Status, int Count)>(new CommandDefinition(
                    "select status, count(*)::int from jobs group by status order by status", cancellationToken: cancellationToken));
                await ctx.Reply(ctx.T("admin.stats", ("users", stats.Users), ("orders", stats.Orders),
                    ("jobs", string.Join(", ", jobs.Select(j => $"{j.Status} {j.Count}")) is { Length: > 0 } j ? j : "—"),
                    ("sold", ctx.Credits(stats.Sold)), ("spent", ctx.Credits(stats.Spent)), ("refunded", ctx.Credits(stats.Refunded))), cancellationToken: cancellationToken);
                return;
            case "/user" when long.TryParse(args, out var userId):
                var user = await ledger.GetUserAsync(userId, cancellationToken);
                if (user is null)
                {
                    await ctx.Reply(ctx.T("admin.user_missing", ("id", userId)), cancellationToken: cancellationToken);
                    return;
                }
                var orders = await conn.QueryAsync<(Guid Id, string Status, int? Count, DateTime CreatedAt)>(new CommandDefinition(
                    "select id, status, count, created_at from orders where user_id = @userId order by created_at desc limit 5",
                    new { userId }, cancellationToken: cancellationToken));
                await ctx.Reply(ctx.T("admin.user", ("id", user.Id), ("name", Html.Escape(user.FirstName)), ("credits", ctx.Credits(user.Balance)),
                    ("language", user.Language), ("orders", string.Join("\n", orders.Select(o => $"<code>{o.Id}</code> {o.Status} ×{o.Count} {o.CreatedAt:dd.MM HH:mm}")))),
                    cancellationToken: cancellationToken);
                return;
            case "/grant":
                var parts = args.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3 || !long.TryParse(parts[0], out var target) || !int.TryParse(parts[1], out var credits) || credits == 0)
                {
                    await ctx.Reply(ctx.T("admin.grant_usage"), cancellationToken: cancellationToken);
                    return;
                }
                var balance = await ledger.GetUserAsync(target, cancellationToken) is null ? null
                    : await ledger.GrantAsync(target, credits, parts[2], ctx.UserId, cancellationToken);
                if (balance is null)
                {
                    await ctx.Reply(ctx.T("admin.grant_failed"), cancellationToken: cancellationToken);
                    return;
                }
                logger.LogInformation("Admin {AdminId} granted {Credits} credit(s) to {UserId}", ctx.UserId, credits, target);
                await ctx.Reply(ctx.T("admin.granted", ("id", target), ("credits", ctx.Credits(credits)), ("balance", ctx.Credits(balance.Value))),
                    cancellationToken: cancellationToken);
                if (credits > 0)
                {
                    await services.GetRequiredService<ICreditsArrivedNotifier>().CreditsArrivedAsync(target, credits, balance.Value, null, cancellationToken);
                }
                return;
            case "/refund" when Guid.TryParse(args, out var jobId):
                var result = await queue.RefundByAdminAsync(jobId, ctx.UserId, cancellationToken);
                await ctx.Reply(ctx.T("admin.refund." + result), cancellationToken: cancellationToken);
                return;
            case "/broadcast" when args.Length > 0:
                var users = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                    "select count(*)::int from users where blocked_at is null", cancellationToken: cancellationToken));
                await conn.ExecuteAsync(new CommandDefinition("insert into broadcasts (text, created_by) values (@args, @UserId)",
                    new { args, ctx.UserId }, cancellationToken: cancellationToken));
                await ctx.Reply(ctx.T("admin.broadcast_started", ("users", ctx.Plural("users", users))), cancellationToken: cancellationToken);
                return;
            case "/refundstars" when Guid.TryParse(args, out var paymentId):
                var reversal = await RefundStarsAsync(ctx, paymentId, cancellationToken);
                logger.LogInformation("Admin {AdminId} refunded payment {PaymentId}: {Result}", ctx.UserId, paymentId, reversal);
                await ctx.Reply(ctx.T("admin.reversal." + reversal), cancellationToken: cancellationToken);
                return;
            case "/refundstars":
                await ctx.Reply(ctx.T("admin.refundstars_usage"), cancellationToken: cancellationToken);
                return;
            case "/user":
                await ctx.Reply("/user &lt;id&gt;", cancellationToken: cancellationToken);
                return;
            case "/refund":
                await ctx.Reply(ctx.T("admin.refund_usage"), cancellationToken: cancellationToken);
                return;
            case "/broadcast":
                await ctx.Reply(ctx.T("admin.broadcast_usage"), cancellationToken: cancellationToken);
                return;
        }
    }

    /// <summary>
    /// Record the intent (credits taken back, payment 'refunding'), ask Telegram, then settle: a crash or a failed call
    /// between the steps leaves the payment 'refunding' — the user never keeps both the credits and the Stars, and
    /// running the command again finishes it (Telegram's "already refunded" means an earlier call got through).
    /// </summary>
    private async Task<ReversalResult> RefundStarsAsync(BotContext ctx, Guid paymentId, CancellationToken cancellationToken)
    {
        var (result, payment) = await ledger.BeginPurchaseReversalAsync(paymentId, ctx.UserId, cancellationToken);
        if (result != ReversalResult.Reversing) return result;
        if (payment!.Provider != "stars" || payment.ProviderPaymentId is null) return ReversalResult.NotPaid;
        try
        {
            await ctx.Bot.RefundStarPayment(payment.UserId, payment.ProviderPaymentId, cancellationToken);
        }
        catch (ApiRequestException e) when (e.Message.Contains("CHARGE_ALREADY_REFUNDED", StringComparison.Ordinal))
        {
            logger.LogInformation("Stars of payment {PaymentId} were already returned by an earlier call", paymentId);
        }
        catch (Exception e) when (e is RequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Telegram did not return the Stars of payment {PaymentId}; it stays 'refunding'", paymentId);
            return ReversalResult.ProviderFailed;
        }
        await ledger.CompletePurchaseReversalAsync(paymentId, cancellationToken);
        return ReversalResult.Reversed;
    }
}
