using Microsoft.Extensions.Options;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Routing;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Money;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Texts;
using NeuroCards.Core.Users;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Conversation;

/// <summary>
/// Nothing works before the user agrees to the terms; agreeing brings the welcome: a sample of what the bot makes, the
/// sign-up bonus and the menu.
/// </summary>
public sealed class ConsentGate(UserStore users, Screens screens, IOptions<BotOptions> options, IMediaStore store) : IConversationGate
{
    public ConversationState InitialState => ConversationState.Consent;

    public async Task RequireConsentAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        await ctx.Answer(ctx.T("consent.required"), alert: true, cancellationToken: cancellationToken);
        if (ctx.Callback is null) await ShowAsync(ctx, cancellationToken);
    }

    public Task FallbackAsync(BotContext ctx, CancellationToken cancellationToken) => screens.MainMenu(ctx, cancellationToken);

    /// <summary>/start: the terms to agree to, or the menu for a user who did.</summary>
    public async Task StartAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        if (ctx.User.ConsentAt is null) await ShowAsync(ctx, cancellationToken);
        else await screens.MainMenu(ctx, cancellationToken);
    }

    private async Task ShowAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        ctx.State = ConversationState.Consent;
        await ctx.Reply(ctx.T("consent.text", ("terms", Html.Escape(options.Value.TermsUrl)), ("privacy", Html.Escape(options.Value.PrivacyUrl))),
            new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(ctx.T("consent.button"), "consent")), cancellationToken: cancellationToken);
    }

    public async Task<bool> AcceptAsync(BotContext ctx, string argument, CancellationToken cancellationToken)
    {
        await ctx.Answer(cancellationToken: cancellationToken);
        if (ctx.User.ConsentAt is not null)
        {
            await screens.MainMenu(ctx, cancellationToken);
            return true;
        }
        await users.AcceptConsentAsync(ctx.UserId, options.Value.ConsentVersion, cancellationToken);
        ctx.User = ctx.User with { ConsentAt = DateTime.UtcNow, ConsentVersion = options.Value.ConsentVersion };
        if (ctx.Callback?.Message is { } consentMessage)
        {
            // The consent stays readable, without a button to press again.
            await ctx.RemoveButtonsAsync(consentMessage.MessageId, cancellationToken);
        }
        await SendSamplesAsync(ctx, cancellationToken);
        await ctx.Reply(ctx.T("welcome.text", ("credits", ctx.Credits(Ledger.SignUpBonus)), ("videos", ctx.Plural("videos", Ledger.SignUpBonus)),
                ("price", ctx.Credits(await screens.LowestPriceAsync(cancellationToken)))),
            cancellationToken: cancellationToken);
        await screens.MainMenu(ctx, cancellationToken, newMessage: true);
        return true;
    }

    /// <summary>Sent after the consent is committed: a demo Telegram no longer has is logged, and the welcome still follows.</summary>
    private async Task SendSamplesAsync(BotContext ctx, CancellationToken cancellationToken)
    {
        var demos = options.Value.DemoVideos;
        if (demos.Count >= 2) ctx.Send(OutgoingMessage.Album(ctx.ChatId, demos.Take(10).ToList()));
        else if (demos.Count == 1) ctx.Send(OutgoingMessage.Video(ctx.ChatId, demos[0], null, null));
        // None configured: the sample a worker made with the offline renderer, so the result is seen before paying.
        else if (await store.ExistsAsync(MediaKeys.DemoSample, cancellationToken))
            ctx.Send(OutgoingMessage.Video(ctx.ChatId, null, MediaKeys.DemoSample, ctx.T("welcome.sample")));
    }
}
