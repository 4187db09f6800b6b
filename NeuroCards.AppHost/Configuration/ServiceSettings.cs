namespace NeuroCards.AppHost.Configuration;

/// <summary>
/// What the operator configures per service. Published, every row is a parameter (a secret, or a value with its
/// default) in the manifest, the compose file and the systemd environment file; in a local run a row reaches the
/// service only when the developer set its parameter (e.g. a real KIE key), over the local wiring.
/// </summary>
public static class ServiceSettings
{
    /// <summary>The public https address of the bot (webhook, KIE callbacks, media links), published only.</summary>
    public static readonly ServiceSetting PublicUrl = new("PUBLIC_URL", Default: "https://bot.example.com", Note: "the bot's public https address");

    public static readonly ServiceSetting[] Shared =
    [
        new("Storage__Provider", Default: "Local", Note: "Local | AzureBlob | Supabase"),
        new("Storage__LocalPath", Default: "/var/lib/neurocards/media"),
        new("Storage__SigningKey", Secret: true, Note: "random, 32+ characters"),
        new("ConnectionStrings__blobs", Secret: true, Note: "Azure Storage connection string (Storage__Provider=AzureBlob)"),
        new("Supabase__Url", Default: ""),
        new("Supabase__ServiceRoleKey", Secret: true),
        new("Supabase__Bucket", Default: "media"),
        new("Telegram__BotToken", Secret: true, Note: "from @BotFather"),
        new("Telegram__ApiBaseUrl", Default: "https://api.telegram.org"),
        new("Telegram__AdminIds", Default: "", Note: "comma-separated Telegram user ids"),
        new("Shops__SecretKey", Secret: true, Note: "seals sellers' marketplace keys: 64 hex characters (openssl rand -hex 32), the same for bot and workers"),
        new("Wildberries__ContentApiUrl", Default: "https://content-api.wildberries.ru"),
        new("Ozon__ApiUrl", Default: "https://api-seller.ozon.ru"),
        new("YandexMarket__ApiUrl", Default: "https://api.partner.market.yandex.ru"),
    ];

    public static readonly ServiceSetting[] Bot =
    [
        new("Telegram__Mode", Default: "Webhook"),
        new("Telegram__WebhookSecret", Secret: true, Note: "random, 16+ characters"),
        new("Kie__WebhookHmacKey", Secret: true),
        new("Kie__Model", Default: "seedance-2"),
        new("Payments__YooKassa__ShopId", Default: ""),
        new("Payments__YooKassa__SecretKey", Secret: true),
        new("Payments__YooKassa__ReturnUrl", Default: "https://t.me/your_bot"),
        new("Bot__TermsUrl", Default: "https://example.com/terms"),
        new("Bot__PrivacyUrl", Default: "https://example.com/privacy"),
        new("Bot__SupportUrl", Default: "https://t.me/your_support"),
    ];

    public static readonly ServiceSetting[] Worker =
    [
        new("Kie__BaseUrl", Default: "https://api.kie.ai"),
        new("Kie__ApiKeys", Secret: true, Note: "comma-separated; without keys set Generation__Provider=Local (the offline renderer)"),
        new("Kie__Model", Default: "seedance-2"),
        new("OpenAI__BaseUrl", Default: "https://api.openai.com/v1"),
        new("OpenAI__ApiKey", Secret: true),
        new("OpenAI__Model", Default: "gpt-4o-mini"),
        new("Generation__Provider", Default: ""),
        new("Worker__MaxInFlight", Default: "200"),
    ];
}
