using NeuroCards.AppHost.Hosting;

namespace NeuroCards.AppHost.Telegram;

public static class TelegramExtensions
{
    /// <summary>The token the local emulator accepts; not a secret, it opens nothing outside this machine.</summary>
    public const string LocalToken = "123456:LOCALDEV";

    /// <summary>
    /// The Telegram Bot API for a local run: the emulator (with its web chat) unless a real bot token is configured
    /// (<c>Parameters:telegram-bottoken</c>), in which case services talk to api.telegram.org. Null when published.
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddTelegramEmulator(this IDistributedApplicationBuilder builder, string name)
    {
        if (builder.ExecutionContext.IsPublishMode || HasRealToken(builder)) return null;
        return builder.AddService<Projects.NeuroCards_TelegramEmulator>(name)
            .WithUrls(context =>
            {
                var api = context.Urls.FirstOrDefault();
                if (api is null) return;
                api.DisplayText = "Bot API";
                context.Urls.Add(new ResourceUrlAnnotation { Url = $"{api.Url}/?token={LocalToken}", DisplayText = "Web chat" });
            });
    }

    /// <summary>Points the service at the emulator; with a real token the settings table supplies it instead.</summary>
    public static IResourceBuilder<ProjectResource> WithTelegram(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource>? emulator)
    {
        if (emulator is null) return service;
        return service
            .WithEnvironment("Telegram__BotToken", LocalToken)
            .WithEnvironment("Telegram__ApiBaseUrl", emulator.GetEndpoint("http"))
            .WaitFor(emulator, WaitBehavior.StopOnResourceUnavailable);
    }

    private static bool HasRealToken(IDistributedApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["Parameters:telegram-bottoken"]);
}
