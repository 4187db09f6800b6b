using System.Text.Json.Nodes;
using NeuroCards.TelegramEmulator.BotApi;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.Control;

/// <summary>What people do in Telegram: each action becomes the update Telegram would send the bot.</summary>
public sealed class UserActions(EmulatorState state)
{
    public UserState EnsureUser(BotState bot, long id, string firstName, string? username, string? languageCode)
    {
        lock (bot.Lock)
        {
            if (!bot.Users.TryGetValue(id, out var user))
            {
                user = new UserState(id, firstName, username, languageCode);
                bot.Users[id] = user;
            }
            if (!bot.Chats.ContainsKey(id)) bot.Chats[id] = new ChatState(id, "private", null);
            return user;
        }
    }

    public void EnsureGroup(BotState bot, long chatId, string title)
    {
        lock (bot.Lock)
        {
            if (!bot.Chats.ContainsKey(chatId)) bot.Chats[chatId] = new ChatState(chatId, "group", title);
        }
    }

    private static UserState User(BotState bot, long userId) =>
        bot.Users.TryGetValue(userId, out var u) ? u : throw new BotApiException(404, $"no user {userId}: create it first");

    /// <summary>With the lock held: adds the user's message to the chat and queues the update.</summary>
    private static StoredMessage Post(BotState bot, long userId, long chatId, JsonObject content, string kind = "message", bool deliver = true)
    {
        var user = User(bot, userId);
        if (!bot.Chats.TryGetValue(chatId, out var chat)) throw new BotApiException(404, $"no chat {chatId}");
        var id = chat.NextMessageId++;
        content["message_id"] = id;
        content["from"] = BotMethods.UserJson(user);
        content["chat"] = BotMethods.ChatJson(chat, bot);
        content["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var message = new StoredMessage(id, content, fromBot: false);
        chat.Messages.Add(message);
        message.Version = bot.Touch();
        if (deliver) bot.EnqueueUpdate(kind, content.DeepClone());
        return message;
    }

    public JsonObject SendText(BotState bot, long userId, string text, long? chatId = null)
    {
        lock (bot.Lock)
        {
            var content = new JsonObject { ["text"] = text };
            if (text.StartsWith('/'))
            {
                var length = text.IndexOfAny([' ', '\n']) is var space and >= 0 ? space : text.Length;
                content["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = length });
            }
            return Post(bot, userId, chatId ?? userId, content).Json;
        }
    }

    public async Task<JsonObject> SendPhotoAsync(BotState bot, long userId, Stream bytes, string? caption, CancellationToken cancellationToken)
    {
        var file = await state.SaveFileAsync(bot, bytes, "photo", "image/jpeg", "photo.jpg", long.MaxValue, cancellationToken);
        lock (bot.Lock)
        {
            var content = new JsonObject
            {
                ["photo"] = new JsonArray(
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId + "s", ["width"] = 90, ["height"] = 120, ["file_size"] = Math.Min(file.Size, 3000) },
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId, ["width"] = 960, ["height"] = 1280, ["file_size"] = file.Size }),
            };
            if (caption is not null) content["caption"] = caption;
            return Post(bot, userId, userId, content).Json;
        }
    }

    public async Task<JsonObject> SendDocumentAsync(BotState bot, long userId, Stream bytes, string fileName, string mimeType, CancellationToken cancellationToken)
    {
        var file = await state.SaveFileAsync(bot, bytes, "document", mimeType, fileName, long.MaxValue, cancellationToken);
        lock (bot.Lock)
        {
            var content = new JsonObject
            {
                ["document"] = new JsonObject
                {
                    ["file_id"] = file.FileId,
                    ["file_unique_id"] = file.FileUniqueId,
                    ["file_name"] = fileName,
                    ["mime_type"] = mimeType,
                    ["file_size"] = file.Size,
                },
            };
            return Post(bot, userId, userId, content).Json;
        }
    }

    public async Task<JsonObject> SendVideoAsync(BotState bot, long userId, Stream bytes, CancellationToken cancellationToken)
    {
        var file = await state.SaveFileAsync(bot, bytes, "video", "video/mp4", "video.mp4", long.MaxValue, cancellationToken);
        lock (bot.Lock)
        {
            return Post(bot, userId, userId, new JsonObject
            {
                ["video"] = new JsonObject
                {
                    ["file_id"] = file.FileId,
                    ["file_unique_id"] = file.FileUniqueId,
                    ["width"] = 720,
                    ["height"] = 1280,
                    ["duration"] = 10,
                    ["mime_type"] = "video/mp4",
                    ["file_size"] = file.Size,
                },
            }).Json;
        }
    }

