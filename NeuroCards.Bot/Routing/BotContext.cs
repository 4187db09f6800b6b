using NeuroCards.Bot.Conversation;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Money;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Routing;

/// <summary>One update being handled: who, where, the conversation state, and ways to answer.</summary>
public sealed class BotContext(Update update, UserAccount user, ConversationSession session, ITelegramBotClient bot, TextCatalog texts, bool isAdmin)
{
    public Update Update { get; } = update;
    public UserAccount User { get; set; } = user;
    public ConversationSession Session { get; } = session;
    public ITelegramBotClient Bot { get; } = bot;
    public bool IsAdmin { get; } = isAdmin;
    public long ChatId => Session.ChatId;
    public long UserId => User.Id;
    public string Language => User.Language;
    public Message? Message => Update.Message;
    public CallbackQuery? Callback => Update.CallbackQuery;
    public string? Text => Message?.Text?.Trim();
    public string? Data => Callback?.Data;
    public bool CallbackAnswered { get; private set; }

    /// <summary>What this update brought that was slow to fetch (its photo, a Wildberries card), fetched before its transaction.</summary>
    public PrefetchedInputs Prefetched { get; init; } = PrefetchedInputs.None;

    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    /// <summary>
    /// Telegram calls that report what the transaction did (a callback's answer, "order accepted"): made after it commits,
    /// so they never claim what a rolled-back update did not do, and the connection is not held while Telegram answers.
    /// </summary>
    public IReadOnlyList<Func<CancellationToken, Task>> AfterCommit => _afterCommit;

    public void OnCommitted(Func<CancellationToken, Task> call) => _afterCommit.Add(call);

    public string T(string key, params (string, object?)[] args) => texts.Get(Language, key, args);

    public string Credits(long n) => texts.Plural(Language, "credits", n);

    public string Plural(string key, long n) => texts.Plural(Language, key, n);

    public ConversationState State { get => Session.State; set => Session.State = value; }

    /// <summary>The draft being built in this chat.</summary>
    public Guid? OrderId
    {
        get => ConversationSession.GuidIn(Session.Data, ConversationSession.OrderKey);
        set => Session.Data[ConversationSession.OrderKey] = value?.ToString();
    }

    /// <summary>The order that was short of credits: it comes back as its confirmation when credits arrive.</summary>
    public Guid? PendingOrderId
    {
        get => ConversationSession.GuidIn(Session.Data, ConversationSession.PendingOrderKey);
        set
        {
            if (value is null) Session.Data.Remove(ConversationSession.PendingOrderKey);
            else Session.Data[ConversationSession.PendingOrderKey] = value.Value.ToString();
        }
    }

    /// <summary>Whether the button pressed is on the screen shown last (not an old message further up).</summary>
    public bool OnCurrentScreen => Callback?.Message?.MessageId == Session.MenuMessageId;

    public async Task<Message> Reply(string text, InlineKeyboardMarkup? keyboard = null, bool noPreview = true, CancellationToken cancellationToken = default)
    {
        if (keyboard is not null) await RetireScreenAsync(cancellationToken);
        var message = await Bot.SendMessage(ChatId, text, ParseMode.Html, replyMarkup: keyboard,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = noPreview }, cancellationToken: cancellationToken);
        Session.MenuMessageId = keyboard is null ? Session.MenuMessageId : message.MessageId;
        return message;
    }

    /// <summary>
    /// Shows a screen: pressing a button edits that message in place (no stale keyboards piling up);
    /// a typed message gets a new one.
    /// </summary>
    public async Task Screen(string text, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        if (Callback?.Message is { } shown)
        {
            try
            {
                await Bot.EditMessageText(ChatId, shown.MessageId, text, ParseMode.Html, replyMarkup: keyboard,
                    linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);
                Session.MenuMessageId = shown.MessageId;
                return;
            }
            catch (ApiRequestException e) when (e.Message.Contains("not modified", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
            catch (ApiRequestException)
            {
                // Too old, or a media message: a new message it is.
            }
        }
        await RetireScreenAsync(cancellationToken);
        await Reply(text, keyboard, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The previous screen's step is answered (by typed text, or a new screen follows): its buttons go, so the chat
    /// keeps no keyboard that would act on a step that is done.
    /// </summary>
    public async Task RetireScreenAsync(CancellationToken cancellationToken)
    {
        if (Session.MenuMessageId is not { } previous) return;
        Session.MenuMessageId = null;
        await RemoveButtonsAsync(previous, cancellationToken);
    }

    // Made before the next screen is sent (not after the commit), so the chat never shows two live keyboards at once.
    public async Task RemoveButtonsAsync(int messageId, CancellationToken cancellationToken)
    {
        try
        {
            await Bot.EditMessageReplyMarkup(ChatId, messageId, null, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException)
        {
            // Already without buttons, deleted, or too old to edit.
        }
    }

    public Task Answer(string? text = null, bool alert = false, CancellationToken cancellationToken = default)
    {
        if (Callback is not { } query || CallbackAnswered) return Task.CompletedTask;
        CallbackAnswered = true;
        _afterCommit.Add(async ct =>
        {
            try
            {
                await Bot.AnswerCallbackQuery(query.Id, text, alert, cancellationToken: ct);
            }
            catch (ApiRequestException)
            {
                // An old query: nothing to answer any more.
            }
        });
        return Task.CompletedTask;
    }
}
