using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Worker;

public sealed partial class WorkerOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<WorkerOptions>;

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

    /// <summary>
    /// On shutdown, the time jobs in a paid or delivering step get to finish it (waiting jobs are handed back at once);
    /// what is still running after it is cancelled and released. The host waits this long plus a margin.
    /// </summary>
    [Range(0, 600)]
    public int ShutdownGraceSeconds { get; set; } = 25;

    /// <summary>Failures a job may have rescheduled before it ends (refunded when it has no video yet).</summary>
    [Range(1, 100)]
    public int MaxFailures { get; set; } = 6;

    /// <summary>
    /// Claims in a row of a job whose lease ran out (its worker died holding it) without the job recording any progress
    /// in between, before it ends instead of being taken again: a job that kills its workers.
    /// </summary>
    [Range(1, 100)]
    public int MaxTakeovers { get; set; } = 10;

    /// <summary>The first retry's wait; each further failure doubles it (up to 15 minutes).</summary>
    [Range(0.01, 3600)]
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>Longest time to copy a result into storage; a stalled download ends as a failure instead of holding the job.</summary>
    [Range(1, 24 * 3600)]
    public int StoreTimeoutSeconds { get; set; } = 600;

    /// <summary>
    /// How long a publication is held by the worker sending it (a 50 MB upload over a slow link): a worker that dies
    /// holding one leaves it to another after this.
    /// </summary>
    [Range(2, 3600)]
    public int PublishLeaseSeconds { get; set; } = 300;

    public string? Id { get; set; }

    /// <summary>Make the sample video new users see (once per storage) when no demo videos are configured.</summary>
    public bool DemoSample { get; set; } = true;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
}
