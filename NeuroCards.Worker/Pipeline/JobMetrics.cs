using System.Diagnostics.Metrics;
using NeuroCards.Core.Data;
using NeuroCards.Core.Queue;

namespace NeuroCards.Worker.Pipeline;

/// <summary>
/// The job queue as OpenTelemetry metrics, charted by the Aspire dashboard (or any OTLP backend): jobs by state,
/// claims, deliveries, failures by class and how long renders take. The state counts are read from PostgreSQL
/// every few seconds by <see cref="Refresh"/>, so a scrape never waits on the database.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "NeuroCards.Worker";

    private readonly Counter<long> _claimed;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _renderSeconds;
    private volatile IReadOnlyDictionary<string, int> _byState = new Dictionary<string, int>();

    public JobMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _claimed = meter.CreateCounter<long>("neurocards.jobs.claimed", "{job}", "Jobs claimed by this worker");
        _delivered = meter.CreateCounter<long>("neurocards.jobs.delivered", "{job}", "Videos delivered in the chat");
        _failed = meter.CreateCounter<long>("neurocards.jobs.failed", "{job}", "Jobs failed and refunded, by failure class");
        _renderSeconds = meter.CreateHistogram<double>("neurocards.jobs.render_duration", "s", "From the provider task's creation to its result",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 15, 30, 60, 120, 300, 600, 1200, 1800] });
        meter.CreateObservableGauge("neurocards.jobs.by_state", () => _byState.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            "{job}", "Jobs in the queue by state (all workers)");
        _meter = meter;
    }

    private readonly Meter _meter;

    public void ObserveInFlight(Func<int> inFlight) =>
        _meter.CreateObservableGauge("neurocards.worker.jobs_in_flight", inFlight, "{job}", "Jobs this worker is carrying now");

    public void Claimed(int count) => _claimed.Add(count);

    public void Delivered() => _delivered.Add(1);

    public void Failed(FailureClass failureClass) => _failed.Add(1, new KeyValuePair<string, object?>("failure_class", failureClass.ToDb()));

    public void Rendered(TimeSpan duration) => _renderSeconds.Record(duration.TotalSeconds);

    public async Task Refresh(JobQueue queue, CancellationToken cancellationToken) => _byState = await queue.CountByStatusAsync(cancellationToken);
}
