namespace NeuroCards.Bot.Conversation;

/// <summary>What an update brought that was slow to fetch, fetched before its transaction began.</summary>
public sealed record PrefetchedInputs(PhotoUpload? Photo, ImportedCard? Card, PickedPhoto? Pick)
{
    public static PrefetchedInputs None { get; } = new(null, null, null);

    /// <summary>A marketplace secret the seller sent, checked (its message already deleted).</summary>
    public Shops.ShopSecretCheck? Secret { get; init; }

    /// <summary>A WB shop's cards, for «🗂 Все карточки без видео».</summary>
    public Shops.CatalogueListing? Catalogue { get; init; }
}
