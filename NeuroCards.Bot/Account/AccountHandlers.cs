using NeuroCards.Bot.Routing;

namespace NeuroCards.Bot.Account;

/// <summary>/account and the account screen's buttons.</summary>
public sealed class AccountHandlers(AccountView account) : IHandlerTable
{
    public IEnumerable<BotCommand> Commands => [new("/account", account.ShowAsync)];

    public IEnumerable<BotButton> Buttons =>
    [
        new("account", async (ctx, _, ct) =>
        {
            await ctx.Answer(cancellationToken: ct);
            await account.ShowAsync(ctx, ct);
            return true;
        }),
        new("resend", async (ctx, id, ct) =>
        {
            if (!Guid.TryParse(id, out var jobId)) return false;
            await ctx.Answer(cancellationToken: ct);
            await account.ResendAsync(ctx, jobId, ct);
            return true;
        }),
    ];
}
