namespace NeuroCards.AppHost.Hosting;

/// <summary>What the dashboard shows for one resource.</summary>
public sealed class ResourceState(string name, string kind)
{
    private readonly Queue<string> _logs = new();

    public string Name { get; } = name;
    public string Kind { get; } = kind;
    public string State { get; set; } = "Starting";
    public string Health { get; set; } = "Unknown";
    public int? Pid { get; set; }
    public int Restarts { get; set; }
    public List<string> Endpoints { get; } = [];

    public void Log(string line)
    {
        lock (_logs)
        {
            _logs.Enqueue($"{DateTime.Now:HH:mm:ss} {line}");
            while (_logs.Count > 2000) _logs.Dequeue();
        }
    }

    public string[] Logs()
    {
        lock (_logs) return [.. _logs];
    }
}
