namespace NeuroCards.Core.Generation;

/// <summary>How a market model takes the product photo: Seedance's first_frame_url, or Kling's image_urls list.</summary>
public enum PhotoInput
{
    FirstFrameUrl,
    ImageUrls,
}
