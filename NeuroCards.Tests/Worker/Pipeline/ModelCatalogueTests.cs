using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker;

namespace NeuroCards.Tests.Worker.Pipeline;

/// <summary>Models KIE stops serving cost the seller nothing; every paid task is in the cost ledger.</summary>
public sealed class ModelCatalogueTests : IAsyncLifetime
{
    private readonly WorkerHarness h = new();

    public ValueTask InitializeAsync() => h.InitializeAsync();

    public ValueTask DisposeAsync() => h.DisposeAsync();

    private ModelCatalog Catalog() =>
        new(h.Db.Db, Options.Create(new GenerationOptions()), Options.Create(new KieOptions()), NullLogger<ModelCatalog>.Instance);

    private KieCosts Costs() => new(h.Db.Db, Options.Create(new KieOptions()));

    private async Task<(long Id, NeuroCards.Tests.TelegramEmulator.Client.EmulatorUser User)> OperatorAsync()
    {
        var id = TestData.NewUserId();
        return (id, await h.Telegram.UserAsync(id, "Operator", "ru"));
    }

    [Fact]
    public async Task An_order_for_a_model_kie_refuses_is_delivered_by_the_next_model_with_one_charge_and_the_model_is_hidden_until_an_admin_turns_it_on()
    {
        h.Kie.Refused["bytedance/seedance-2"] = (422, "The model 'bytedance/seedance-2' is not supported");
        var (operatorId, admin) = await OperatorAsync();
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Telegram:AdminIds"] = operatorId.ToString() });
        var (user, orderId, _) = await h.PlaceOrderAsync(count: 3, model: "seedance-2", credits: 10);

        await h.WaitAllFinishedAsync(orderId);

        Assert.All((await h.JobsAsync(orderId)).Values, j => Assert.Equal("delivered", j.Status));
        // The three videos were paid for once; nothing came back and nothing more went.
        Assert.Equal(0, await h.RefundsAsync(orderId));
        Assert.Equal(NeuroCards.Core.Money.Ledger.SignUpBonus + 10 - 3, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(3, h.Kie.Tasks.Count);
        Assert.All(h.Kie.Tasks.Values, t => Assert.Equal("kling-3.0/video", t.Body["model"]!.GetValue<string>()));
        var videos = (await user.Transcript()).Where(m => m.Video is not null).ToList();
        Assert.Equal(3, videos.Count);
        Assert.All(videos, v => Assert.Contains("Сделала модель Kling 3.0: Seedance 2 сейчас недоступна", v.Text));
        // However many jobs met the refusal, the operators heard of it once.
        await admin.Expect("KIE отказал модели");
        Assert.Single(await admin.Transcript(), m => m.Contains("KIE отказал модели"));

        var catalog = Catalog();
        var off = Assert.Single(await catalog.AllAsync(CancellationToken.None), m => m.Name == "seedance-2");
        Assert.False(off.Enabled);
        Assert.Contains("not supported", off.Reason);
        Assert.DoesNotContain(await catalog.OfferedAsync(CancellationToken.None), m => m.Name == "seedance-2");

        Assert.True(await catalog.SetEnabledAsync("seedance-2", true, operatorId, CancellationToken.None));
        Assert.Equal("seedance-2", (await catalog.OfferedAsync(CancellationToken.None))[0].Name);
    }

    [Fact]
    public async Task A_job_ordered_with_the_retired_sora_model_is_delivered_by_a_live_model_and_sora_never_reaches_kie()
    {
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync(model: "sora-2");

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Equal(0, await h.RefundsAsync(orderId));
        Assert.Equal("bytedance/seedance-2", Assert.Single(h.Kie.Tasks.Values).Body["model"]!.GetValue<string>());
        Assert.DoesNotContain(h.Kie.Requests, r => r.Body?.ToJsonString().Contains("sora", StringComparison.OrdinalIgnoreCase) == true);
        Assert.Contains("Сделала модель Seedance 2", Assert.Single(await user.Transcript(), m => m.Video is not null).Text);
    }

    [Fact]
    public async Task When_no_model_can_take_the_job_it_is_refunded_with_the_plain_reason()
    {
        h.Kie.Refused["bytedance/seedance-2"] = (505, "This feature is disabled");
        h.Kie.Refused["kling-3.0/video"] = (422, "The model 'kling-3.0/video' is not supported");
        await using var worker = await h.StartWorkerAsync();
        var (user, orderId, _) = await h.PlaceOrderAsync(credits: 0);

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal(("failed", "model_unavailable"), Assert.Single(await h.JobsAsync(orderId)).Value);
        Assert.Equal(1, await h.RefundsAsync(orderId));
        Assert.Equal(NeuroCards.Core.Money.Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        var message = await user.Expect("Нейросети для видео сейчас недоступны");
        Assert.Contains("ни при чём", message.Text);
        Assert.Empty(h.Kie.Tasks);
    }

    [Fact]
    public async Task A_task_that_fails_for_its_own_reason_does_not_retire_the_model()
    {
        h.Kie.Enqueue(new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "internal error", RenderMs = 50 });
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?> { ["Worker:RetryBaseSeconds"] = "0.1" });
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);

        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
        Assert.Contains(await Catalog().OfferedAsync(CancellationToken.None), m => m.Name == "seedance-2");
        Assert.All(h.Kie.Tasks.Values, t => Assert.Equal("bytedance/seedance-2", t.Body["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_cost_ledger_counts_a_failed_and_a_retried_task_against_the_one_delivered_video_and_the_balance_measures_the_spend()
    {
        h.Kie.Enqueue(new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "internal error", RenderMs = 50 });
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Worker:RetryBaseSeconds"] = "0.1",
            ["Kie:BalanceCheckMinutes"] = "0.02",
        });
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);
        var costs = Costs();
        // The balance is read again after the tasks were paid for: two falls of 250.
        var day = await Eventually.ValueAsync(() => costs.TodayAsync(CancellationToken.None), d => d.Measured && d.KieCredits == 500);

        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var tasks = (await conn.QueryAsync<(string Outcome, decimal Credits)>("select outcome, credits from kie_tasks order by created_at")).ToList();
        Assert.Equal([("fail", 250m), ("success", 250m)], tasks);
        Assert.Equal(1, day.Delivered);
        Assert.Equal(500m, day.PerVideo);
        Assert.Equal(20_000_000m - 500m, day.Balance);
        Assert.Equal(Math.Round(500m * new KieOptions().CreditRubles, 2), day.CostRubles);
    }

    [Fact]
    public async Task A_kie_balance_that_lasts_fewer_days_than_the_setting_alerts_the_operators_once()
    {
        h.Kie.Balances["key-a"] = 300;
        h.Kie.Balances["key-b"] = 0;
        var (operatorId, admin) = await OperatorAsync();
        await using var worker = await h.StartWorkerAsync(new Dictionary<string, string?>
        {
            ["Telegram:AdminIds"] = operatorId.ToString(),
            ["Kie:BalanceCheckMinutes"] = "0.02",
        });
        var (_, orderId, _) = await h.PlaceOrderAsync();

        await h.WaitAllFinishedAsync(orderId);

        // 50 credits left against 250 spent this week (≈36 a day): under the default three days.
        var alert = await admin.Expect("На счёте KIE осталось");
        Assert.Contains("осталось 50 кредитов", alert.Text);
        // Rounds go on every 1.2 s; the operators were told once.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Single(await admin.Transcript(), m => m.Contains("На счёте KIE осталось"));
        Assert.Equal("delivered", Assert.Single(await h.JobsAsync(orderId)).Value.Status);
    }

    [Fact]
    public async Task In_production_a_worker_without_a_kie_key_refuses_to_start_unless_the_offline_renderer_is_asked_for_by_name()
    {
        async Task<Exception?> StartAsync(string? provider)
        {
            var settings = h.Settings(provider!);
            settings["Kie:ApiKeys"] = null;
            var app = WorkerApp.Build(["--environment", "Production"], builder =>
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.ClearProviders();
                builder.Configuration.AddInMemoryCollection(settings);
            });
            try
            {
                await app.StartAsync();
                await app.StopAsync();
                return null;
            }
            catch (OptionsValidationException e)
            {
                return e;
            }
            finally
            {
                await app.DisposeAsync();
            }
        }

        var refused = await StartAsync("");

        Assert.Contains("Generation__Provider=Local", refused?.Message);
        Assert.Null(await StartAsync("Local"));
    }
}
