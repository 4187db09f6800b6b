var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "NeuroCards Telegram emulator");
app.Run();
