using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;

namespace NeuroCards.Tests.Core.Generation;

public sealed class ModelCatalogTests : IAsyncLifetime
{
    private readonly DatabaseFixture _db = new();

    public ValueTask InitializeAsync() => _db.InitializeAsync();

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private static (GenerationOptions Generation, KieOptions Kie) Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<GenerationOptions, GenerationOptions.Validator>(configuration, GenerationOptions.Section);
        services.AddValidatedOptions<KieOptions, KieOptions.Validator>(configuration, KieOptions.Section);
        using var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOptions<GenerationOptions>>().Value, provider.GetRequiredService<IOptions<KieOptions>>().Value);
    }

    private ModelCatalog Catalog(Dictionary<string, string?> settings)
    {
        var (generation, kie) = Bind(settings);
        return new ModelCatalog(_db.Db, Options.Create(generation), Options.Create(kie), NullLogger<ModelCatalog>.Instance);
    }

    [Fact]
    public async Task One_setting_changes_one_field_of_one_model_and_the_rest_of_the_list_stays()
    {
        var catalog = Catalog(new()
        {
            ["Generation:Models:kling-3:Price"] = "2",
            ["Generation:Models:seedance-2:Input:resolution"] = "1080p",
            ["Generation:Models:veo3-fast:Enabled"] = "true",
        });

        var all = await catalog.OfferedAsync(CancellationToken.None);

        Assert.Equal(["seedance-2", "kling-3", "veo3-fast"], all.Select(m => m.Name));
        Assert.Equal([1, 2, 2], all.Select(m => m.Price));
        var seedance = all[0].Options;
        Assert.Equal(("1080p", "9:16", "10", "bytedance/seedance-2"), (seedance.Input["resolution"], seedance.Input["aspect_ratio"], seedance.Input["duration"], seedance.ProviderModel));
    }

    [Fact]
    public async Task An_old_sora_setting_starts_with_a_warning_naming_the_model_used_instead_and_sora_is_never_offered()
    {
        var catalog = Catalog(new()
        {
            ["Kie:Model"] = "sora-2",
            ["Generation:Models:sora-2:Title"] = "Sora 2",
            ["Generation:Models:sora-2:ProviderModel"] = "sora-2-image-to-video",
        });

        var warnings = catalog.StartupWarnings().ToList();

        Assert.Contains(warnings, w => w.Contains("Kie__Model=sora-2 names a retired model") && w.Contains("seedance-2 (Seedance 2) is offered first instead"));
        Assert.Contains(warnings, w => w.Contains("sora-2-image-to-video, which KIE no longer serves"));
        Assert.Equal("seedance-2", catalog.DefaultModel);
        Assert.DoesNotContain(await catalog.OfferedAsync(CancellationToken.None), m => m.Name.StartsWith("sora", StringComparison.Ordinal));
        // Even an admin cannot offer a model KIE no longer has.
        Assert.True(await catalog.SetEnabledAsync("sora-2", true, 1, CancellationToken.None));
        Assert.DoesNotContain(await catalog.OfferedAsync(CancellationToken.None), m => m.Name == "sora-2");
    }

    [Fact]
    public async Task A_retirement_is_reported_once_however_many_workers_meet_the_refusal()
    {
        var catalog = Catalog([]);

        var turnedOff = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => catalog.RetireAsync("kling-3", "code 422: model not supported", CancellationToken.None)));

        Assert.Single(turnedOff, t => t);
        Assert.Equal(["seedance-2"], (await catalog.OfferedAsync(CancellationToken.None)).Select(m => m.Name));
        Assert.Null(await catalog.NextAsync("seedance-2", CancellationToken.None));
    }

    [Fact]
    public async Task An_admins_price_wins_over_the_configured_one()
    {
        var catalog = Catalog(new() { ["Generation:Models:seedance-2:Price"] = "2" });

        Assert.True(await catalog.SetPriceAsync("seedance-2", 3, 1, CancellationToken.None));

        Assert.Equal(3, (await catalog.FindOfferedAsync("seedance-2", CancellationToken.None))!.Price);
    }

    [Fact]
    public void A_configuration_that_turns_every_live_model_off_is_refused_at_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new()
        {
            ["Generation:Models:seedance-2:Enabled"] = "false",
            ["Generation:Models:kling-3:Enabled"] = "false",
        }));

        Assert.Contains("at least one live model must stay on", error.Message);
    }
}
