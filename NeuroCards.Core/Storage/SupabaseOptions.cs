namespace NeuroCards.Core.Storage;

public sealed class SupabaseOptions
{
    public const string Section = "Supabase";

    public string? Url { get; set; }

    public string? ServiceRoleKey { get; set; }

    public string Bucket { get; set; } = "media";
}
