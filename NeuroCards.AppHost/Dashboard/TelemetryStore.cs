using System.Collections.Concurrent;

namespace NeuroCards.AppHost.Dashboard;

public sealed record SpanRecord(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, DateTime Start, double DurationMs, Dictionary<string, string> Attributes);

public sealed record LogRecord(string Service, DateTime Time, string Severity, string Message, string? TraceId);

public sealed record MetricRecord(string Service, string Name, double Value, DateTime Time);

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
