using NeuroCards.Core.Data;
using NeuroCards.Core.Shops;

namespace NeuroCards.Core.Publishing;

/// <summary>A delivered video on its way to a marketplace card.</summary>
public sealed record Publication
{
    public Guid Id { get; init; }
    public long UserId { get; init; }
    public long ChatId { get; init; }
    public string Language { get; init; } = "ru";
    public Guid JobId { get; init; }
    public Guid ShopId { get; init; }
    public string Marketplace { get; init; } = "";
    public string Card { get; init; } = "";
    public Guid? BatchId { get; init; }
    public string State { get; init; } = "queued";
    public int Attempts { get; init; }
    public string? PublicKey { get; init; }
    public string? PublicUrl { get; init; }
    public string? RemoteTask { get; init; }
    public int? MessageId { get; init; }
    public string? Error { get; init; }
    public DateTime CreatedAt { get; init; }

    public Marketplace Kind => DbText.TryParse<Marketplace>(Marketplace, out var kind) ? kind : throw new InvalidOperationException($"unknown marketplace {Marketplace}");

    public PublicationState Status => DbText.TryParse<PublicationState>(State, out var state) ? state : PublicationState.Failed;
}
