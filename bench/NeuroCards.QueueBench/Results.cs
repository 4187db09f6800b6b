namespace NeuroCards.QueueBench;

/// <summary>Jobs per second by contender over the rounds, printed as medians with the ratios the targets name.</summary>
public sealed class Results
{
    private readonly Dictionary<string, List<double>> _byName = [];

    public void Add(string name, double jobsPerSecond)
    {
        if (!_byName.TryGetValue(name, out var list)) _byName[name] = list = [];
        list.Add(jobsPerSecond);
    }

    public double Median(string prefix)
    {
        var values = _byName.FirstOrDefault(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Value?.Order().ToList();
        return values is null ? double.NaN : values[values.Count / 2];
    }

    public void Print()
    {
        var hangfire = Median("Hangfire");
        var bare = Median("bare");
        Console.WriteLine("| contender | jobs/s (median) | × Hangfire | % of bare loop |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, values) in _byName)
        {
            var median = values.Order().ElementAt(values.Count / 2);
            Console.WriteLine($"| {name} | {median:N0} | {median / hangfire:F1} | {100 * median / bare:F1} % |");
        }
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
