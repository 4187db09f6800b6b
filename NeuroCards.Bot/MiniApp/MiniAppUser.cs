namespace NeuroCards.Bot.MiniApp;

/// <summary>Who opened the Mini App, as Telegram signed it in initData; the language is the one the bot speaks with them.</summary>
public sealed record MiniAppUser(long Id, string Language);
