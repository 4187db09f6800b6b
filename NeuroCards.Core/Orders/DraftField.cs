using NeuroCards.Core.Data;
using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Core.Orders;

/// <summary>One input of a draft order: its column and how its value is stored. The only columns a draft step may set.</summary>
public sealed record DraftField<T>(string Column, Func<T, object?> Store)
{
    public object? ToDb(T value) => Store(value);
}

/// <summary>The inputs a seller gives while building an order.</summary>
public static class DraftFields
{
    public static readonly DraftField<string?> PhotoKey = new("photo_key", v => v);
    public static readonly DraftField<string?> PhotoFileId = new("photo_file_id", v => v);
    public static readonly DraftField<string> Description = new("description", v => v);
    public static readonly DraftField<VideoTemplate> Template = new("template", v => v.ToDb());
    public static readonly DraftField<string?> Wishes = new("wishes", v => v);
    public static readonly DraftField<string> UserPrompt = new("user_prompt", v => v);
    public static readonly DraftField<string> Model = new("model", v => v);
    public static readonly DraftField<int> Count = new("count", v => v);
    public static readonly DraftField<VideoFormat> Format = new("format", v => v.ToDb());
    public static readonly DraftField<bool> Captions = new("captions", v => v);

    /// <summary>The WB card the order started from: its video can go back on that card without asking which.</summary>
    public static readonly DraftField<string?> Article = new("article", v => v);
    public static readonly DraftField<int> PricePerVideo = new("price_per_video", v => v);
}
