namespace NeuroCards.AppHost.Dashboard;

public sealed record SpanRecord(string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, DateTime Start, double DurationMs, Dictionary<string, string> Attributes);
