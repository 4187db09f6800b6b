using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeuroCards.Core.Storage;
using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Core.Storage;

/// <summary>One storage backend, configured exactly as a service would be, behind a real web host serving /media.</summary>
public sealed class StorageBackend : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public required WebApplication App { get; init; }
    public IMediaStore Store => App.Services.GetRequiredService<IMediaStore>();
    public string? LocalPath { get; init; }
    public SupabaseStorageFake? Supabase { get; init; }
    /// <summary>The configuration a service needs to use this same store.</summary>
    public required IReadOnlyDictionary<string, string?> Settings { get; init; }

    public static async Task<StorageBackend> StartAsync(StorageProvider provider)
    {
        var port = PostgresCluster.FreePort();
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = provider.ToString() };
        string? localPath = null;
        SupabaseStorageFake? supabase = null;
        AzuriteServer? azurite = null;
        switch (provider)
        {
            case StorageProvider.Local:
                localPath = Path.Combine(Path.GetTempPath(), "nc-media-" + Guid.NewGuid().ToString("N")[..8]);
                settings["Storage:LocalPath"] = localPath;
                settings["Storage:PublicBaseUrl"] = $"http://127.0.0.1:{port}";
                settings["Storage:SigningKey"] = "test-signing-key-0123456789";
                break;
            case StorageProvider.AzureBlob:
                azurite = new AzuriteServer();
                await azurite.StartAsync();
                settings["ConnectionStrings:blobs"] = azurite.ConnectionString;
                settings["Storage:Container"] = "media-" + Guid.NewGuid().ToString("N")[..8];
                break;
            case StorageProvider.Supabase:
                supabase = await SupabaseStorageFake.StartAsync();
                settings["Supabase:Url"] = supabase.Url;
                settings["Supabase:ServiceRoleKey"] = SupabaseStorageFake.ServiceKey;
                settings["Supabase:Bucket"] = "media";
                break;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMediaStore(builder.Configuration);
        var app = builder.Build();
        app.MapMediaEndpoint();
        await app.StartAsync();

        var backend = new StorageBackend { App = app, LocalPath = localPath, Supabase = supabase, Settings = settings };
        if (azurite is not null) backend._owned.Add(azurite);
        if (supabase is not null) backend._owned.Add(supabase);
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var owned in _owned) await owned.DisposeAsync();
        if (LocalPath is not null && Directory.Exists(LocalPath)) Directory.Delete(LocalPath, recursive: true);
    }
}
