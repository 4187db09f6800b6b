using NeuroCards.Core.Shops;

namespace NeuroCards.Bot.Shops;

/// <summary>
/// What the seller's message with a marketplace secret came to, checked before the update's transaction: a shop to
/// store (its secret sealed by <see cref="Core.Shops.Shops"/>), or the reason it was refused (a text key and its values).
/// </summary>
public sealed record ShopSecretCheck(Marketplace Marketplace, string? Account, string? Secret, DateTime? ExpiresAt, string? Problem,
    (string, object?)[] ProblemArgs)
{
    public bool Passed => Problem is null && Account is not null && Secret is not null;

    /// <summary>Never the secret: this record must be safe to log by accident.</summary>
    public override string ToString() => $"ShopSecretCheck {{ {Marketplace}, {Account}, {(Passed ? "passed" : Problem)} }}";

    public static ShopSecretCheck Refused(Marketplace marketplace, string problem, params (string, object?)[] args) =>
        new(marketplace, null, null, null, problem, args);
}
