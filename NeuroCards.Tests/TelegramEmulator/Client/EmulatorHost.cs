using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using NeuroCards.TelegramEmulator;

namespace NeuroCards.Tests.TelegramEmulator.Client;

/// <summary>The emulator in-process on a free port of loopback or of the address given (tests, benchmarks).</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private EmulatorHost(WebApplication app)
    {
        _app = app;
        BaseUrl = app.Urls.First();
        _http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(90) };
    }

    public string BaseUrl { get; }

    public static async Task<EmulatorHost> StartAsync(bool localServer = false, string address = "127.0.0.1")
    {
        var app = EmulatorApp.Build([], builder =>
        {
            builder.WebHost.UseUrls($"http://{address}:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Emulator:LocalServer"] = localServer.ToString() });
        });
        await app.StartAsync();
        return new EmulatorHost(app);
    }

    /// <summary>A fresh bot token (each test can have its own bot, isolated from the others).</summary>
    public static string NewToken() => $"{Random.Shared.Next(100_000, 999_999_999)}:TEST{Guid.NewGuid():N}";

    public EmulatorClient Client(string token) => new(_http, token);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }
}
