namespace NeuroCards.Core.Orders;

/// <summary>What kind of video the seller orders (orders.template, jobs.template, stored as text): it picks the prompt.</summary>
public enum VideoTemplate
{
    /// <summary>A customer showing the product, as a review would.</summary>
    Ugc,

    /// <summary>The product alone, as an advert.</summary>
    Ad,

    /// <summary>The seller's own prompt.</summary>
    Custom,

    /// <summary>The finished card video: 15–30 s of scenes with a voice, approved from a preview before it is charged.</summary>
    Card,
}
