namespace NeuroCards.Worker.Media;

/// <summary>One caption line as it is drawn: its text, where its top is, and its font size in pixels.</summary>
public sealed record CaptionPlacement(string Text, int Top, int FontSize);
