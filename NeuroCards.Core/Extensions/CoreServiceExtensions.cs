using Microsoft.Extensions.Configuration;
using NeuroCards.Core.Broadcasts;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Conversations;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using NeuroCards.Core.Users;

namespace Microsoft.Extensions.DependencyInjection;

public static class CoreServiceExtensions
{
    /// <summary>What the bot and the worker both stand on: migrations (first), money, queue, storage, texts, Telegram.</summary>
    public static IServiceCollection AddNeuroCardsCore(this IServiceCollection services, IConfiguration configuration)
    {
        // Hosted services start in registration order: the schema is up to date before anything else runs.
        services.AddHostedService<MigrationHostedService>();
        services.AddSingleton(TimeProvider.System);
        services.AddValidatedOptions<GenerationOptions, GenerationOptions.Validator>(configuration, GenerationOptions.Section);
        services.AddValidatedOptions<KieOptions, KieOptions.Validator>(configuration, KieOptions.Section);
        services.AddSingleton(TextCatalog.Load());
        services.AddSingleton<Db>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<KieCosts>();
        services.AddHostedService<ModelCatalogReport>();
        services.AddSingleton<ClusterLease>();
        services.AddSingleton<ProcessedUpdates>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<OrderDrafts>();
        services.AddSingleton<Ledger>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobScenes>();
        services.AddSingleton<OrderConfirmation>();
        services.AddValidatedOptions<CardVideoOptions, CardVideoOptions.Validator>(configuration, CardVideoOptions.Section);
        services.AddSingleton<CardPreviews>();
        services.AddSingleton<OrderTracking>();
        services.AddSingleton<OrderHistory>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TelegramFileIds>();
        services.AddSingleton<BroadcastStore>();
        services.AddMediaStore(configuration);
        services.AddTelegramClient(configuration);
        return services;
    }
}
