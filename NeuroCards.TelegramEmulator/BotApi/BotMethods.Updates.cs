using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>Receiving updates: long polling, and the webhook a bot sets instead.</summary>
public sealed partial class BotMethods
{
    private async Task<JsonNode?> GetUpdatesAsync(BotState bot, ApiRequest request, HttpContext http)
    {
        var offset = request.WholeNumber("offset") ?? 0;
        var timeout = Math.Clamp(request.SmallNumber("timeout") ?? 0, 0, 50);
        var allowed = request.Json("allowed_updates") as JsonArray;
        lock (bot.Lock)
        {
            if (bot.WebhookUrl is not null)
                throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            if (bot.PollerActive)
                throw new BotApiException(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
            bot.PollerActive = true;
        }
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(timeout);
            while (true)
            {
                Task arrived;
                lock (bot.Lock)
                {
                    // Confirming an offset forgets everything before it, as Telegram does.
                    if (offset != 0) bot.PendingUpdates.RemoveAll(u => u["update_id"]!.GetValue<long>() < offset);
                    var ready = bot.PendingUpdates
                        .Where(u => allowed is null || allowed.Count == 0 || u.Select(p => p.Key).Any(k => allowed.Any(a => a!.GetValue<string>() == k)))
                        .Take(Math.Clamp(request.SmallNumber("limit") ?? 100, 1, 100))
                        .Select(u => u.DeepClone())
                        .ToList();
                    if (ready.Count > 0 || DateTime.UtcNow >= deadline) return new JsonArray([.. ready]);
                    arrived = bot.UpdatesArrived;
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return new JsonArray();
                await Task.WhenAny(arrived, Task.Delay(left, http.RequestAborted));
                http.RequestAborted.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            lock (bot.Lock) bot.PollerActive = false;
        }
    }

    private Task<JsonNode?> SetWebhook(BotState bot, ApiRequest request, HttpContext http)
    {
        var url = request.RequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new BotApiException(400, "Bad Request: bad webhook: Failed to resolve host");
        // Telegram's rules; a bot on this machine (a local run) may use plain http on any port.
        if (!uri.IsLoopback && uri.Scheme != "https") throw new BotApiException(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
        if (!uri.IsLoopback && uri.Port is not (443 or 80 or 88 or 8443))
            throw new BotApiException(400, "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        var certificate = request.Upload("certificate", request.Text("certificate")) is { } file ? ReadCertificate(file) : null;
        lock (bot.Lock)
        {
            bot.WebhookUrl = url;
            bot.WebhookCertificate = certificate;
            bot.WebhookSecret = request.Text("secret_token");
            bot.WebhookMaxConnections = Math.Clamp(request.SmallNumber("max_connections") ?? 40, 1, 100);
            if (request.Bool("drop_pending_updates")) bot.PendingUpdates.Clear();
        }
        webhooks.Wake(bot);
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> DeleteWebhook(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            bot.WebhookUrl = null;
            bot.WebhookSecret = null;
            bot.WebhookCertificate = null;
            if (request.Bool("drop_pending_updates")) bot.PendingUpdates.Clear();
        }
        return Task.FromResult<JsonNode?>(JsonValue.Create(true));
    }

    private Task<JsonNode?> GetWebhookInfo(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            var info = new JsonObject
            {
                ["url"] = bot.WebhookUrl ?? "",
                ["has_custom_certificate"] = bot.WebhookCertificate is not null,
                ["pending_update_count"] = bot.PendingUpdates.Count,
            };
            if (bot.LastWebhookError is not null)
            {
                info["last_error_date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                info["last_error_message"] = bot.LastWebhookError;
            }
            return Task.FromResult<JsonNode?>(info);
        }
    }

    /// <summary>The public key certificate a bot uploads, PEM as Telegram asks (DER is read too).</summary>
    private static X509Certificate2 ReadCertificate(IFormFile file)
    {
        using var stream = file.OpenReadStream();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        try
        {
            var bytes = buffer.ToArray();
            var text = Encoding.ASCII.GetString(bytes);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException)
        {
            throw new BotApiException(400, "Bad Request: bad webhook: Failed to set custom certificate file");
        }
    }
}
