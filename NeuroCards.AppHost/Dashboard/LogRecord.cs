namespace NeuroCards.AppHost.Dashboard;

public sealed record LogRecord(string Service, DateTime Time, string Severity, string Message, string? TraceId);
