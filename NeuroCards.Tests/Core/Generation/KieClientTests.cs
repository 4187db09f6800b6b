using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Queue;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Generation;

namespace NeuroCards.Tests.Core.Generation;

public sealed class KieClientTests : IAsyncLifetime
{
    private KieFake _kie = null!;

    public async ValueTask InitializeAsync()
    {
        _kie = await KieFake.StartAsync(await TestMedia.ResultVideoAsync());
        _kie.Default = new KieScript { FetchImage = false };
    }

    public async ValueTask DisposeAsync() => await _kie.DisposeAsync();

    private KieClient Client(TimeSpan? timeout = null, string keys = "key-a,key-b")
    {
        var options = Options.Create(new KieOptions { BaseUrl = _kie.Url, ApiKeys = keys });
        var http = new HttpClient { BaseAddress = new Uri(_kie.Url), Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return new KieClient(http, new KieKeyPool(options, TimeProvider.System), options, Options.Create(new GenerationOptions()),
            NullLogger<KieClient>.Instance);
    }

    private static RenderRequest Request(string model = "seedance-2") =>
        new(Guid.NewGuid(), model, "A mug on a table", new Uri("https://media.example/p.jpg?sig=1"), "inputs/p.jpg", null);

    private static RenderRequest Request(string model, string format) => Request(model) with { Format = format };

    [Theory]
    [InlineData("vertical", "9:16")]
    [InlineData("card", "3:4")]
    [InlineData("square", "1:1")]
    public async Task Seedance_gets_the_photo_as_its_first_frame_ten_seconds_and_the_cards_frame_natively(string format, string aspect)
    {
        var created = Assert.IsType<CreateResult.Created>(await Client().CreateAsync(Request("seedance-2", format), CancellationToken.None));

        var body = _kie.Tasks[created.TaskId].Body;
        var input = body["input"]!;
        Assert.Equal("bytedance/seedance-2", body["model"]!.GetValue<string>());
        Assert.Equal("https://media.example/p.jpg?sig=1", input["first_frame_url"]!.GetValue<string>());
        Assert.Equal(aspect, input["aspect_ratio"]!.GetValue<string>());
        Assert.Equal(10, input["duration"]!.GetValue<int>());
        Assert.Equal("720p", input["resolution"]!.GetValue<string>());
        Assert.True(input["generate_audio"]!.GetValue<bool>());
        Assert.Null(input["image_urls"]);
    }

    [Fact]
    public async Task Kling_gets_the_photo_in_its_image_list_and_renders_a_card_in_its_own_vertical_frame()
    {
        var created = Assert.IsType<CreateResult.Created>(await Client().CreateAsync(Request("kling-3", "card"), CancellationToken.None));

        var body = _kie.Tasks[created.TaskId].Body;
        var input = body["input"]!;
        Assert.Equal("kling-3.0/video", body["model"]!.GetValue<string>());
        Assert.Equal("https://media.example/p.jpg?sig=1", input["image_urls"]![0]!.GetValue<string>());
        // Kling has no 3:4: the worker reframes its 9:16 for the card.
        Assert.Equal("9:16", input["aspect_ratio"]!.GetValue<string>());
        Assert.Equal(10, input["duration"]!.GetValue<int>());
        Assert.Equal("std", input["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_kie_no_longer_serves_is_never_sent()
    {
        var retiredConfig = new GenerationOptions();
        retiredConfig.Models["sora-2"] = new VideoModelOptions { Title = "Sora 2", ProviderModel = "sora-2-image-to-video" };
        var options = Options.Create(new KieOptions { BaseUrl = _kie.Url, ApiKeys = "key-a" });
        var client = new KieClient(new HttpClient { BaseAddress = new Uri(_kie.Url) }, new KieKeyPool(options, TimeProvider.System), options,
            Options.Create(retiredConfig), NullLogger<KieClient>.Instance);

        var retired = await client.CreateAsync(Request("sora-2"), CancellationToken.None);

        Assert.Equal(FailureClass.ModelUnavailable, Assert.IsType<CreateResult.Failed>(retired).FailureClass);
        Assert.Equal(0, _kie.CreateCalls);
    }

    [Fact]
    public async Task A_model_kie_refuses_by_name_is_reported_unavailable_not_as_the_sellers_fault()
    {
        _kie.Refused["kling-3.0/video"] = (422, "The model 'kling-3.0/video' is not supported");

        var refused = await Client().CreateAsync(Request("kling-3"), CancellationToken.None);

        Assert.Equal(FailureClass.ModelUnavailable, Assert.IsType<CreateResult.Failed>(refused).FailureClass);
    }

    [Fact]
    public async Task The_balance_is_the_sum_of_every_keys_account_and_falls_by_what_a_task_costs()
    {
        var client = Client();
        var before = await client.GetCreditsAsync(CancellationToken.None);

        Assert.IsType<CreateResult.Created>(await client.CreateAsync(Request("seedance-2"), CancellationToken.None));

        Assert.Equal(20_000_000m, before);
        Assert.Equal(20_000_000m - 250m, await client.GetCreditsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Veo_goes_to_its_own_endpoints_and_its_status_is_read_from_success_flag()
    {
        var client = Client();
        var created = Assert.IsType<CreateResult.Created>(await client.CreateAsync(Request("veo3-fast"), CancellationToken.None));
        await Task.Delay(300);

        var status = await client.GetStatusAsync(created.TaskId, created.KeyId, "veo3-fast", CancellationToken.None);

        Assert.Contains(_kie.Requests, r => r.Path == "/api/v1/veo/generate");
        var body = _kie.Tasks[created.TaskId].Body;
        Assert.Equal("veo3_fast", body["model"]!.GetValue<string>());
        Assert.Equal("9:16", body["aspect_ratio"]!.GetValue<string>());
        Assert.Equal("https://media.example/p.jpg?sig=1", body["imageUrls"]![0]!.GetValue<string>());
        Assert.IsType<RenderStatus.Succeeded>(status);
    }

    [Fact]
    public async Task A_create_that_does_not_answer_is_unknown_and_is_never_sent_twice()
    {
        _kie.Default = new KieScript { CreateDelayMs = 3000, FetchImage = false };

        var result = await Client(timeout: TimeSpan.FromMilliseconds(500)).CreateAsync(Request(), CancellationToken.None);

        Assert.IsType<CreateResult.Unknown>(result);
        Assert.Equal(1, _kie.CreateCalls);
    }

    [Fact]
    public async Task A_rate_limited_key_rests_and_the_next_key_is_used()
    {
        _kie.Default = new KieScript { CreateCodeForKey = new() { ["key-a"] = 429, ["key-b"] = 429 }, FetchImage = false };
        var client = Client();

        var first = await client.CreateAsync(Request(), CancellationToken.None);
        var second = await client.CreateAsync(Request(), CancellationToken.None);

        Assert.Equal(new CreateResult.Failed(FailureClass.RateLimit, "code 429: key-specific failure"), first);
        // Both keys rest now, so nothing is sent until one is back (and it counts as no attempt).
        Assert.Equal(FailureClass.RateLimit, Assert.IsType<CreateResult.NotSent>(second).FailureClass);
        Assert.Equal(2, _kie.CreateCalls);
    }

    [Theory]
    [InlineData(401, FailureClass.OurSide)]
    [InlineData(402, FailureClass.OurSide)]
    [InlineData(505, FailureClass.ModelUnavailable)]
    [InlineData(404, FailureClass.ModelUnavailable)]
    [InlineData(422, FailureClass.BadRequest)]
    [InlineData(429, FailureClass.RateLimit)]
    [InlineData(455, FailureClass.Temporary)]
    [InlineData(500, FailureClass.Temporary)]
    public async Task Create_codes_map_to_failure_classes(int code, FailureClass expected)
    {
        _kie.Default = new KieScript { CreateCode = code, FetchImage = false };

        var result = await Client(keys: "key-a").CreateAsync(Request(), CancellationToken.None);

        Assert.Equal(expected, Assert.IsType<CreateResult.Failed>(result).FailureClass);
    }

    [Theory]
    [InlineData("500", "Content policy violation: real people detected", FailureClass.Moderation)]
    [InlineData("400", "The image contains a public figure", FailureClass.Moderation)]
    [InlineData("422", "image fetch failed: 403 from host", FailureClass.BadRequest)]
    [InlineData("500", "internal error", FailureClass.ProviderFailure)]
    [InlineData("501", "generation failed", FailureClass.ProviderFailure)]
    public async Task Failed_tasks_are_classified_from_fail_code_and_fail_message_not_from_msg(string failCode, string failMsg, FailureClass expected)
    {
        _kie.Default = new KieScript { Outcome = "fail", FailCode = failCode, FailMsg = failMsg, FetchImage = false, RenderMs = 0 };
        var client = Client();
        var created = Assert.IsType<CreateResult.Created>(await client.CreateAsync(Request(), CancellationToken.None));

        var status = await client.GetStatusAsync(created.TaskId, created.KeyId, "seedance-2", CancellationToken.None);

        Assert.Equal(expected, Assert.IsType<RenderStatus.Failed>(status).FailureClass);
    }

    [Fact]
    public async Task A_malformed_status_answer_says_nothing_about_the_task()
    {
        _kie.Default = new KieScript { MalformedStatus = true, FetchImage = false };
        var client = Client();
        var created = Assert.IsType<CreateResult.Created>(await client.CreateAsync(Request(), CancellationToken.None));

        Assert.IsType<RenderStatus.Unavailable>(await client.GetStatusAsync(created.TaskId, created.KeyId, "seedance-2", CancellationToken.None));
    }

    [Fact]
    public void Callback_signatures_are_checked_in_constant_time_with_a_freshness_window()
    {
        var now = DateTimeOffset.UtcNow;
        var ts = now.ToUnixTimeSeconds();
        var good = KieCallbackVerifier.Sign("task_1", ts, "hmac-key");

        Assert.True(KieCallbackVerifier.Verify("task_1", ts.ToString(), good, "hmac-key", now));
        Assert.False(KieCallbackVerifier.Verify("task_2", ts.ToString(), good, "hmac-key", now));
        Assert.False(KieCallbackVerifier.Verify("task_1", ts.ToString(), good, "other-key", now));
        Assert.False(KieCallbackVerifier.Verify("task_1", ts.ToString(), good, "hmac-key", now.AddMinutes(10)));
        Assert.False(KieCallbackVerifier.Verify("task_1", null, good, "hmac-key", now));
    }
}
