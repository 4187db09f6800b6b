namespace NeuroCards.Core.Queue;

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    /// <summary>The video exists but Telegram would not take it (blocked bot, retries exhausted); never refunded.</summary>
    public const string Undeliverable = "undeliverable";
}
