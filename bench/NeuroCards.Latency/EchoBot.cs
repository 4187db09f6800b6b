using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NeuroCards.Tests.Fakes;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NeuroCards.Latency;

/// <summary>The floor to compare the bot with: a bare Telegram.Bot webhook that sends every text straight back.</summary>
public sealed class EchoBot : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoBot(WebApplication app) => _app = app;

    public static async Task<EchoBot> StartAsync(string telegramBaseUrl, string token)
    {
        var bot = new TelegramBotClient(new TelegramBotClientOptions(token, telegramBaseUrl));
        var app = LoopbackApp.CreateBuilder().Build();
        app.MapPost("/webhook", async (HttpContext http) =>
        {
            var update = await JsonSerializer.DeserializeAsync<Update>(http.Request.Body, JsonBotAPI.Options, http.RequestAborted);
            if (update?.Message is { Text: { } text } message) await bot.SendMessage(message.Chat.Id, text, cancellationToken: http.RequestAborted);
            return Results.Ok();
        });
        await app.StartAsync();
        await bot.SetWebhook(app.Urls.First() + "/webhook");
        return new EchoBot(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
