namespace NeuroCards.Bot.Payments.YooKassa;

public sealed class YooKassaOptions
{
    public const string Section = "Payments:YooKassa";

    public string BaseUrl { get; set; } = "https://api.yookassa.ru/v3/";
    public string? ShopId { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Where YooKassa sends the user after paying (e.g. https://t.me/your_bot).</summary>
    public string ReturnUrl { get; set; } = "https://t.me/";

    /// <summary>Receipt e-mail for 54-FZ receipts, when the shop needs receipts.</summary>
    public string? ReceiptEmail { get; set; }

    public int ReconcileAfterMinutes { get; set; } = 5;

    public bool Configured => !string.IsNullOrWhiteSpace(ShopId) && !string.IsNullOrWhiteSpace(SecretKey);
}
