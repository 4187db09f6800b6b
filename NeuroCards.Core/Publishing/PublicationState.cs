namespace NeuroCards.Core.Publishing;

/// <summary>publications.state: queued (to send), sent (the marketplace is taking it), published, failed.</summary>
public enum PublicationState
{
    Queued,
    Sent,
    Published,
    Failed,
}
