using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Broadcasts;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Texts;
using NeuroCards.Core.Users;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace NeuroCards.Bot.Admin;

/// <summary>
/// /stats, /models, /user, /grant, /refund, /broadcast, /refundstars — for Telegram__AdminIds only (nobody by default): to anyone
/// else they are unknown commands. An admin who sends a video gets its file_id (for Bot__DemoVideos).
/// </summary>
public sealed class AdminCommands(Ledger ledger, JobQueue queue, OrderHistory history, UserStore users, BroadcastStore broadcasts, ModelCatalog catalog,
    KieCosts costs, Publications publications, ICreditsArrivedNotifier notifier, OutboxUnitOfWork units, ILogger<AdminCommands> logger) : IHandlerTable
{
    public IEnumerable<BotCommand> Commands =>
        new (string Name, Func<BotContext, string, CancellationToken, Task> Handle)[]
        {
            ("/stats", StatsAsync), ("/models", ModelsAsync), ("/user", UserAsync), ("/grant", GrantAsync), ("/refund", RefundAsync),
            ("/broadcast", BroadcastAsync), ("/refundstars", RefundStarsAsync),
        }.Select(c => new BotCommand(c.Name, (ctx, ct) => AdminOnlyAsync(ctx, c.Handle, ct)));

    public IEnumerable<MessageRoute> Messages =>
        [new(ctx => ctx.Message?.Video is not null && ctx.IsAdmin,
            (ctx, ct) => ctx.Reply(ctx.T("admin.file_id", ("file_id", Html.Escape(ctx.Message!.Video!.FileId))), cancellationToken: ct))];

    private static Task AdminOnlyAsync(BotContext ctx, Func<BotContext, string, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        if (!ctx.IsAdmin) return ctx.Reply(ctx.T("unknown.command"), cancellationToken: cancellationToken);
        var args = (ctx.Text ?? "").Split([' ', '\n'], 2, StringSplitOptions.RemoveEmptyEntries).Skip(1).FirstOrDefault()?.Trim() ?? "";
        return handle(ctx, args, cancellationToken);
    }

    private async Task StatsAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        var jobs = await queue.CountByStatusAsync(cancellationToken);
        var today = await ledger.TodayTotalsAsync(cancellationToken);
        await ctx.Reply(ctx.T("admin.stats", ("users", await users.CountAsync(cancellationToken)), ("orders", await history.CountPlacedAsync(cancellationToken)),
            ("jobs", jobs.Count == 0 ? "—" : string.Join(", ", jobs.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j => $"{j.Key} {j.Value}"))),
            ("sold", ctx.Credits(today.Sold)), ("spent", ctx.Credits(today.Spent)), ("refunded", ctx.Credits(today.Refunded)))
            + await CostsAsync(ctx, cancellationToken) + await PublicationsAsync(ctx, cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>Publications to cards by marketplace and outcome: «Wildberries: published 38, failed 2».</summary>
    private async Task<string> PublicationsAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var counts = await publications.CountsAsync(cancellationToken);
        var lines = counts.Count == 0 ? "—" : string.Join("; ", counts.GroupBy(c => c.Marketplace)
            .Select(g => $"{ctx.T("place." + g.Key)}: {string.Join(", ", g.Select(c => $"{c.State} {c.Count}"))}"));
        return "\n" + ctx.T("admin.stats.publications", ("lines", lines));
    }

    /// <summary>What KIE cost today against what sellers paid: measured from the balance where it was read, else by the price list.</summary>
    private async Task<string> CostsAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var day = await costs.TodayAsync(cancellationToken);
        static string n(decimal value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        return ctx.T("admin.stats_costs", ("kie", n(day.KieCredits)), ("measured", ctx.T(day.Measured ? "admin.stats_measured_balance" : "admin.stats_measured_list")),
            ("delivered", day.Delivered), ("per_video", day.PerVideo is { } p ? n(p) : "—"),
            ("sold_rub", n(day.SoldRubles)), ("cost_rub", n(day.CostRubles)), ("margin_rub", n(day.SoldRubles - day.CostRubles)),
            ("balance", day.Balance is { } b ? n(b) : "—"));
    }

    /// <summary>/models — the catalogue with its state; /models on|off &lt;name&gt;; /models price &lt;name&gt; &lt;credits&gt;.</summary>
    private async Task ModelsAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var done = parts switch
        {
            [] => (bool?)null,
            ["on" or "off", var name] => await catalog.SetEnabledAsync(name, parts[0] == "on", ctx.UserId, cancellationToken),
            ["price", var name, var price] when int.TryParse(price, out var credits) && credits >= 1 =>
                await catalog.SetPriceAsync(name, credits, ctx.UserId, cancellationToken),
            _ => false,
        };
        var all = await catalog.AllAsync(cancellationToken);
        if (done == false)
        {
            var unknown = parts.Length >= 2 && all.All(m => m.Name != parts[1]);
            await ctx.Reply(unknown ? ctx.T("admin.models_unknown", ("name", Html.Escape(parts[1]))) : ctx.T("admin.models_usage"), cancellationToken: cancellationToken);
            return;
        }
        var lines = all.Select(m => ctx.T(m.Enabled ? "admin.models_line_on" : "admin.models_line_off",
            ("name", Html.Escape(m.Name)), ("title", Html.Escape(m.Title)), ("price", ctx.Credits(m.Price)), ("reason", Html.Escape(m.Reason ?? "—"))));
        var list = ctx.T("admin.models", ("models", string.Join("\n", lines)));
        await ctx.Reply(done == true ? ctx.T("admin.models_done") + "\n\n" + list : list, cancellationToken: cancellationToken);
    }

    private async Task UserAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        if (!long.TryParse(args, out var userId))
        {
            await ctx.Reply(ctx.T("admin.user_usage"), cancellationToken: cancellationToken);
            return;
        }
        var user = await ledger.GetUserAsync(userId, cancellationToken);
        if (user is null)
        {
            await ctx.Reply(ctx.T("admin.user_missing", ("id", userId)), cancellationToken: cancellationToken);
            return;
        }
        var orders = await history.AllRecentAsync(userId, 5, cancellationToken);
        await ctx.Reply(ctx.T("admin.user", ("id", user.Id), ("name", Html.Escape(user.FirstName)), ("credits", ctx.Credits(user.Balance)),
            ("language", user.Language), ("orders", string.Join("\n", orders.Select(o => $"<code>{o.Id}</code> {o.Status} ×{o.Count} {o.CreatedAt:dd.MM HH:mm}")))),
            cancellationToken: cancellationToken);
    }

    private async Task GrantAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
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
        // Both messages go once the grant is committed: never a "Done" for a grant that rolled back, and the grant stands if
        // the user blocked the bot.
        await ctx.Reply(ctx.T("admin.granted", ("id", target), ("credits", ctx.Credits(credits)), ("balance", ctx.Credits(balance.Value))),
            cancellationToken: cancellationToken);
        if (credits > 0) ctx.Send(await notifier.MessagesAsync(target, credits, balance.Value, null, cancellationToken));
    }

    private async Task RefundAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(args, out var jobId))
        {
            await ctx.Reply(ctx.T("admin.refund_usage"), cancellationToken: cancellationToken);
            return;
        }
        var result = await queue.RefundByAdminAsync(jobId, ctx.UserId, cancellationToken);
        await ctx.Reply(ctx.T("admin.refund." + result), cancellationToken: cancellationToken);
    }

    private async Task BroadcastAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        if (args.Length == 0)
        {
            await ctx.Reply(ctx.T("admin.broadcast_usage"), cancellationToken: cancellationToken);
            return;
        }
        var reachable = await users.CountReachableAsync(cancellationToken);
        await broadcasts.StartAsync(args, ctx.UserId, cancellationToken);
        await ctx.Reply(ctx.T("admin.broadcast_started", ("users", ctx.Plural("users", reachable))), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Record the intent (credits taken back, payment 'refunding'), ask Telegram, then settle: a crash or a failed call
    /// between the steps leaves the payment 'refunding' — the user never keeps both the credits and the Stars, and
    /// running the command again finishes it (Telegram's "already refunded" means an earlier call got through). All of
    /// it runs after the command's update committed, so no transaction stays open while Telegram answers.
    /// </summary>
    private Task RefundStarsAsync(BotContext ctx, string args, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(args, out var paymentId)) return ctx.Reply(ctx.T("admin.refundstars_usage"), cancellationToken: cancellationToken);
        ctx.OnCommitted(async ct =>
        {
            string answer;
            try
            {
                var (reversal, payment) = await ReverseStarsAsync(ctx, paymentId, ct);
                logger.LogInformation("Admin {AdminId} refunded payment {PaymentId}: {Result}", ctx.UserId, paymentId, reversal);
                answer = ctx.T("admin.reversal." + reversal, ("provider", payment?.Provider.ToDb()), ("user", payment?.UserId), ("credits", payment?.Credits));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Whatever step failed, running the command again finishes it: the payment says how far it got.
                logger.LogError(e, "Refund of payment {PaymentId} failed", paymentId);
                answer = ctx.T("error.generic");
            }
            await units.RunAsync((outgoing, _) =>
            {
                outgoing.Add(OutgoingMessage.Message(ctx.ChatId, answer));
                return Task.FromResult(true);
            }, ct);
        });
        return Task.CompletedTask;
    }

    private async Task<(ReversalResult, Payment?)> ReverseStarsAsync(BotContext ctx, Guid paymentId, CancellationToken cancellationToken)
    {
        // Only a Stars payment: its credits come off (and it becomes 'refunding') before Telegram is asked for the Stars back.
        var (result, payment) = await ledger.BeginPurchaseReversalAsync(paymentId, PaymentProvider.Stars, ctx.UserId, cancellationToken);
        if (result != ReversalResult.Reversing) return (result, payment);
        if (payment!.ProviderPaymentId is null) return (ReversalResult.NotPaid, payment);
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
            return (ReversalResult.ProviderFailed, payment);
        }
        await ledger.CompletePurchaseReversalAsync(paymentId, cancellationToken);
        return (ReversalResult.Reversed, payment);
    }
}
