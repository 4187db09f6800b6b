using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Money;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using NeuroCards.Worker;
using NeuroCards.Worker.Alerts;
using NeuroCards.Worker.Cards;
using NeuroCards.Worker.Delivery;
using NeuroCards.Worker.Generation;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Jobs;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Pipeline;
using NeuroCards.Worker.Pipeline.Stages;
using NeuroCards.Worker.Progress;
using NeuroCards.Worker.Prompting;
using NeuroCards.Worker.Publishing;
using NeuroCards.Worker.Storyboards;

namespace Microsoft.Extensions.Hosting;

public static class WorkerExtensions
{
    public static IHostApplicationBuilder AddWorkerServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddValidatedOptions<WorkerOptions, WorkerOptions.Validator>(configuration, WorkerOptions.Section);
        services.AddValidatedOptions<OpenAiOptions, OpenAiOptions.Validator>(configuration, OpenAiOptions.Section);
        services.AddNeuroCardsCore(configuration);
        services.AddMarketplaces(configuration);
        // The offline renderer makes a slideshow: in Production it is sold only when an operator asks for it by name.
        var production = builder.Environment.IsProduction();
        services.AddOptions<GenerationOptions>()
            .Validate<IOptions<KieOptions>>((generation, kie) => !production || GenerationOptions.IsKie(generation.Provider, kie.Value.ApiKeys)
                    || string.Equals(generation.Provider, "Local", StringComparison.OrdinalIgnoreCase),
                "In Production the worker renders with KIE: set Kie__ApiKeys, or Generation__Provider=Local to sell the offline renderer's slideshow on purpose")
            .ValidateOnStart();
        // Listening needs a session: through a transaction-mode pooler, a direct (or session-mode) connection of its own.
        services.AddSingleton(sp => new QueueSignals(sp.GetRequiredService<NeuroCards.Core.Data.Db>(), sp.GetRequiredService<ILogger<QueueSignals>>(),
            configuration.GetConnectionString("neurocards-direct")));
        services.AddHostedService(sp => sp.GetRequiredService<QueueSignals>());
        services.AddHostedService<MediaRetentionService>();
        services.AddHostedService<DemoSample>();

        services.AddSingleton(new FfmpegLimits());
        services.AddSingleton<Ffmpeg>();
        services.AddSingleton<SpeechSynthesizer>();
        services.AddSingleton<VoiceOver>();
        services.AddSingleton<MarketplaceFormatter>();
        services.AddSingleton<PromptWriter>();
        services.AddSingleton<StoryboardWriter>();
        services.AddSingleton<KeyframeMaker>();
        services.AddSingleton<KieStills>();
        services.AddHostedService<PreviewMaker>();
        services.AddSingleton<CardAssembler>();
        services.AddSingleton<CardRender>();
        services.AddSingleton<ResultDownloader>();
        services.AddSingleton<VideoDelivery>();
        services.AddSingleton<OrderProgress>();
        services.AddSingleton<KieKeyPool>();
        services.AddSingleton<LocalVideoProvider>();
        var kie = services.AddHttpClient<KieClient>((sp, http) => http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<KieOptions>>().Value.BaseUrl));
        kie.RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(o =>
            {
                // createTask is paid: never repeated by the handler. recordInfo (GET) may be.
                o.Retry.DisableForUnsafeHttpMethods();
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
            });
        services.AddSingleton<IVideoProvider>(sp =>
            GenerationOptions.IsKie(sp.GetRequiredService<IOptions<GenerationOptions>>().Value.Provider, sp.GetRequiredService<IOptions<KieOptions>>().Value.ApiKeys)
                ? sp.GetRequiredService<KieClient>()
                : sp.GetRequiredService<LocalVideoProvider>());
        // Results are large and the provider's CDN can be slow: minutes per attempt.
        services.AddHttpClient(ResultDownloader.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan).WithLargeTransferResilience();

        services.AddSingleton<JobMetrics>();
        services.AddSingleton<OrderClosing>();
        services.AddSingleton<OperatorAlerts>();
        services.AddHostedService<KieBalanceMonitor>();
        services.AddSingleton<FailurePolicy>();
        // The stages in the order a job goes through them.
        services.AddSingleton<IStage, CardPhotoStage>();
        services.AddSingleton<IStage, PromptStage>();
        services.AddSingleton<IStage, RenderStage>();
        services.AddSingleton<IStage, StoreStage>();
        services.AddSingleton<IStage, DeliverStage>();
        services.AddSingleton<IJobProcessor, StageRunner>();
        services.AddSingleton<JobLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<JobLoop>());
        services.AddHostedService<Publisher>();
        services.AddHostedService<BatchReporter>();

        // Jobs in a paid or delivering step get their grace period to finish, then the rest are released.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(worker.Value.ShutdownGraceSeconds + 10));
        return builder;
    }
}
