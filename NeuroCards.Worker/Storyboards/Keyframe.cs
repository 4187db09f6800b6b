namespace NeuroCards.Worker.Storyboards;

/// <param name="Clean">The still a scene's clip starts from: the product, no text.</param>
/// <param name="Captioned">The same with the scene's caption drawn where the video will draw it: what the preview shows.</param>
public sealed record Keyframe(string Clean, string Captioned);
