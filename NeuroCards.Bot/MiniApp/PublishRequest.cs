namespace NeuroCards.Bot.MiniApp;

/// <summary>The gallery's «📤» form: which connected shop, which card.</summary>
public sealed record PublishRequest(string Shop, string Card);
