namespace NeuroCards.TelegramEmulator.State;

public sealed record UserState(long Id, string FirstName, string? Username, string? LanguageCode)
{
    public bool BlockedBot { get; set; }
}
