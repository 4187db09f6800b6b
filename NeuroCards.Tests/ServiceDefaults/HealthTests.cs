using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace NeuroCards.Tests.ServiceDefaults;

public sealed class HealthTests
{
    private static async Task<WebApplication> StartServiceAsync(string connectionString, string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:neurocards"] = connectionString + ";Timeout=2;Command Timeout=2",
        });
        builder.AddServiceDefaults();
        builder.AddPostgresDataSource("neurocards");
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Health_is_unhealthy_while_postgres_is_down_and_healthy_again_when_it_returns()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "nc-health-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = new PostgresCluster(dataDir, fastUnsafe: true);
        await cluster.StartAsync();
        await using var app = await StartServiceAsync(cluster.ConnectionString(), Environments.Production);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        try
        {
            var up = await http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, up.StatusCode);
            Assert.Equal("Healthy", await up.Content.ReadAsStringAsync());

            cluster.KillHard();
            var down = await http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            // Outside Development: the status word only, no details about what broke.
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);

            await cluster.StartAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        }
        finally
        {
            await cluster.DisposeAsync();
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task In_development_health_names_the_checks()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using var app = await StartServiceAsync(connectionString, Environments.Development);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var body = await http.GetStringAsync("/health");

        Assert.Contains("\"PostgreSql\"", body); // Aspire.Npgsql's readiness check
        Assert.Contains("\"Healthy\"", body);
    }
}
