using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation.Kie;

namespace NeuroCards.Core.Generation;

/// <summary>
/// The video models: the configured catalogue with the cluster's state over it (video_models: off after KIE refused a
/// model, or an admin's on/off and price). Read fresh each time — one small query — so a model one worker retires is
/// hidden from the next seller on every bot at once.
/// </summary>
public sealed class ModelCatalog(Db db, IOptions<GenerationOptions> generation, IOptions<KieOptions> kie, ILogger<ModelCatalog> logger)
{
    private sealed record StateRow(string Name, bool Enabled, int? Price, string? Reason, DateTime ChangedAt);

    /// <summary>The model offered first: Kie__Model when it names a live model, else the first live one by rank.</summary>
    public string DefaultModel => Configured.FirstOrDefault(m => m.Key == kie.Value.Model && Live(m.Key, m.Value)).Key
                                  ?? Configured.First(m => Live(m.Key, m.Value)).Key;

    /// <summary>Every configured model, the default first, then by rank.</summary>
    private IEnumerable<KeyValuePair<string, VideoModelOptions>> Configured =>
        generation.Value.Models.OrderBy(m => m.Key == kie.Value.Model ? 0 : 1).ThenBy(m => m.Value.Rank).ThenBy(m => m.Key, StringComparer.Ordinal);

    private static bool Live(string name, VideoModelOptions model) => model.Enabled && !GenerationOptions.IsRetired(name, model);

    /// <summary>What an operator should read at start: a retired or unknown default, retired models in the configuration.</summary>
    public IEnumerable<string> StartupWarnings()
    {
        var configured = kie.Value.Model;
        if (!generation.Value.Models.TryGetValue(configured, out var model) || !Live(configured, model))
        {
            var why = GenerationOptions.IsRetired(configured, model) ? "names a retired model" : model is null ? "names no model of the catalogue" : "names a model that is off";
            yield return $"Kie__Model={configured} {why}; {DefaultModel} ({generation.Value.Models[DefaultModel].Title}) is offered first instead";
        }
        foreach (var (name, m) in generation.Value.Models.Where(m => m.Value.Enabled && GenerationOptions.IsRetired(m.Key, m.Value)))
            yield return $"Generation__Models__{name} renders with {m.ProviderModel}, which KIE no longer serves: it is never offered or sent";
    }

    /// <summary>Every model of the catalogue with its state, offered ones first.</summary>
    public async Task<IReadOnlyList<CatalogModel>> AllAsync(CancellationToken cancellationToken)
    {
        var rows = (await db.ListAsync<StateRow>("select name, enabled, price, reason, changed_at from video_models", null, cancellationToken))
            .ToDictionary(r => r.Name);
        return Configured.Select(m =>
        {
            rows.TryGetValue(m.Key, out var row);
            // A retired KIE model stays off whatever a row says: turning it on would only send orders to a refusal.
            var enabled = !GenerationOptions.IsRetired(m.Key, m.Value) && (row?.Enabled ?? m.Value.Enabled);
            return new CatalogModel(m.Key, m.Value, enabled, row?.Price ?? m.Value.Price, row?.Reason, row?.ChangedAt);
        }).OrderBy(m => m.Enabled ? 0 : 1).ToList();
    }

    /// <summary>The models sellers can pick now, the default first.</summary>
    public async Task<IReadOnlyList<CatalogModel>> OfferedAsync(CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).Where(m => m.Enabled).ToList();

    /// <summary>The model if it is offered now; null for one that is off, retired or unknown.</summary>
    public async Task<CatalogModel?> FindOfferedAsync(string? name, CancellationToken cancellationToken) =>
        name is null ? null : (await OfferedAsync(cancellationToken)).FirstOrDefault(m => m.Name == name);

    /// <summary>The next offered model after one that cannot take a job: the fallback chain is the catalogue's order.</summary>
    public async Task<CatalogModel?> NextAsync(string unavailable, CancellationToken cancellationToken) =>
        (await OfferedAsync(cancellationToken)).FirstOrDefault(m => m.Name != unavailable);

    /// <summary>
    /// KIE refused the model: off for the whole cluster until an admin turns it on. True only for the call that turned it
    /// off, so the operators are alerted once however many workers meet the refusal.
    /// </summary>
    public async Task<bool> RetireAsync(string name, string reason, CancellationToken cancellationToken)
    {
        var turnedOff = await db.ExecuteAsync("""
            insert into video_models (name, enabled, reason) values (@name, false, @reason)
            on conflict (name) do update set enabled = false, reason = excluded.reason, changed_by = null, changed_at = now()
            where video_models.enabled
            """, new { name, reason }, cancellationToken) == 1;
        if (turnedOff) logger.LogWarning("Video model {Model} turned off for the cluster: KIE refused it ({Reason})", name, reason);
        return turnedOff;
    }

    /// <summary>An admin's /models on|off: false for a name the catalogue does not have.</summary>
    public async Task<bool> SetEnabledAsync(string name, bool enabled, long adminId, CancellationToken cancellationToken)
    {
        if (!generation.Value.Models.ContainsKey(name)) return false;
        await db.ExecuteAsync("""
            insert into video_models (name, enabled, reason, changed_by) values (@name, @enabled, @reason, @adminId)
            on conflict (name) do update set enabled = excluded.enabled, reason = excluded.reason, changed_by = excluded.changed_by, changed_at = now()
            """, new { name, enabled, reason = enabled ? null : $"turned off by admin {adminId}", adminId }, cancellationToken);
        logger.LogWarning("Admin {AdminId} turned video model {Model} {State}", adminId, name, enabled ? "on" : "off");
        return true;
    }

    /// <summary>An admin's /models price: the new price applies to orders confirmed from now on.</summary>
    public async Task<bool> SetPriceAsync(string name, int price, long adminId, CancellationToken cancellationToken)
    {
        if (!generation.Value.Models.TryGetValue(name, out var model) || price < 1) return false;
        await db.ExecuteAsync("""
            insert into video_models (name, enabled, price, changed_by) values (@name, @enabled, @price, @adminId)
            on conflict (name) do update set price = excluded.price, changed_by = excluded.changed_by, changed_at = now()
            """, new { name, enabled = model.Enabled, price, adminId }, cancellationToken);
        logger.LogWarning("Admin {AdminId} set the price of video model {Model} to {Price}", adminId, name, price);
        return true;
    }
}
