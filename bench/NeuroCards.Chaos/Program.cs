using NeuroCards.Chaos;

// dotnet run -c Release --project bench/NeuroCards.Chaos -- [orders] [users] [workers] [seed] [placing seconds] [kill every seconds] [postgres restarts]
var numbers = args.Select(int.Parse).ToArray();
var options = new ChaosOptions
{
    Orders = numbers.ElementAtOrDefault(0) is > 0 and var o ? o : 500,
    Users = numbers.ElementAtOrDefault(1) is > 0 and var u ? u : 60,
    Workers = numbers.ElementAtOrDefault(2) is > 0 and var w ? w : 2,
    Seed = numbers.ElementAtOrDefault(3) is > 0 and var s ? s : 1,
    PlacingTime = TimeSpan.FromSeconds(numbers.ElementAtOrDefault(4) is > 0 and var p ? p : 180),
    KillEvery = TimeSpan.FromSeconds(numbers.ElementAtOrDefault(5) is > 0 and var k ? k : 6),
    PostgresRestarts = numbers.Length > 6 ? numbers[6] : 2,
};
Console.WriteLine($"chaos: {options.Orders} orders, {options.Users} users, {options.Workers} workers, seed {options.Seed}");
var report = await new ChaosRun(options, line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}")).RunAsync();
Console.WriteLine();
Console.WriteLine("| figure | value |");
Console.WriteLine("|---|---|");
Console.Write(report);
Console.WriteLine(report.Clean ? "clean: nothing lost, nothing paid twice, nothing stuck" : "NOT CLEAN");
return report.Clean ? 0 : 1;
