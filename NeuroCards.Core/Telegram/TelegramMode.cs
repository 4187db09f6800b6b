namespace NeuroCards.Core.Telegram;

/// <summary>How updates arrive: the bot long-polls getUpdates (one replica), or Telegram posts them to the webhook (any number).</summary>
public enum TelegramMode
{
    Polling,
    Webhook,
}
