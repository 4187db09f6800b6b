using NeuroCards.Load;

// Many chats at once through two bot replicas behind one webhook URL, on PgBouncer in transaction mode (pool 20):
// dotnet run -c Release --project bench/NeuroCards.Load -- [chats 300] [messages per chat 6] [bot replicas 2]
var chats = args.Length > 0 ? int.Parse(args[0]) : 300;
var messages = args.Length > 1 ? int.Parse(args[1]) : 6;
var replicas = args.Length > 2 ? int.Parse(args[2]) : 2;
return await new LoadRun(chats, messages, replicas).RunAsync();
