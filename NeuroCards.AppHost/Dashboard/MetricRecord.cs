namespace NeuroCards.AppHost.Dashboard;

public sealed record MetricRecord(string Service, string Name, double Value, DateTime Time);
