namespace NeuroCards.TelegramEmulator.Rules;

/// <summary>An error Telegram would answer: {"ok":false,"error_code":…,"description":…}.</summary>
public sealed class BotApiException(int errorCode, string description, int? retryAfter = null) : Exception(description)
{
    public int ErrorCode { get; } = errorCode;
    public int? RetryAfter { get; } = retryAfter;
}
