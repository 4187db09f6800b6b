namespace NeuroCards.Core.Generation;

/// <summary>One model as the cluster sees it now: its configuration, and whether and at what price it is offered.</summary>
/// <param name="Reason">Why it is off (KIE's refusal or the admin), when it is.</param>
public sealed record CatalogModel(string Name, VideoModelOptions Options, bool Enabled, int Price, string? Reason, DateTime? ChangedAt)
{
    public string Title => Options.Title;
}
