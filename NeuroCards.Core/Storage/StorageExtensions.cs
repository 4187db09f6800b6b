using System.Net.Http.Headers;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Core.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the IMediaStore chosen by Storage:Provider, with its options validated at start.</summary>
    public static IServiceCollection AddMediaStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddTimeProvider();
        services.AddValidatedOptions<StorageOptions, StorageOptions.Validator>(configuration, StorageOptions.Section);
        services.AddValidatedOptions<SupabaseOptions, SupabaseOptions.Validator>(configuration, SupabaseOptions.Section);
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        var supabaseClient = services.AddHttpClient<SupabaseMediaStore>((sp, http) =>
            {
                var key = sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.ServiceRoleKey;
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                http.DefaultRequestHeaders.Add("apikey", key);
                http.Timeout = Timeout.InfiniteTimeSpan;
            });
        supabaseClient.WithLargeTransferResilience();

        services.AddSingleton<LocalMediaStore>();
        services.AddSingleton<AzureBlobMediaStore>(sp => new AzureBlobMediaStore(
            new BlobServiceClient(configuration.GetConnectionString("blobs")),
            sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMediaStore>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Provider switch
        {
            StorageProvider.Local => sp.GetRequiredService<LocalMediaStore>(),
            StorageProvider.AzureBlob => sp.GetRequiredService<AzureBlobMediaStore>(),
            StorageProvider.Supabase => sp.GetRequiredService<SupabaseMediaStore>(),
            _ => throw new InvalidOperationException("Storage__Provider must be Local, AzureBlob or Supabase"),
        });
        services.AddHostedService<MediaStoreInitializer>();
        services.AddHealthChecks().AddCheck<MediaStoreHealthCheck>("storage", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
