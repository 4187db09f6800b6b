var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource();
builder.AddWorkerServices();

var app = builder.Build();

// The worker serves only its health endpoints, so orchestrators can watch it.
app.MapDefaultEndpoints();

app.Run();
