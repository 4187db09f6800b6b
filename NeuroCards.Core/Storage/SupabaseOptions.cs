using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

public sealed partial class SupabaseOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<SupabaseOptions>;

    public const string Section = "Supabase";

    public string? Url { get; set; }

    public string? ServiceRoleKey { get; set; }

    [Required]
    public string Bucket { get; set; } = "media";
}
