namespace NeuroCards.Core.Orders;

/// <summary>A delivered video as the Mini App's gallery shows it: its product, template, frame, when it came and the marketplaces whose cards show it.</summary>
public sealed record GalleryVideo(Guid Id, Guid OrderId, int Index, int Total, string? TelegramFileId, string? ResultKey, string Description,
    VideoTemplate Template, string? Format, int? ResultWidth, int? ResultHeight, double? ResultDuration, DateTime DeliveredAt, string? Article,
    string? OnCards)
{
    /// <summary>The card format (3:4) is what marketplace cards take as they are.</summary>
    public bool FitsCard => Format == "card";

    /// <summary>The marketplaces (wb, ozon, ym) whose cards show this video.</summary>
    public IReadOnlyList<string> Marketplaces => (OnCards ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);

    public string Frame => (ResultWidth, ResultHeight) switch
    {
        ({ } w, { } h) when w * 16 == h * 9 => "9:16",
        ({ } w, { } h) when w * 4 == h * 3 => "3:4",
        ({ } w, { } h) when w == h => "1:1",
        ({ } w, { } h) => $"{w}×{h}",
        _ => "",
    };
}
