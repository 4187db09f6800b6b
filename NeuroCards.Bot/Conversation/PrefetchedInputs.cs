namespace NeuroCards.Bot.Conversation;

/// <summary>What an update brought that was slow to fetch, fetched before its transaction began.</summary>
public sealed record PrefetchedInputs(PhotoUpload? Photo, ImportedCard? Card, PickedPhoto? Pick)
{
    public static PrefetchedInputs None { get; } = new(null, null, null);
}
