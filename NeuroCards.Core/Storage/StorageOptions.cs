namespace NeuroCards.Core.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    public string? LocalPath { get; set; }

    /// <summary>Where the bot serves /media/… from the outside (Local provider).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>HMAC key for local signed URLs.</summary>
    public string? SigningKey { get; set; }

    public int RetentionDays { get; set; } = 30;

    /// <summary>Azure container (AzureBlob provider).</summary>
    public string Container { get; set; } = "media";
}
