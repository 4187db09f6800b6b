using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>Payments in Telegram Stars: invoices, pre-checkout answers, refunds and the bot's Star transactions.</summary>
public sealed partial class BotMethods
{
    /// <summary>An invoice's fields as sendInvoice and createInvoiceLink check them.</summary>
    private static (string Title, string Description, string Currency, int Total, string Payload) Invoice(ApiRequest request)
    {
        var prices = request.Json("prices") as JsonArray ?? throw new BotApiException(400, "Bad Request: parameter \"prices\" is required");
        var currency = request.RequiredString("currency");
        var payload = request.RequiredString("payload");
        if (Encoding.UTF8.GetByteCount(payload) > 128) throw new BotApiException(400, "Bad Request: INVOICE_PAYLOAD_INVALID");
        if (currency == "XTR" && prices.Count != 1) throw new BotApiException(400, "Bad Request: STARS_INVOICE_INVALID");
        var total = prices.Sum(p => p?["amount"]?.GetValue<int>() ?? 0);
        if (total <= 0) throw new BotApiException(400, "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID");
        var title = request.RequiredString("title");
        var description = request.RequiredString("description");
        if (title.Length is < 1 or > 32) throw new BotApiException(400, "Bad Request: INVOICE_TITLE_INVALID");
        if (description.Length is < 1 or > 255) throw new BotApiException(400, "Bad Request: INVOICE_DESCRIPTION_INVALID");
        return (title, description, currency, total, payload);
    }

    private Task<JsonNode?> SendInvoice(BotState bot, ApiRequest request, HttpContext http)
    {
        var (title, description, currency, total, payload) = Invoice(request);
        var markup = ReplyMarkup(request);
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var content = new JsonObject
            {
                ["invoice"] = new JsonObject
                {
                    ["title"] = title,
                    ["description"] = description,
                    ["start_parameter"] = request.Text("start_parameter") ?? "",
                    ["currency"] = currency,
                    ["total_amount"] = total,
                },
                // Kept so "pay" in the control API knows what the bot asked for; not part of Telegram's message.
                ["x_payload"] = payload,
            };
            if (markup is not null) content["reply_markup"] = markup;
            var message = AddBotMessage(bot, chat, content);
            var answer = (JsonObject)message.Json.DeepClone();
            answer.Remove("x_payload");
            return Task.FromResult<JsonNode?>(answer);
        }
    }

    /// <summary>An invoice a Mini App opens with openInvoice: Telegram answers a t.me/$slug link.</summary>
    private Task<JsonNode?> CreateInvoiceLink(BotState bot, ApiRequest request, HttpContext http)
    {
        var (title, description, currency, total, payload) = Invoice(request);
        var slug = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (bot.Lock) bot.InvoiceLinks[slug] = new InvoiceLink(slug, title, description, currency, total, payload);
        return Task.FromResult<JsonNode?>(JsonValue.Create("https://t.me/$" + slug));
    }

    private Task<JsonNode?> AnswerPreCheckoutQuery(BotState bot, ApiRequest request, HttpContext http)
    {
        var id = request.RequiredString("pre_checkout_query_id");
        PendingPayment? pending;
        lock (bot.Lock) bot.PreCheckouts.Remove(id, out pending);
        if (pending is null) throw new BotApiException(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        var ok = request.Bool("ok");
        if (!ok && string.IsNullOrEmpty(request.Text("error_message"))) throw new BotApiException(400, "Bad Request: error_message is required");
        pending.Answer.TrySetResult((ok, request.Text("error_message")));
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> RefundStarPayment(BotState bot, ApiRequest request, HttpContext http)
    {
        var userId = request.WholeNumber("user_id") ?? throw new BotApiException(400, "Bad Request: user not found");
        var charge = request.RequiredString("telegram_payment_charge_id");
        lock (bot.Lock)
        {
            var paid = bot.Chats.TryGetValue(userId, out var chat)
                ? chat.Messages.FirstOrDefault(m => m.Json["successful_payment"]?["telegram_payment_charge_id"]?.GetValue<string>() == charge)
                : null;
            if (paid is null) throw new BotApiException(400, "Bad Request: CHARGE_NOT_FOUND");
            if (paid.Json["x_refunded"] is not null) throw new BotApiException(400, "Bad Request: CHARGE_ALREADY_REFUNDED");
            paid.Json["x_refunded"] = true;
            paid.Json["x_refunded_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            paid.Version = bot.Touch();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    /// <summary>
    /// The bot's Star transactions in chronological order, as Telegram keeps them: an incoming payment (its id is the
    /// successful_payment's telegram_payment_charge_id, its source the paying user with the invoice payload) and, for a
    /// refund, an outgoing one with the same id and the user as receiver. offset counts transactions to skip.
    /// </summary>
    private Task<JsonNode?> GetStarTransactions(BotState bot, ApiRequest request, HttpContext http)
    {
        var offset = request.SmallNumber("offset") ?? 0;
        var limit = request.SmallNumber("limit") ?? 100;
        if (offset < 0) throw new BotApiException(400, "Bad Request: offset must be non-negative");
        if (limit is < 1 or > 100) throw new BotApiException(400, "Bad Request: limit must be between 1 and 100");
        var all = new List<(long Date, long Order, JsonObject Transaction)>();
        lock (bot.Lock)
        {
            foreach (var chat in bot.Chats.Values)
            {
                foreach (var message in chat.Messages)
                {
                    if (message.Json["successful_payment"] is not JsonObject paid) continue;
                    var date = message.Json["date"]!.GetValue<long>();
                    var partner = new JsonObject
                    {
                        ["type"] = "user",
                        ["transaction_type"] = "invoice_payment",
                        ["user"] = message.Json["from"]!.DeepClone(),
                        ["invoice_payload"] = paid["invoice_payload"]!.GetValue<string>(),
                    };
                    var id = paid["telegram_payment_charge_id"]!.GetValue<string>();
                    var amount = paid["total_amount"]!.GetValue<int>();
                    all.Add((date, message.Version, new JsonObject { ["id"] = id, ["amount"] = amount, ["date"] = date, ["source"] = partner }));
                    if (message.Json["x_refunded_at"] is { } refundedAt)
                    {
                        var refunded = refundedAt.GetValue<long>();
                        all.Add((refunded, long.MaxValue, new JsonObject { ["id"] = id, ["amount"] = amount, ["date"] = refunded, ["receiver"] = partner.DeepClone() }));
                    }
                }
            }
        }
        var page = all.OrderBy(t => t.Date).ThenBy(t => t.Order).Skip(offset).Take(limit).Select(t => (JsonNode)t.Transaction).ToArray();
        return Task.FromResult<JsonNode?>(new JsonObject { ["transactions"] = new JsonArray(page) });
    }
}
