using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Cards;

/// <summary>The card video's preview limits: what a seller may ask for free, and what previews may cost us.</summary>
public sealed partial class CardVideoOptions
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<CardVideoOptions>;

    public const string Section = "CardVideo";

    /// <summary>Free «🔄 Другие кадры» per preview (typed changes of the script are not limited by this).</summary>
    [Range(0, 20)]
    public int Redraws { get; set; } = 3;

    /// <summary>Previews (first ones, changes and re-draws) one seller may have made in 24 hours.</summary>
    [Range(1, 1000)]
    public int PreviewsPerDay { get; set; } = 15;

    /// <summary>KIE credits one seller's previews may cost us in 24 hours (the stills); the offline stills cost nothing.</summary>
    [Range(0, 100000)]
    public decimal PreviewKieCreditsPerDay { get; set; } = 100;

    /// <summary>
    /// KIE's image edit model for the preview's stills when the worker renders with KIE (the product kept as it is in the
    /// photo); empty: the stills are made with ffmpeg, as they are offline.
    /// </summary>
    public string StillModel { get; set; } = "google/nano-banana-edit";

    /// <summary>What one still costs by KIE's price list, recorded before it is asked for.</summary>
    [Range(0, 1000)]
    public decimal StillKieCredits { get; set; } = 4;

    /// <summary>How long a worker may hold a preview it is making before another takes it.</summary>
    [Range(10, 3600)]
    public int MakingSeconds { get; set; } = 120;
}
