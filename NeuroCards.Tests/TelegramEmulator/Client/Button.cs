namespace NeuroCards.Tests.TelegramEmulator.Client;

public sealed record Button(string Text, string? CallbackData, string? Url);
