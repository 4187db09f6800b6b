using NeuroCards.Bot.Conversation;
using NeuroCards.Bot.Outbox;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Money;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Bot.Routing;

/// <summary>One update being handled: who, where, the conversation state, and ways to answer.</summary>
public sealed class BotContext(Update update, UserAccount user, ConversationSession session, ITelegramBotClient bot, TextCatalog texts, bool isAdmin)
{
    public Update Update { get; } = update;
    public UserAccount User { get; set; } = user;
    public ConversationSession Session { get; } = session;
    /// <summary>For calls made after the commit (<see cref="OnCommitted"/>); messages go through <see cref="Send(OutgoingMessage)"/>.</summary>
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

    /// <summary>
    /// What this update tells Telegram. It goes into the outbox in the update's transaction and is sent after the commit,
    /// so nothing is said about work that rolled back and no connection waits on Telegram.
    /// </summary>
    public IReadOnlyList<OutgoingMessage> Outgoing => _outgoing;

    private readonly List<OutgoingMessage> _outgoing = [];

    /// <summary>The update's messages as written to the outbox already claimed for sending after the commit (null: claimed then).</summary>
    public ClaimedChat? Claimed { get; set; }

    public void Send(OutgoingMessage message) => _outgoing.Add(message);

    public void Send(IEnumerable<OutgoingMessage> messages) => _outgoing.AddRange(messages);

    /// <summary>A new message; with buttons it becomes the chat's screen (the one before loses its buttons).</summary>
    public Task Reply(string text, InlineKeyboardMarkup? keyboard = null, bool noPreview = true, CancellationToken cancellationToken = default)
    {
        Send(OutgoingMessage.Message(ChatId, text, keyboard, screen: keyboard is not null, linkPreview: !noPreview));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Shows a screen: pressing a button edits that message in place (no stale keyboards piling up);
    /// a typed message gets a new one.
    /// </summary>
    public Task Screen(string text, InlineKeyboardMarkup? keyboard, CancellationToken cancellationToken)
    {
        Send(Callback?.Message is { } shown
            ? OutgoingMessage.Edit(ChatId, shown.MessageId, text, keyboard, screen: true)
            : OutgoingMessage.Message(ChatId, text, keyboard, screen: true));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The previous screen's step is answered (by typed text, or a new screen follows): its buttons go, so the chat
    /// keeps no keyboard that would act on a step that is done.
    /// </summary>
    public Task RetireScreenAsync(CancellationToken cancellationToken)
    {
        Send(OutgoingMessage.RetireScreen(ChatId));
        return Task.CompletedTask;
    }

    public Task RemoveButtonsAsync(int messageId, CancellationToken cancellationToken)
    {
        Send(OutgoingMessage.ButtonsOff(ChatId, messageId));
        return Task.CompletedTask;
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
