namespace NeuroCards.Core.Queue;

/// <summary>What the user's progress message says a job is doing.</summary>
public static class JobStage
{
    public const string Queued = "queued";
    public const string Prompt = "prompt";
    public const string Render = "render";
    public const string Store = "store";
    public const string Deliver = "deliver";
    public const string Done = "done";
    public const string Failed = "failed";
}
