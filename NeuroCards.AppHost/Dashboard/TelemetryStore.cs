using System.Collections.Concurrent;

namespace NeuroCards.AppHost.Dashboard;

/// <summary>What the services sent over OTLP, bounded so the dashboard never grows without end.</summary>
public sealed class TelemetryStore
{
    private const int Max = 20_000;
    public ConcurrentQueue<SpanRecord> Spans { get; } = new();
    public ConcurrentQueue<LogRecord> Logs { get; } = new();
    public ConcurrentDictionary<(string Service, string Name), MetricRecord> Metrics { get; } = new();

    public void Add(SpanRecord span)
    {
        Spans.Enqueue(span);
        while (Spans.Count > Max) Spans.TryDequeue(out _);
    }

    public void Add(LogRecord log)
    {
        Logs.Enqueue(log);
        while (Logs.Count > Max) Logs.TryDequeue(out _);
    }

    public void Add(MetricRecord metric) => Metrics[(metric.Service, metric.Name)] = metric;
}
