using System.ComponentModel.DataAnnotations;

namespace NeuroCards.Worker.Jobs;

public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Jobs one process carries at once; a render mostly waits on the provider, so this can be large.</summary>
    [Range(1, 5000)]
    public int MaxInFlight { get; set; } = 200;

    /// <summary>Jobs of one user in flight across all workers (fairness).</summary>
    [Range(1, 100)]
    public int PerUserCap { get; set; } = 3;

    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often an idle worker looks for due jobs when no notification arrives.</summary>
    [Range(0.05, 300)]
    public double PollSeconds { get; set; } = 5;

    [Range(1, 500)]
    public int ClaimBatch { get; set; } = 20;

    /// <summary>Time a job gets to reach a safe point on shutdown before its lease is released anyway.</summary>
    [Range(0, 600)]
    public int ShutdownGraceSeconds { get; set; } = 10;

    public string? Id { get; set; }

    /// <summary>Make the sample video new users see (once per storage) when no demo videos are configured.</summary>
    public bool DemoSample { get; set; } = true;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
