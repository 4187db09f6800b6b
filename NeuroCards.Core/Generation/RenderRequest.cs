namespace NeuroCards.Core.Generation;

/// <param name="PhotoUrl">A signed, expiring URL the provider downloads the photo from.</param>
/// <param name="CallbackUrl">Where the provider reports the end of the task, when we have a public endpoint.</param>
/// <param name="Variant">Which video of the order this is (0-based): the offline render varies its look by it.</param>
/// <param name="Voice">What the voice-over says, for a provider that speaks it itself (the offline render); KIE's models
/// are asked for theirs in the prompt.</param>
/// <param name="Still">The photo is already the scene's whole frame (a card video's approved still): the offline render
/// moves over it as it is instead of placing a product on a backdrop.</param>
/// <param name="Seconds">A clip this long instead of the model's own length (a card video's scene, paid by the second);
/// a model whose input has no <c>duration</c> ignores it.</param>
public sealed record RenderRequest(Guid JobId, string Model, string Prompt, Uri PhotoUrl, string PhotoKey, Uri? CallbackUrl, int Variant = 0,
    string Format = "vertical", IReadOnlyList<string>? Voice = null, bool Still = false,
    int? Seconds = null);
