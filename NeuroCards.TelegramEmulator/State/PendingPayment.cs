namespace NeuroCards.TelegramEmulator.State;

public sealed record PendingPayment(string QueryId, long UserId, long ChatId, string Currency, int TotalAmount, string Payload)
{
    public TaskCompletionSource<(bool Ok, string? Error)> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
