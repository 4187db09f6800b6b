using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Shops;

/// <summary>The key that seals sellers' marketplace secrets; the bot and every worker must have the same one.</summary>
public sealed partial class ShopOptions : IValidatableObject
{
    [OptionsValidator]
    public sealed partial class Validator : IValidateOptions<ShopOptions>;

    public const string Section = "Shops";

    /// <summary>64 hex characters (32 random bytes). Empty: connecting shops is off, and /shops says so.</summary>
    public string SecretKey { get; set; } = "";

    public bool Enabled => SecretKey.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (SecretKey.Length != 64 || !SecretKey.All(char.IsAsciiHexDigit)))
            yield return new("Shops__SecretKey must be 64 hex characters (openssl rand -hex 32)");
    }
}
