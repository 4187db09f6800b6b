using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>
/// Delivers updates to bots with a webhook as Telegram does: up to the webhook's max_connections requests at once,
/// but one at a time per chat and in order within a chat, with the secret header; a failed delivery (non-2xx or no
/// answer) is retried with backoff, and that chat's later updates wait behind it. Over https the bot's server must show a
/// certificate the system trusts, or the one the bot uploaded with setWebhook (that one alone, for that host).
/// </summary>
public sealed class WebhookPusher(EmulatorState state, IHttpClientFactory httpFactory, ILogger<WebhookPusher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _wake = new();
    private readonly ConcurrentDictionary<string, Delivery> _bots = new();
    private readonly ConcurrentDictionary<string, HttpClient> _pinned = new();

    public void Wake(BotState bot) => _wake.GetOrAdd(bot.Token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>One bot's deliveries: the chats with one in flight, and the chats waiting out a failure.</summary>
    private sealed class Delivery
    {
        public readonly HashSet<long> InFlight = [];
        public readonly Dictionary<long, (int Failures, DateTime Next)> Backoff = [];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var http = httpFactory.CreateClient("webhook");
        http.Timeout = TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var bot in state.Bots) Start(bot, http, stoppingToken);
            var waits = state.Bots.Select(bot => (Task)bot.UpdatesArrived).ToList();
            waits.Add(Task.Delay(100, stoppingToken));
            waits.AddRange(_wake.Values.Select(t => t.Task));
            try
            {
                await Task.WhenAny(waits);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var (token, tcs) in _wake) if (tcs.Task.IsCompleted) _wake.TryRemove(token, out _);
        }
    }

    /// <summary>Starts deliveries for every chat whose next update can go now, within the bot's max_connections.</summary>
    private void Start(BotState bot, HttpClient http, CancellationToken stoppingToken)
    {
        var delivery = _bots.GetOrAdd(bot.Token, _ => new Delivery());
        lock (bot.Lock)
        {
            if (bot.WebhookUrl is not { } url) return;
            var client = bot.WebhookCertificate is { } certificate ? Pinned(certificate) : http;
            var blocked = new HashSet<long>();
            foreach (var update in bot.PendingUpdates)
            {
                if (delivery.InFlight.Count >= bot.WebhookMaxConnections) return;
                var chat = ChatOf(update);
                // Only a chat's first pending update may go, and only when nothing of that chat is in flight or waiting.
                if (!blocked.Add(chat) || delivery.InFlight.Contains(chat)) continue;
                if (delivery.Backoff.TryGetValue(chat, out var b) && b.Next > DateTime.UtcNow) continue;
                delivery.InFlight.Add(chat);
                _ = DeliverAsync(bot, delivery, client, url, bot.WebhookSecret, update, chat, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(BotState bot, Delivery delivery, HttpClient http, string url, string? secret, JsonObject update, long chat,
        CancellationToken stoppingToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(update) };
            if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
            using var response = await SendAsync(http, request, stoppingToken);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"Wrong response from the webhook: {(int)response.StatusCode} {response.ReasonPhrase}");
            lock (bot.Lock)
            {
                bot.PendingUpdates.Remove(update);
                bot.LastWebhookError = null;
                delivery.Backoff.Remove(chat);
                delivery.InFlight.Remove(chat);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            int failures;
            lock (bot.Lock)
            {
                failures = delivery.Backoff.TryGetValue(chat, out var f) ? f.Failures + 1 : 1;
                delivery.Backoff[chat] = (failures, DateTime.UtcNow.AddMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, failures))));
                bot.LastWebhookError = e.Message;
                delivery.InFlight.Remove(chat);
            }
            logger.LogInformation("Webhook delivery to bot {BotId} failed ({Failures}): {Error}", bot.BotId, failures, e.Message);
        }
        catch (OperationCanceledException)
        {
            lock (bot.Lock) delivery.InFlight.Remove(chat);
        }
        Wake(bot);
    }

    /// <summary>The chat an update belongs to (updates without one are their own "chat": never held up by others).</summary>
    private static long ChatOf(JsonObject update) =>
        (update["message"] ?? update["edited_message"])?["chat"]?["id"]?.GetValue<long>()
        ?? update["callback_query"]?["message"]?["chat"]?["id"]?.GetValue<long>()
        ?? update["callback_query"]?["from"]?["id"]?.GetValue<long>()
        ?? update["pre_checkout_query"]?["from"]?["id"]?.GetValue<long>()
        ?? -update["update_id"]!.GetValue<long>();

    public override void Dispose()
    {
        foreach (var client in _pinned.Values) client.Dispose();
        base.Dispose();
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            // Telegram's words for a certificate it cannot verify.
            throw new HttpRequestException("SSL error {error:0A000086:SSL routines::certificate verify failed}", e);
        }
    }

    private HttpClient Pinned(X509Certificate2 certificate) => _pinned.GetOrAdd(certificate.Thumbprint, _ => new HttpClient(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, errors) => TrustedBy(certificate, presented, errors) },
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    });

    private static bool TrustedBy(X509Certificate2 uploaded, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(uploaded);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        return chain.Build(leaf);
    }
}
