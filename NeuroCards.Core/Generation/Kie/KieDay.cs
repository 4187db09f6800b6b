namespace NeuroCards.Core.Generation.Kie;

/// <summary>Today's KIE spend against what sellers paid (for /stats).</summary>
/// <param name="KieCredits">KIE credits spent today: measured from the balance readings when there are two, else by the price list.</param>
/// <param name="PerVideo">KIE credits per delivered video, failed and retried tasks included; null before the first delivery.</param>
public sealed record KieDay(decimal KieCredits, bool Measured, int Delivered, decimal? PerVideo, decimal SoldRubles, decimal CostRubles, decimal? Balance);
