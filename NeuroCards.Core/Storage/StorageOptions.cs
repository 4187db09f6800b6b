using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

/// <summary>Checked at start by its generated validator, and by <see cref="StorageOptionsValidator"/> against the settings of the provider it names.</summary>
public sealed partial class StorageOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<StorageOptions>;

    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    public string? LocalPath { get; set; }

    /// <summary>Where the bot serves /media/… from the outside (Local provider).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>HMAC key for local signed URLs.</summary>
    public string? SigningKey { get; set; }

    [Range(1, 3650, ErrorMessage = "Storage__RetentionDays must be a whole number of days, 1 or more")]
    public int RetentionDays { get; set; } = 30;

    /// <summary>Azure container (AzureBlob provider).</summary>
    [Required]
    public string Container { get; set; } = "media";
}
