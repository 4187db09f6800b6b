using NeuroCards.Core.Data;

namespace NeuroCards.Core.Shops;

/// <summary>A seller's connected shop; <see cref="Secret"/> is sealed (<see cref="ShopSecrets"/>).</summary>
public sealed record Shop
{
    public Guid Id { get; init; }
    public long UserId { get; init; }
    public string Marketplace { get; init; } = "";
    public string Account { get; init; } = "";
    public byte[] Secret { get; init; } = [];
    public string Hint { get; init; } = "";
    public DateTime? ExpiresAt { get; init; }
    public DateTime CreatedAt { get; init; }

    public Marketplace Kind => DbText.TryParse<Marketplace>(Marketplace, out var kind) ? kind : throw new InvalidOperationException($"unknown marketplace {Marketplace}");
}
