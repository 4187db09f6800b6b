namespace NeuroCards.AppHost.Configuration;

public static class SettingsExtensions
{
    public static IResourceBuilder<ProjectResource> WithSettings(this IResourceBuilder<ProjectResource> service, params ServiceSetting[][] tables)
    {
        var builder = service.ApplicationBuilder;
        foreach (var setting in tables.SelectMany(t => t))
        {
            var configured = !string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{setting.Parameter}"]);
            if (builder.ExecutionContext.IsRunMode && !configured) continue;
            service.WithEnvironment(setting.Key, builder.Parameter(setting));
        }
        return service;
    }

    /// <summary>
    /// Where outsiders reach the bot: its own endpoint in a local run, the operator's public https address when published.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPublicUrl(this IResourceBuilder<ProjectResource> service, string key,
        IResourceBuilder<ProjectResource> bot)
    {
        if (service.ApplicationBuilder.ExecutionContext.IsRunMode) return service.WithEnvironment(key, bot.GetEndpoint("http"));
        return service.WithEnvironment(key, service.ApplicationBuilder.Parameter(ServiceSettings.PublicUrl));
    }

    /// <summary>Telegram pushes updates to the public address when published; a local run polls the emulator instead.</summary>
    public static IResourceBuilder<ProjectResource> WithPublishedWebhook(this IResourceBuilder<ProjectResource> bot)
    {
        if (bot.ApplicationBuilder.ExecutionContext.IsRunMode) return bot;
        var publicUrl = bot.ApplicationBuilder.Parameter(ServiceSettings.PublicUrl);
        return bot.WithEnvironment("Telegram__WebhookUrl", ReferenceExpression.Create($"{publicUrl}/telegram/webhook"));
    }

    /// <summary>
    /// A random secret made once and kept in the run's state folder (so what it sealed still opens after a restart), for
    /// a local run only: published, it is the operator's setting, made by deploy.sh.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalSecret(this IResourceBuilder<ProjectResource> service, string key, string path)
    {
        if (service.ApplicationBuilder.ExecutionContext.IsPublishMode) return service;
        if (!File.Exists(path)) File.WriteAllText(path, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        return service.WithEnvironment(key, File.ReadAllText(path).Trim());
    }

    /// <summary>One parameter per setting, shared by every service that takes it.</summary>
    private static IResourceBuilder<ParameterResource> Parameter(this IDistributedApplicationBuilder builder, ServiceSetting setting)
    {
        if (builder.Resources.OfType<ParameterResource>().FirstOrDefault(p => p.Name == setting.Parameter) is { } existing)
            return builder.CreateResourceBuilder(existing);
        // A local run reads the developer's value (Parameters:<name>); publishing writes the default for operators.
        var parameter = builder.ExecutionContext.IsRunMode || setting.Secret || setting.Default is null
            ? builder.AddParameter(setting.Parameter, secret: setting.Secret)
            : builder.AddParameter(setting.Parameter, setting.Default, publishValueAsDefault: true);
        return setting.Note is null ? parameter : parameter.WithDescription(setting.Note);
    }
}
