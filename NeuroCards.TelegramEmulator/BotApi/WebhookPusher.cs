using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>
/// Delivers updates to bots with a webhook, in order, one at a time, with the secret header;
/// a failed delivery (non-2xx or no answer) is retried with backoff, like Telegram does.
/// </summary>
public sealed class WebhookPusher(EmulatorState state, IHttpClientFactory httpFactory, ILogger<WebhookPusher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _wake = new();

    public void Wake(BotState bot) => _wake.GetOrAdd(bot.Token, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var http = httpFactory.CreateClient("webhook");
        http.Timeout = TimeSpan.FromSeconds(30);
        var backoff = new Dictionary<string, (int Failures, DateTime Next)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = false;
            foreach (var bot in state.Bots)
            {
                JsonObject? update;
                string? url;
                string? secret;
                lock (bot.Lock)
                {
                    url = bot.WebhookUrl;
                    secret = bot.WebhookSecret;
                    update = url is null ? null : bot.PendingUpdates.FirstOrDefault();
                }
                if (update is null || url is null) continue;
                if (backoff.TryGetValue(bot.Token, out var b) && b.Next > DateTime.UtcNow) continue;

                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(update) };
                    if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
                    using var response = await http.SendAsync(request, stoppingToken);
                    if (!response.IsSuccessStatusCode) throw new HttpRequestException($"Wrong response from the webhook: {(int)response.StatusCode} {response.ReasonPhrase}");
                    lock (bot.Lock)
                    {
                        bot.PendingUpdates.Remove(update);
                        bot.LastWebhookError = null;
                    }
                    backoff.Remove(bot.Token);
                    delivered = true;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    var failures = backoff.TryGetValue(bot.Token, out var f) ? f.Failures + 1 : 1;
                    backoff[bot.Token] = (failures, DateTime.UtcNow.AddMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, failures))));
                    lock (bot.Lock) bot.LastWebhookError = e.Message;
                    logger.LogInformation("Webhook delivery to bot {BotId} failed ({Failures}): {Error}", bot.BotId, failures, e.Message);
                }
            }
            if (delivered) continue;
            var waits = state.Bots.Select(bot => (Task)bot.UpdatesArrived).ToList();
            waits.Add(Task.Delay(200, stoppingToken));
            waits.AddRange(_wake.Values.Select(t => t.Task));
            await Task.WhenAny(waits);
            foreach (var (token, tcs) in _wake) if (tcs.Task.IsCompleted) _wake.TryRemove(token, out _);
        }
    }
}
