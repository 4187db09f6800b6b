namespace NeuroCards.Core.Queue;

/// <summary>The pipeline stage a job is at (jobs.stage, stored as text): what its progress line says.</summary>
public enum JobStage
{
    Queued,
    Prompt,
    Render,
    Store,
    Deliver,
    Done,
    Failed,
}
