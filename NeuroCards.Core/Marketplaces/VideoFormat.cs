namespace NeuroCards.Core.Marketplaces;

/// <summary>The frame an order's videos are delivered in (orders.format and jobs.format, stored as text).</summary>
public enum VideoFormat
{
    /// <summary>9:16: Reels, Shorts, TikTok, VK Clips (the default).</summary>
    Vertical,

    /// <summary>3:4: the product card of Wildberries and Ozon.</summary>
    Card,

    /// <summary>1:1: feeds and catalogue tiles.</summary>
    Square,
}
