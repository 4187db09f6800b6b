using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NeuroCards.Tests.TelegramEmulator.Client;
using Telegram.Bot;

namespace NeuroCards.Tests.TelegramEmulator;

public sealed class WebhookDeliveryTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Webhook_updates_carry_the_secret_header_and_a_failed_delivery_is_retried()
    {
        var received = new ConcurrentQueue<(long UpdateId, string? Secret, int Status)>();
        var failFirst = 1;
        var builder = NeuroCards.Tests.Fakes.LoopbackApp.CreateBuilder();
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpContext c) =>
        {
            var update = await JsonNode.ParseAsync(c.Request.Body);
            var status = Interlocked.Exchange(ref failFirst, 0) == 1 ? 500 : 200;
            received.Enqueue((update!["update_id"]!.GetValue<long>(), c.Request.Headers["X-Telegram-Bot-Api-Secret-Token"], status));
            return Results.StatusCode(status);
        });
        await receiver.StartAsync();
        var token = EmulatorHost.NewToken();
        var bot = new TelegramBotClient(new TelegramBotClientOptions(token, emulator.Host.BaseUrl));
        await bot.SetWebhook(receiver.Urls.First() + "/hook", secretToken: "s3cret-token");
        var user = await emulator.Host.Client(token).UserAsync(6001);

        await user.Send("/start");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (received.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);

        var attempts = received.ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal(attempts[0].UpdateId, attempts[1].UpdateId); // the same update, again
        Assert.Equal([500, 200], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.Equal("s3cret-token", a.Secret));
        Assert.Equal(0, (await bot.GetWebhookInfo()).PendingUpdateCount);
    }
}
