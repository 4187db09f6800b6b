using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Core.Orders;

public sealed record OrderDraft
{
    public Guid Id { get; init; }
    public long UserId { get; init; }
    public string Status { get; init; } = "draft";
    public string Language { get; init; } = "ru";
    public string? PhotoKey { get; init; }
    public string? PhotoFileId { get; init; }
    public string? Description { get; init; }
    public VideoTemplate? Template { get; init; }
    public string? Wishes { get; init; }
    public string? UserPrompt { get; init; }
    public string? Model { get; init; }
    public int? Count { get; init; }
    public int? TotalCost { get; init; }

    /// <summary>A card video's price, set from its approved preview (its scenes); a single clip's is its model's.</summary>
    public int? PricePerVideo { get; init; }
    public VideoFormat Format { get; init; } = VideoFormat.Vertical;

    /// <summary>Null: the template's default.</summary>
    public bool? Captions { get; init; }

    /// <summary>Captions are burned in when the seller said so, and by default for the ad template.</summary>
    public bool WithCaptions => Captions ?? Template == VideoTemplate.Ad;
    public DateTime CreatedAt { get; init; }

    /// <summary>The first input a draft still lacks, or null when it can be charged.</summary>
    public string? MissingField() =>
        PhotoKey is null ? "photo" :
        string.IsNullOrWhiteSpace(Description) ? "description" :
        Template is null ? "template" :
        Template == VideoTemplate.Custom && string.IsNullOrWhiteSpace(UserPrompt) ? "prompt" :
        Model is null ? "model" :
        Count is null ? "count" : null;
}
