namespace NeuroCards.Worker.Storyboards;

/// <summary>One scene of a card video.</summary>
/// <param name="Shot">What the camera shows, in English, for the image and video models.</param>
/// <param name="Caption">The Russian line drawn in the frame (may be empty: a scene without one).</param>
/// <param name="Voice">The Russian voice-over line, stress marks (U+0301) kept for the speech engine.</param>
/// <param name="Seconds">How long the scene lasts.</param>
public sealed record StoryboardScene(string Shot, string Caption, string Voice, double Seconds);
