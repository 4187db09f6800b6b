using NeuroCards.Latency;

// The service-level figures, with the real bot and worker as processes against the Telegram emulator and KIE's fake:
// dotnet run -c Release --project bench/NeuroCards.Latency -- [orders 30] [renders in flight 500] [chats 200] [updates/s 200]
var orders = args.Length > 0 ? int.Parse(args[0]) : 30;
var inFlight = args.Length > 1 ? int.Parse(args[1]) : 500;
var chats = args.Length > 2 ? int.Parse(args[2]) : 200;
var rate = args.Length > 3 ? int.Parse(args[3]) : 200;

await using var stack = await Stack.StartAsync();
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, PostgreSQL 15 (fsync on), Release build");
await new PipelineLatency(stack).RunAsync(orders);
await new WorkerFootprint(stack).RunAsync(inFlight);
await new UpdateLatency(stack).RunAsync(chats, rate);
