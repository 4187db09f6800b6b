namespace NeuroCards.TelegramEmulator.State;

public sealed class ChatState(long id, string type, string? title)
{
    public long Id { get; } = id;
    public string Type { get; } = type;
    public string? Title { get; } = title;
    public List<StoredMessage> Messages { get; } = [];
    public int NextMessageId { get; set; } = 1;
}
