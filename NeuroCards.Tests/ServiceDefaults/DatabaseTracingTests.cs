using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace NeuroCards.Tests.ServiceDefaults;

public sealed class DatabaseTracingTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private static readonly ActivitySource Order = new("NeuroCards.Tests.Order");

    [Fact]
    public async Task Idle_polls_make_no_spans_and_an_orders_queries_are_spans_inside_its_trace()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "NeuroCards.Tests.Order",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:neurocards"] = db.ConnectionString });
        builder.AddPostgresDataSource("neurocards");
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        // Other tests run queries at the same time: this one's are told apart by a marker in their text.
        var marker = Guid.NewGuid().ToString("N");
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            await conn.ExecuteScalarAsync<int>($"select 1 /* idle poll {marker} */");
        }
        ActivitySpanId orderSpan;
        using (var order = Order.StartActivity("process job"))
        {
            orderSpan = order!.SpanId;
            await using var conn = await dataSource.OpenConnectionAsync();
            await conn.ExecuteScalarAsync<int>($"select 2 /* order {marker} */");
        }

        Activity[] mine;
        lock (spans) mine = spans.Where(s => s.Source.Name == "Npgsql" && Statement(s).Contains(marker)).ToArray();
        var query = Assert.Single(mine);
        Assert.Contains("order", Statement(query));
        Assert.Equal(orderSpan, query.ParentSpanId);
    }

    private static string Statement(Activity span) => (span.GetTagItem("db.query.text") ?? span.GetTagItem("db.statement")) as string ?? "";
}
