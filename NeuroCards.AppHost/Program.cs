using NeuroCards.AppHost.Configuration;
using NeuroCards.AppHost.Hosting;
using NeuroCards.AppHost.Postgres;
using NeuroCards.AppHost.Publishing;
using NeuroCards.AppHost.Storage;
using NeuroCards.AppHost.Telegram;

// dotnet run --project NeuroCards.AppHost [-- --storage local|azurite --workers N --state-dir DIR]
// Everything runs over http on loopback (launch profile "http"), so no development certificate is needed or trusted.
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, TrustDeveloperCertificate = false });
var local = LocalRun.From(builder);

// Resources: PostgreSQL, blob storage, the Telegram Bot API (each a local stand-in when run, the operator's when published).
var db = builder.AddNeuroCardsPostgres("postgres", "neurocards", local.PostgresData);
var blobs = local.Azurite is { } azurite && builder.ExecutionContext.IsRunMode ? builder.AddAzurite("blobs", azurite, local.AzuriteData) : null;
var telegram = builder.AddTelegramEmulator("telegram");

// Services, each with what it uses.
var bot = builder.AddService<Projects.NeuroCards_Bot>("bot").WithExternalHttpEndpoints()
    .WithReference(db).WaitFor(db, WaitBehavior.StopOnResourceUnavailable)
    .WithTelegram(telegram)
    .WithSettings(ServiceSettings.Shared, ServiceSettings.Bot)
    .WithLocalSecret("Shops__SecretKey", local.ShopKeyFile);
bot.WithMediaStorage(blobs, local.MediaFolder).WithPublicUrl("Storage__PublicBaseUrl", bot).WithPublicUrl("Bot__PublicUrl", bot).WithPublishedWebhook();

builder.AddService<Projects.NeuroCards_Worker>("worker")
    .WithReference(db).WaitFor(db, WaitBehavior.StopOnResourceUnavailable)
    .WithTelegram(telegram)
    .WithMediaStorage(blobs, local.MediaFolder)
    .WithPublicUrl("Storage__PublicBaseUrl", bot).WithPublicUrl("Kie__CallbackBaseUrl", bot)
    .WithSettings(ServiceSettings.Shared, ServiceSettings.Worker)
    .WithLocalSecret("Shops__SecretKey", local.ShopKeyFile)
    .WithReplicas(local.Workers).WithRestartOnCrash();

// Deploy artefacts from this same model: --publisher manifest, or --operation publish --step compose|systemd.
builder.AddDeployTargets();

builder.Build().Run();
