namespace NeuroCards.Core.Publishing;

/// <summary>A catalogue batch: one order per card of a shop that had no video, each video published when it is made.</summary>
public sealed record Batch
{
    public Guid Id { get; init; }
    public long UserId { get; init; }
    public long ChatId { get; init; }
    public Guid ShopId { get; init; }
    public string Language { get; init; } = "ru";
    public string Template { get; init; } = "ad";
    public string Model { get; init; } = "";
    public int Price { get; init; }
    public string State { get; init; } = "draft";
    public int Total { get; init; }
    public int Found { get; init; }
    public int? MessageId { get; init; }
    public string? MessageText { get; init; }
    public int Cost => Total * Price;
}
