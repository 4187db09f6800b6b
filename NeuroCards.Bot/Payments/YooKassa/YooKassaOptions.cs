using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Bot.Payments.YooKassa;

public sealed partial class YooKassaOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<YooKassaOptions>;

    public const string Section = "Payments:YooKassa";

    [Required, Url]
    public string BaseUrl { get; set; } = "https://api.yookassa.ru/v3/";
    public string? ShopId { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Where YooKassa sends the user after paying (e.g. https://t.me/your_bot).</summary>
    [Required, Url]
    public string ReturnUrl { get; set; } = "https://t.me/";

    /// <summary>Receipt e-mail for 54-FZ receipts, when the shop needs receipts.</summary>
    public string? ReceiptEmail { get; set; }

    [Range(1, 24 * 60)]
    public int ReconcileAfterMinutes { get; set; } = 5;

    /// <summary>The networks YooKassa publishes for its HTTP notifications.</summary>
    public const string YooKassaNetworks = "185.71.76.0/27, 185.71.77.0/27, 77.75.153.0/25, 77.75.156.11/32, 77.75.156.35/32, 77.75.154.128/25, 2a02:5180::/32";

    /// <summary>
    /// Comma-separated networks notifications may come from; by default YooKassa's published ones. "*": any sender (the
    /// notification is verified with YooKassa's API either way, but an open endpoint makes us call that API for anyone).
    /// </summary>
    public string AllowedNetworks { get; set; } = YooKassaNetworks;

    /// <summary>Empty: any sender. A blank setting (an empty line in the environment file) keeps YooKassa's networks.</summary>
    public IReadOnlyList<System.Net.IPNetwork> Networks => AllowedNetworks.Trim() == "*" ? [] : (string.IsNullOrWhiteSpace(AllowedNetworks) ? YooKassaNetworks : AllowedNetworks)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(n => System.Net.IPNetwork.Parse(n.Contains('/') ? n : n + (n.Contains(':') ? "/128" : "/32"))).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ShopId) != string.IsNullOrWhiteSpace(SecretKey))
            yield return new("Payments__YooKassa__ShopId and Payments__YooKassa__SecretKey go together: set both or neither");
        var networksRead = true;
        try
        {
            _ = Networks;
        }
        catch (FormatException)
        {
            networksRead = false;
        }
        if (!networksRead) yield return new("Payments__YooKassa__AllowedNetworks must be comma-separated networks like 185.71.76.0/27");
    }

    public bool Configured => !string.IsNullOrWhiteSpace(ShopId) && !string.IsNullOrWhiteSpace(SecretKey);
}
