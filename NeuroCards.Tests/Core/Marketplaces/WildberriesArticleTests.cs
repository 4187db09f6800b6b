using NeuroCards.Core.Marketplaces.Wildberries;

namespace NeuroCards.Tests.Core.Marketplaces;

/// <summary>What a seller may send instead of a photo: only an article number is ever taken from it.</summary>
public sealed class WildberriesArticleTests
{
    [Theory]
    [InlineData("187654321", 187654321L)]
    [InlineData(" арт. 187654321 ", 187654321L)]
    [InlineData("Артикул: 187654321", 187654321L)]
    [InlineData("https://www.wildberries.ru/catalog/187654321/detail.aspx?targetUrl=GP&size=0", 187654321L)]
    [InlineData("wildberries.ru/catalog/187654321/detail.aspx", 187654321L)]
    [InlineData("https://www.wildberries.by/catalog/187654321/detail.aspx", 187654321L)]
    [InlineData("https://wb.ru/catalog/187654321/detail.aspx", 187654321L)]
    [InlineData("https://evil.example/catalog/187654321/detail.aspx", null)]
    [InlineData("https://www.wildberries.ru.evil.example/catalog/187654321/detail.aspx", null)]
    [InlineData("https://www.wildberries.ru/catalog/187654321/detail.aspx http://127.0.0.1/", null)]
    [InlineData("Кружка 350 мл, держит тепло", null)]
    [InlineData("12345", null)]
    public void Only_an_article_number_or_a_wildberries_link_is_taken(string text, long? article)
    {
        Assert.Equal(article is not null, WildberriesArticle.TryParse(text, out var parsed));
        if (article is not null) Assert.Equal(article, parsed);
    }

    [Theory]
    [InlineData("https://www.ozon.ru/product/kruzhka-12345/", true)]
    [InlineData("https://market.yandex.ru/product--kruzhka/123", true)]
    [InlineData("https://www.wildberries.ru/catalog/187654321/detail.aspx", false)]
    [InlineData("Кружка с озона", false)]
    public void Other_marketplaces_are_recognised(string text, bool other) =>
        Assert.Equal(other, WildberriesArticle.IsOtherMarketplace(text));

    [Theory]
    [InlineData("https://basket-{basket}.wbbasket.ru", true)]
    [InlineData("http://127.0.0.1:5000/basket-{basket}", true)]
    [InlineData("http://basket-{basket}.wbbasket.ru", false)]
    [InlineData("https://basket-{basket}.wbbasket.ru.evil.example", false)]
    [InlineData("https://169.254.169.254/{basket}", false)]
    public void Only_wildberries_hosts_may_be_configured(string basketUrl, bool allowed) =>
        Assert.Equal(allowed, WildberriesOptions.IsAllowedHost(basketUrl));
}