    public JsonObject SendSticker(BotState bot, long userId)
    {
        lock (bot.Lock)
        {
            return Post(bot, userId, userId, new JsonObject
            {
                ["sticker"] = new JsonObject
                {
                    ["file_id"] = state.NewFileId("sticker"),
                    ["file_unique_id"] = "st1",
                    ["type"] = "regular",
                    ["width"] = 512,
                    ["height"] = 512,
                    ["is_animated"] = false,
                    ["is_video"] = false,
                    ["emoji"] = "👍",
                },
            }).Json;
        }
    }

    public JsonObject SendVoice(BotState bot, long userId)
    {
        lock (bot.Lock)
        {
            return Post(bot, userId, userId, new JsonObject
            {
                ["voice"] = new JsonObject { ["file_id"] = state.NewFileId("voice"), ["file_unique_id"] = "v1", ["duration"] = 3, ["mime_type"] = "audio/ogg" },
            }).Json;
        }
    }

    /// <summary>The user edits one of their own text messages: Telegram sends an edited_message update.</summary>
    public JsonObject EditText(BotState bot, long userId, int messageId, string text)
    {
        lock (bot.Lock)
        {
            var chat = bot.Chats[userId];
            var message = chat.Messages.FirstOrDefault(m => m.MessageId == messageId && !m.FromBot)
                          ?? throw new BotApiException(404, "no such message of the user");
            message.Json["text"] = text;
            message.Json["edit_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            message.Version = bot.Touch();
            bot.EnqueueUpdate("edited_message", message.Json.DeepClone());
            return message.Json;
        }
    }

    /// <summary>Presses an inline button (by its callback data) under a bot message; returns the callback query id.</summary>
    public string Press(BotState bot, long userId, int messageId, string data)
    {
        lock (bot.Lock)
        {
            var user = User(bot, userId);
            var chat = bot.Chats[userId];
            var message = chat.Messages.FirstOrDefault(m => m.MessageId == messageId && !m.Deleted)
                          ?? throw new BotApiException(404, "no such message");
            var id = Guid.NewGuid().ToString("N")[..16];
            bot.CallbackAnswered[id] = false;
            bot.EnqueueUpdate("callback_query", new JsonObject
            {
                ["id"] = id,
                ["from"] = BotMethods.UserJson(user),
                ["message"] = message.Json.DeepClone(),
                ["chat_instance"] = "ci" + userId,
                ["data"] = data,
            });
            bot.Touch();
            return id;
        }
    }

    public bool CallbackAnswered(BotState bot, string id)
    {
        lock (bot.Lock) return bot.CallbackAnswered.TryGetValue(id, out var answered) && answered;
    }

    public string? CallbackAnswerText(BotState bot, string id)
    {
        lock (bot.Lock) return bot.CallbackAnswerTexts.GetValueOrDefault(id);
    }

    /// <summary>
    /// Pays an invoice as Telegram does: a pre_checkout_query the bot must answer within 10 s, then,
    /// only if it said ok, a successful_payment message. Returns the charge id, or the bot's refusal. With
    /// <paramref name="loseUpdate"/> the payment is made but its update never reaches the bot (only getStarTransactions shows it).
    /// </summary>
    public Task<(string? ChargeId, string? Error)> PayAsync(BotState bot, long userId, int invoiceMessageId, CancellationToken cancellationToken,
        bool loseUpdate = false)
    {
        InvoiceLink invoice;
        lock (bot.Lock)
        {
            User(bot, userId);
            var message = bot.Chats[userId].Messages.FirstOrDefault(m => m.MessageId == invoiceMessageId && m.Json["invoice"] is not null)
                          ?? throw new BotApiException(404, "no such invoice");
            var json = message.Json["invoice"]!;
            invoice = new InvoiceLink("", json["title"]!.GetValue<string>(), json["description"]!.GetValue<string>(), json["currency"]!.GetValue<string>(),
                json["total_amount"]!.GetValue<int>(), message.Json["x_payload"]!.GetValue<string>());
        }
        return PayAsync(bot, userId, invoice, cancellationToken, loseUpdate);
    }

    /// <summary>Pays an invoice a Mini App opened by its link (openInvoice): the same pre-checkout and receipt, in the bot's chat.</summary>
    public Task<(string? ChargeId, string? Error)> PayLinkAsync(BotState bot, long userId, string slug, CancellationToken cancellationToken)
    {
        InvoiceLink? invoice;
        lock (bot.Lock)
        {
            User(bot, userId);
            invoice = bot.InvoiceLinks.GetValueOrDefault(slug);
        }
        return invoice is null ? throw new BotApiException(404, "no such invoice link") : PayAsync(bot, userId, invoice, cancellationToken);
    }

    private static async Task<(string? ChargeId, string? Error)> PayAsync(BotState bot, long userId, InvoiceLink invoice, CancellationToken cancellationToken,
        bool loseUpdate = false)
    {
        PendingPayment pending;
        lock (bot.Lock)
        {
            var user = User(bot, userId);
            pending = new PendingPayment(Guid.NewGuid().ToString("N")[..16], userId, userId, invoice.Currency, invoice.TotalAmount, invoice.Payload);
            bot.PreCheckouts[pending.QueryId] = pending;
            bot.EnqueueUpdate("pre_checkout_query", new JsonObject
            {
                ["id"] = pending.QueryId,
                ["from"] = BotMethods.UserJson(user),
                ["currency"] = invoice.Currency,
                ["total_amount"] = invoice.TotalAmount,
                ["invoice_payload"] = invoice.Payload,
            });
        }

        var answered = await Task.WhenAny(pending.Answer.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
        if (answered != pending.Answer.Task)
        {
            lock (bot.Lock) bot.PreCheckouts.Remove(pending.QueryId);
            return (null, "the bot did not answer the pre-checkout query within 10 s");
        }
        var (ok, error) = await pending.Answer.Task;
        if (!ok) return (null, error);

        var charge = "stxch_" + Guid.NewGuid().ToString("N");
        lock (bot.Lock)
        {
            Post(bot, userId, userId, new JsonObject
            {
                ["successful_payment"] = new JsonObject
                {
                    ["currency"] = pending.Currency,
                    ["total_amount"] = pending.TotalAmount,
                    ["invoice_payload"] = pending.Payload,
                    ["telegram_payment_charge_id"] = charge,
                    ["provider_payment_charge_id"] = "prov_" + charge[6..],
                },
            }, deliver: !loseUpdate);
        }
        return (charge, null);
    }

    /// <summary>
    /// The user shares a prepared message from a Mini App (shareMessage) and picks this chat: it arrives as theirs, sent
    /// via the bot, as Telegram shows an inline result.
    /// </summary>
    public JsonObject SendPrepared(BotState bot, long userId, string preparedId)
    {
        lock (bot.Lock)
        {
            var prepared = bot.Prepared.GetValueOrDefault(preparedId);
            if (prepared is null || prepared.UserId != userId || prepared.Expires < DateTimeOffset.UtcNow) throw new BotApiException(404, "no such prepared message");
            var result = prepared.Result;
            var content = new JsonObject { ["via_bot"] = BotMethods.BotUser(bot) };
            if (result["video_file_id"]?.GetValue<string>() is { } video)
                content["video"] = bot.Files.TryGetValue(video, out var file)
                    ? new JsonObject { ["file_id"] = video, ["file_unique_id"] = file.FileUniqueId, ["width"] = 720, ["height"] = 1280, ["duration"] = 10, ["mime_type"] = "video/mp4" }
                    : throw new BotApiException(400, "Bad Request: wrong file identifier/HTTP URL specified");
            if (result["caption"]?.GetValue<string>() is { } caption) content["caption"] = caption;
            if (result["input_message_content"]?["message_text"]?.GetValue<string>() is { } text) content["text"] = text;
            return Post(bot, userId, userId, content, deliver: false).Json;
        }
    }

    /// <summary>The address a Mini App is opened at for this user: its URL with a freshly signed initData, as Telegram opens it.</summary>
    public string LaunchUrl(BotState bot, long userId, string url)
    {
        lock (bot.Lock)
        {
            var user = User(bot, userId);
            var json = BotMethods.UserJson(user);
            json["allows_write_to_pm"] = true;
            return WebApps.InitData.LaunchUrl(url, WebApps.InitData.Sign(bot.Token, json, DateTimeOffset.UtcNow, "AAH" + Guid.NewGuid().ToString("N")[..20]));
        }
    }

    public void Block(BotState bot, long userId, bool blocked)
    {
        lock (bot.Lock) User(bot, userId).BlockedBot = blocked;
    }
}
