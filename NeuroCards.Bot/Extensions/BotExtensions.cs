using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NeuroCards.Bot;
using NeuroCards.Bot.Account;
using NeuroCards.Bot.Admin;
using NeuroCards.Bot.Conversation;
using NeuroCards.Bot.Conversation.Steps;
using NeuroCards.Bot.Intake;
using NeuroCards.Bot.MiniApp;
using NeuroCards.Bot.Outbox;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Bot.Routing;
using NeuroCards.Bot.Shops;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;

namespace Microsoft.Extensions.Hosting;

public static class BotExtensions
{
    public static IHostApplicationBuilder AddBotServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddValidatedOptions<BotOptions, BotOptions.Validator>(configuration, BotOptions.Section);
        services.AddValidatedOptions<YooKassaOptions, YooKassaOptions.Validator>(configuration, YooKassaOptions.Section);
        services.AddNeuroCardsCore(configuration);
        services.AddSingleton<PaymentStore>();

        // What the bot tells Telegram goes through the outbox: written with the work it reports, sent after the commit.
        services.AddSingleton<TelegramOutbox>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<OutboxUnitOfWork>();
        services.AddHostedService<OutboxSweeper>();

        services.AddSingleton<Screens>();
        foreach (var step in new[] { typeof(MenuStep), typeof(PhotoStep), typeof(DescriptionStep), typeof(TemplateStep), typeof(WishesStep),
                     typeof(PromptStep), typeof(PromptReviewStep), typeof(CountStep), typeof(ConfirmStep), typeof(PreviewStep) })
        {
            services.AddSingleton(step);
            services.AddSingleton(sp => (IStep)sp.GetRequiredService(step));
        }
        services.AddSingleton<ConsentGate>();
        services.AddSingleton<IConversationGate>(sp => sp.GetRequiredService<ConsentGate>());
        services.AddSingleton<OrderStart>();
        services.AddSingleton<OrderPhotos>();
        services.AddSingleton<UpdatePrefetch>();
        services.AddSingleton<ArticleImport>();
        services.AddMarketplaces(configuration);
        services.AddSingleton<AccountView>();
        services.AddSingleton<ICreditsArrivedNotifier, CreditsArrivedNotifier>();
        services.AddSingleton<PurchaseCrediting>();
        services.AddSingleton<PaymentsFlow>();
        services.AddSingleton<StarsCheckout>();
        services.AddSingleton<YooKassaCheckout>();
        services.AddSingleton<TestPayments>();
        // Each feature's commands, buttons and special messages: the router's tables.
        services.AddSingleton<IHandlerTable, ConversationHandlers>();
        services.AddSingleton<CardPreviewFlow>();
        services.AddSingleton<IHandlerTable>(sp => sp.GetRequiredService<CardPreviewFlow>());
        services.AddSingleton<IHandlerTable, AccountHandlers>();
        services.AddSingleton<ShopSecretChecker>();
        services.AddSingleton<CatalogueLister>();
        services.AddSingleton<IHandlerTable, ShopsFlow>();
        services.AddSingleton<IHandlerTable, PublishFlow>();
        services.AddSingleton<IHandlerTable, BatchFlow>();
        services.AddSingleton<IHandlerTable, PaymentHandlers>();
        services.AddSingleton<IHandlerTable, AdminCommands>();
        services.AddSingleton<MiniAppAuth>();
        services.AddSingleton<MiniAppPage>();
        services.AddSingleton<GalleryPage>();
        services.AddSingleton<OrdersPage>();
        services.AddSingleton<BalancePage>();
        services.AddSingleton<MiniAppActions>();
        services.AddSingleton<UpdateRouter>();
        services.AddSingleton<ConversationTurn>();
        services.AddSingleton<UpdateReplies>();
        services.AddSingleton<UpdateProcessor>();
        services.AddSingleton<YooKassaVerifier>();
        services.AddSingleton<YooKassaReconciliation>();
        services.AddSingleton<YooKassaClient>();
        var yooKassa = services.AddHttpClient(YooKassaClient.HttpClientName, (sp, http) =>
        {
            var o = sp.GetRequiredService<IOptions<YooKassaOptions>>().Value;
            http.BaseAddress = new Uri(o.BaseUrl.TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{o.ShopId}:{o.SecretKey}")));
        });
        // Creating a payment is a POST with money behind it: never repeated by the handler (the Idempotence-Key is our payment id).
        yooKassa.RemoveAllResilienceHandlers().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());

        services.AddHostedService<BotStartup>();
        services.AddHostedService<PollingService>();
        services.AddHostedService<BroadcastService>();
        services.AddHostedService(sp => sp.GetRequiredService<YooKassaReconciliation>());
        services.AddSingleton<StarsReconciliation>();
        services.AddHostedService(sp => sp.GetRequiredService<StarsReconciliation>());
        services.AddHostedService<UpdateLogPruner>();
        return builder;
    }
}
