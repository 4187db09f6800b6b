namespace NeuroCards.Core.Marketplaces.Ozon;

/// <summary>Where an Ozon import task is: still pending, imported (the product's id), or failed with Ozon's reason.</summary>
public abstract record OzonImport
{
    public sealed record Pending : OzonImport;

    public sealed record Imported(long ProductId) : OzonImport;

    public sealed record Failed(string Reason) : OzonImport;
}
