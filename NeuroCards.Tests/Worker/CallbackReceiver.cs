using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Queue;
using Npgsql;

namespace NeuroCards.Tests.Worker;

/// <summary>The bot's provider-callback endpoint (the production one) on its own, counting what arrives.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private CallbackReceiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First();
    public int Received => _received;

    public static async Task<CallbackReceiver> StartAsync(NpgsqlDataSource dataSource, string? hmacKey = null)
    {
        var builder = NeuroCards.Tests.Fakes.LoopbackApp.CreateBuilder();
        if (hmacKey is not null) builder.Configuration["Kie:WebhookHmacKey"] = hmacKey;
        builder.Services.AddSingleton(DataLayer.Over(dataSource).Queue);
        builder.Services.AddValidatedOptions<KieOptions, KieOptions.Validator>(builder.Configuration, KieOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        var app = builder.Build();
        CallbackReceiver? receiver = null;
        app.Use(async (c, next) =>
        {
            Interlocked.Increment(ref receiver!._received);
            await next(c);
        });
        app.MapProviderCallbacks();
        receiver = new CallbackReceiver(app);
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
