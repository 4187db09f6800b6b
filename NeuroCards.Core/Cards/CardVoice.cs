namespace NeuroCards.Core.Cards;

/// <summary>A voice a seller can pick for a card video: its name in the chat, OpenAI's voice, and espeak-ng's offline one.</summary>
/// <param name="Id">Stored with the preview (card_previews.voice) and in the button.</param>
/// <param name="OpenAi">OpenAI's speech voice.</param>
/// <param name="Espeak">espeak-ng's Russian voice with a variant (<c>ru+f3</c>): offline, or when OpenAI fails.</param>
public sealed record CardVoice(string Id, string OpenAi, string Espeak)
{
    /// <summary>The voices offered, the first the default: two women's, one man's.</summary>
    public static readonly IReadOnlyList<CardVoice> All =
    [
        new("marina", "marin", "ru+f3"),
        new("kedr", "cedar", "ru+m3"),
        new("nova", "nova", "ru+f4"),
    ];

    public static CardVoice Default => All[0];

    /// <summary>The voice of that id; the default for an id this release does not know.</summary>
    public static CardVoice Find(string? id) => All.FirstOrDefault(v => v.Id == id) ?? Default;

    /// <summary>The text key of its name in the chat («Марина»).</summary>
    public string TitleKey => "voice." + Id;
}
