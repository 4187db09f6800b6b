namespace NeuroCards.Core.Marketplaces.Wildberries;

/// <summary>WB API token types (dev.wildberries.ru: «Система авторизации WB API»).</summary>
public enum WildberriesTokenType
{
    /// <summary>Issued before the four types, or a type this release does not know.</summary>
    Unknown,
    Basic,
    Personal,
    Service,
    Test,
}
