using System.Net;
using System.Text;
using NeuroCards.Core.Orders;

namespace NeuroCards.Tests.Bot.Intake;

/// <summary>What the open HTTP endpoints do with what anyone on the internet can send them.</summary>
public sealed class CallbackEndpointTests : RunningBotTests
{
    private HttpClient Http() => new() { BaseAddress = new Uri(h.App!.Urls.First()) };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A job waiting for KIE's task <paramref name="taskId"/>, with its callback token.</summary>
    private async Task<Guid> RenderingJobAsync(string token, string taskId)
    {
        var userId = TestData.NewUserId();
        await h.Db.Ledger.EnsureUserAsync(userId, null, "Seller", "ru");
        var order = await TestData.DraftOrderAsync(h.Db.DataSource, userId);
        Assert.IsType<ConfirmOrderResult.Confirmed>(await h.Db.Orders.ConfirmAsync(order, 1));
        var job = Assert.Single(await h.Db.Queue.ClaimAsync("worker", 1, TimeSpan.FromMinutes(5), 5));
        await h.Db.Queue.BeginProviderAttemptAsync(job.Lease, "kie", token, DateTime.UtcNow.AddMinutes(30));
        await h.Db.Queue.RecordProviderTaskAsync(job.Lease, taskId, "key-a");
        return job.Id;
    }

    [Fact]
    public async Task A_kie_callback_with_an_unknown_token_is_refused_before_its_body_is_read()
    {
        using var http = Http();
        // 20 MB that would be parsed if the token were checked after the body.
        var huge = new ByteArrayContent(new byte[20 * 1024 * 1024]);
        huge.Headers.ContentType = new("application/json");

        var response = await http.PostAsync("/callbacks/kie?token=forged", huge);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_kie_callback_with_a_numeric_task_id_is_taken_and_a_malformed_or_huge_one_is_a_bad_request()
    {
        var jobId = await RenderingJobAsync("token-numeric", "12345");
        using var http = Http();

        var numeric = await http.PostAsync("/callbacks/kie?token=token-numeric", Json("""{"code":200,"data":{"taskId":12345,"state":"success"}}"""));
        var malformed = await http.PostAsync("/callbacks/kie?token=token-numeric", Json("""{"code":200,"data":{"taskId":"""));
        var huge = await http.PostAsync("/callbacks/kie?token=token-numeric",
            Json("{\"data\":{\"taskId\":\"12345\",\"pad\":\"" + new string('x', 100_000) + "\"}}"));

        Assert.Equal(HttpStatusCode.OK, numeric.StatusCode);
        Assert.Equal("success", (await h.Db.Queue.GetAsync(jobId))!.ProviderState);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    [Fact]
    public async Task Yookassa_notifications_are_taken_only_from_yookassas_networks_by_default()
    {
        using var http = Http();

        var fromHere = await http.PostAsync("/payments/yookassa/notify", Json("""{"type":"notification","object":{"id":"2f0d-anything"}}"""));

        Assert.Equal(HttpStatusCode.Forbidden, fromHere.StatusCode);
    }
}
