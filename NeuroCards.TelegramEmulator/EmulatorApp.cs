using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeuroCards.TelegramEmulator.BotApi;
using NeuroCards.TelegramEmulator.Control;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator;

/// <summary>The emulator as an app: used by its Program, by tests in-process, and by the AppHost.</summary>
public static class EmulatorApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.Services.AddOptions<EmulatorOptions>().Bind(builder.Configuration.GetSection(EmulatorOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EmulatorOptions>, EmulatorOptions.Validator>();
        builder.Services.AddSingleton<EmulatorState>();
        builder.Services.AddSingleton<UserActions>();
        builder.Services.AddSingleton<BotMethods>();
        builder.Services.AddSingleton<WebhookPusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookPusher>());
        // The pusher keeps Telegram's own redelivery rules (one try per round, then again later): no extra retries under it.
        builder.Services.AddHttpClient("webhook").RemoveAllResilienceHandlers();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = 2100L * 1024 * 1024;
            o.ValueLengthLimit = 16 * 1024 * 1024;
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapBotApi();
        app.MapControlApi();
        app.MapWebChat();
        return app;
    }
}
