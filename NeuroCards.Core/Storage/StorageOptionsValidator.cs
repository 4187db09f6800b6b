using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

/// <summary>
/// The rules that span sections (the provider named here needs its own settings elsewhere): one line naming the key and what
/// is expected, so a bad setting stops the service at start.
/// </summary>
public sealed class StorageOptionsValidator(IConfiguration configuration, IOptions<SupabaseOptions> supabase) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case StorageProvider.Local:
                if (string.IsNullOrWhiteSpace(options.LocalPath)) failures.Add("Storage__LocalPath is required when Storage__Provider=Local (a folder for media files)");
                if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                    failures.Add("Storage__PublicBaseUrl is required when Storage__Provider=Local (the bot's public http(s) URL, e.g. https://bot.example.com)");
                if (string.IsNullOrWhiteSpace(options.SigningKey) || options.SigningKey.Length < 16)
                    failures.Add("Storage__SigningKey is required when Storage__Provider=Local (a random secret of at least 16 characters)");
                break;
            case StorageProvider.AzureBlob:
                if (string.IsNullOrWhiteSpace(configuration.GetConnectionString("blobs")))
                    failures.Add("ConnectionStrings__blobs is required when Storage__Provider=AzureBlob (an Azure Storage connection string)");
                break;
            case StorageProvider.Supabase:
                if (!Uri.TryCreate(supabase.Value.Url, UriKind.Absolute, out _)) failures.Add("Supabase__Url is required when Storage__Provider=Supabase (https://<project>.supabase.co)");
                if (string.IsNullOrWhiteSpace(supabase.Value.ServiceRoleKey)) failures.Add("Supabase__ServiceRoleKey is required when Storage__Provider=Supabase");
                if (string.IsNullOrWhiteSpace(supabase.Value.Bucket)) failures.Add("Supabase__Bucket is required when Storage__Provider=Supabase");
                break;
            default:
                failures.Add("Storage__Provider must be Local, AzureBlob or Supabase");
                break;
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
