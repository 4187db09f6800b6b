namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// The one model every publish target renders from: which services exist and which settings
/// (platform.md's configuration contract) each needs, secret or not. Targets cannot drift apart.
/// </summary>
public static class DeployModel
{
    public sealed record Setting(string Key, bool Secret, string? Default = null, string? Note = null);

    public static readonly Setting[] Shared =
    [
        new("ConnectionStrings__neurocards", true, Note: "Npgsql connection string"),
        new("Storage__Provider", false, "Local"),
        new("Storage__LocalPath", false, "/var/lib/neurocards/media"),
        new("Storage__PublicBaseUrl", false, "https://bot.example.com"),
        new("Storage__SigningKey", true, Note: "random, 32+ characters"),
        new("ConnectionStrings__blobs", true, "", "Azure Storage connection string (Storage__Provider=AzureBlob)"),
        new("Supabase__Url", false, ""),
        new("Supabase__ServiceRoleKey", true, ""),
        new("Supabase__Bucket", false, "media"),
        new("Telegram__BotToken", true, Note: "from @BotFather"),
        new("Telegram__ApiBaseUrl", false, "https://api.telegram.org"),
        new("Telegram__AdminIds", false, ""),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", false, ""),
    ];

    public static readonly Setting[] Bot =
    [
        new("Telegram__Mode", false, "Webhook"),
        new("Telegram__WebhookUrl", false, "https://bot.example.com/telegram/webhook"),
        new("Telegram__WebhookSecret", true, Note: "random, 16+ characters"),
        new("Kie__WebhookHmacKey", true, ""),
        new("Payments__YooKassa__ShopId", false, ""),
        new("Payments__YooKassa__SecretKey", true, ""),
        new("Payments__YooKassa__ReturnUrl", false, "https://t.me/your_bot"),
        new("Bot__TermsUrl", false, "https://example.com/terms"),
        new("Bot__PrivacyUrl", false, "https://example.com/privacy"),
        new("Bot__SupportUrl", false, "https://t.me/your_support"),
    ];

    public static readonly Setting[] Worker =
    [
        new("Kie__BaseUrl", false, "https://api.kie.ai"),
        new("Kie__ApiKeys", true, "", "comma-separated; empty = local ffmpeg provider"),
        new("Kie__Model", false, "sora-2"),
        new("Kie__CallbackBaseUrl", false, "https://bot.example.com"),
        new("OpenAI__BaseUrl", false, "https://api.openai.com/v1"),
        new("OpenAI__ApiKey", true, ""),
        new("OpenAI__Model", false, "gpt-4o-mini"),
        new("Generation__Provider", false, ""),
        new("Worker__MaxInFlight", false, "200"),
    ];

    public static IEnumerable<Setting> All => Shared.Concat(Bot).Concat(Worker).DistinctBy(s => s.Key);

    /// <summary>Settings a secret is made of in the manifest: parameter names are lower-case with dashes.</summary>
    public static string ParameterName(string key) => key.Replace("__", "-").Replace("_", "-").ToLowerInvariant();
}
