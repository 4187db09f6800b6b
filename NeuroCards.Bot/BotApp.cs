using Microsoft.AspNetCore.HttpOverrides;
using NeuroCards.Bot.Intake;
using NeuroCards.Bot.MiniApp;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Storage;

namespace NeuroCards.Bot;

/// <summary>The bot's composition, shared by Program and by tests that host it in-process.</summary>
public static class BotApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Hosts (tests) add their configuration first: the registrations below read it.
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddPostgresDataSource("neurocards");
        builder.AddBotServices();

        var app = builder.Build();
        // Behind the generated nginx every request comes from 127.0.0.1: the sender's address is the X-Forwarded-For it
        // sets, trusted only from the loopback proxy (the default), so a client cannot name an address of its own.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        app.MapDefaultEndpoints();
        app.MapTelegramWebhook();
        app.MapProviderCallbacks();
        app.MapYooKassaNotifications();
        app.MapMediaEndpoint();
        app.MapMiniApp();
        return app;
    }
}
