namespace NeuroCards.Bot.Payments;

/// <summary>How a seller pays for a pack: Telegram Stars, a card through YooKassa, or a test payment (admins, Development only).</summary>
public enum PayMethod
{
    Stars,
    Card,
    Test,
}
