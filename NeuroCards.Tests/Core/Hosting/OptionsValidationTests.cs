using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroCards.Bot;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Telegram;
using NeuroCards.Worker;
using NeuroCards.Worker.Prompting;

namespace NeuroCards.Tests.Core.Hosting;

/// <summary>What an operator sees when a setting is wrong: the service refuses to start with a line naming the setting.</summary>
public sealed class OptionsValidationTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Telegram:BotToken", "not-a-token", "Telegram__BotToken is required" },
        { "Telegram:Mode", "Webhook", "Telegram__WebhookUrl is required in webhook mode" },
        { "Telegram:AdminIds", "42, anna", "Telegram__AdminIds must be comma-separated Telegram user ids" },
        { "Generation:Provider", "Runway", "Generation__Provider must be Kie or Local" },
        { "Generation:Models:cheap:Price", "0", "Generation__Models__cheap__Price must be 1 credit or more" },
        { "Wildberries:BasketUrl", "https://evil.example/{basket}", "Wildberries__BasketUrl must be a Wildberries host" },
        // A seller's key travels to these hosts: only the marketplace's own (or loopback, for tests).
        { "Wildberries:ContentApiUrl", "https://content-api.wildberries.ru.evil.example", "Wildberries__ContentApiUrl must be a Wildberries host" },
        { "Ozon:ApiUrl", "http://api-seller.ozon.ru", "Ozon__ApiUrl must be an Ozon host" },
        { "YandexMarket:ApiUrl", "https://api.partner.market.yandex.ru.example.com", "YandexMarket__ApiUrl must be a Yandex Market host" },
        { "Shops:SecretKey", "short-and-not-hex", "Shops__SecretKey must be 64 hex characters" },
        { "Payments:YooKassa:ShopId", "12345", "Payments__YooKassa__ShopId and Payments__YooKassa__SecretKey go together" },
        { "Payments:YooKassa:AllowedNetworks", "185.71.76.0/99", "Payments__YooKassa__AllowedNetworks must be comma-separated networks" },
        { "OpenAI:BaseUrl", "api.openai.com", "OpenAI__BaseUrl must be an absolute URL" },
        { "Worker:MaxInFlight", "0", "MaxInFlight" },
        { "Kie:PollSeconds", "0", "PollSeconds" },
        { "Bot:SupportUrl", "support", "SupportUrl" },
        // Telegram opens only https Mini Apps (http on this machine, as its test environment allows).
        { "Bot:PublicUrl", "http://bot.example.com", "Bot__PublicUrl must be the bot's public https address" },
        { "Bot:MiniAppSessionHours", "0", "MiniAppSessionHours" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_with_a_line_naming_it(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?> { ["Telegram:BotToken"] = "123456:LOCALDEV", ["Generation:Models:cheap:ProviderModel"] = "m", [key] = value };
        using var services = Services(settings);

        var error = Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            foreach (var validate in services.GetServices<IStartupValidator>()) validate.Validate();
        });

        Assert.Contains(message, string.Join("\n", error.Failures));
    }

    [Fact]
    public void The_default_settings_start()
    {
        using var services = Services(new Dictionary<string, string?> { ["Telegram:BotToken"] = "123456:LOCALDEV" });

        foreach (var validate in services.GetServices<IStartupValidator>()) validate.Validate();
    }

    [Fact]
    public void Every_options_class_has_its_generated_validator()
    {
        var options = new[] { typeof(BotOptions), typeof(WorkerOptions), typeof(TelegramOptions), typeof(KieOptions) }
            .SelectMany(t => t.Assembly.GetTypes())
            .Concat(typeof(NeuroCards.TelegramEmulator.State.EmulatorOptions).Assembly.GetTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass && !t.IsAbstract && t.GetField("Section") is not null)
            .Distinct().ToList();

        Assert.NotEmpty(options);
        Assert.All(options, t => Assert.Contains(t.GetNestedTypes(), n => n.GetInterfaces().Contains(typeof(IValidateOptions<>).MakeGenericType(t))));
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<TelegramOptions, TelegramOptions.Validator>(configuration, TelegramOptions.Section);
        services.AddValidatedOptions<GenerationOptions, GenerationOptions.Validator>(configuration, GenerationOptions.Section);
        services.AddValidatedOptions<KieOptions, KieOptions.Validator>(configuration, KieOptions.Section);
        services.AddValidatedOptions<WildberriesOptions, WildberriesOptions.Validator>(configuration, WildberriesOptions.Section);
        services.AddValidatedOptions<NeuroCards.Core.Marketplaces.Ozon.OzonOptions, NeuroCards.Core.Marketplaces.Ozon.OzonOptions.Validator>(configuration, "Ozon");
        services.AddValidatedOptions<NeuroCards.Core.Marketplaces.YandexMarket.YandexMarketOptions, NeuroCards.Core.Marketplaces.YandexMarket.YandexMarketOptions.Validator>(configuration, "YandexMarket");
        services.AddValidatedOptions<NeuroCards.Core.Shops.ShopOptions, NeuroCards.Core.Shops.ShopOptions.Validator>(configuration, "Shops");
        services.AddValidatedOptions<YooKassaOptions, YooKassaOptions.Validator>(configuration, YooKassaOptions.Section);
        services.AddValidatedOptions<OpenAiOptions, OpenAiOptions.Validator>(configuration, OpenAiOptions.Section);
        services.AddValidatedOptions<WorkerOptions, WorkerOptions.Validator>(configuration, WorkerOptions.Section);
        services.AddValidatedOptions<BotOptions, BotOptions.Validator>(configuration, BotOptions.Section);
        return services.BuildServiceProvider();
    }
}
