using NeuroCards.Core.Texts;

namespace NeuroCards.Tests.Core.Texts;

public sealed class TextCatalogTests
{
    private static readonly TextCatalog Texts = TextCatalog.Load();

    [Theory]
    [InlineData(1, "1 кредит")]
    [InlineData(2, "2 кредита")]
    [InlineData(5, "5 кредитов")]
    [InlineData(11, "11 кредитов")]
    [InlineData(14, "14 кредитов")]
    [InlineData(21, "21 кредит")]
    [InlineData(22, "22 кредита")]
    [InlineData(111, "111 кредитов")]
    public void Russian_credit_counts_read_right(int n, string expected) =>
        Assert.Equal(expected, Texts.Plural("ru", "credits", n));

    [Theory]
    [InlineData(1, "1 credit")]
    [InlineData(2, "2 credits")]
    [InlineData(0, "0 credits")]
    public void English_credit_counts_read_right(int n, string expected) =>
        Assert.Equal(expected, Texts.Plural("en", "credits", n));

    [Theory]
    [InlineData("ru", "ru")]
    [InlineData("ru-RU", "ru")]
    [InlineData("en", "en")]
    [InlineData("de", "en")]
    [InlineData(null, "en")]
    public void The_language_follows_the_telegram_client(string? code, string expected) =>
        Assert.Equal(expected, TextCatalog.LanguageFor(code));

    [Fact]
    public void Every_text_exists_in_both_languages()
    {
        static string Base(string key) => key.EndsWith(".one") || key.EndsWith(".few") || key.EndsWith(".many") || key.EndsWith(".other")
            ? key[..key.LastIndexOf('.')] + ".<plural>" : key;
        var ru = Texts.Keys("ru").Select(Base).ToHashSet();
        var en = Texts.Keys("en").Select(Base).ToHashSet();

        Assert.Empty(ru.Except(en));
        Assert.Empty(en.Except(ru));
    }

    [Fact]
    public void User_text_is_escaped_for_telegram_html() =>
        Assert.Equal("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;", Html.Escape("<b>Tom & Jerry</b>"));

    [Fact]
    public void A_value_that_looks_like_a_placeholder_is_shown_as_it_is()
    {
        // A seller's product called "{balance}" in a confirmation that also names the balance.
        var text = Texts.Get("ru", "cancel.done", ("product", "{balance} {credits}"), ("balance", "LEAK"), ("credits", "LEAK"));

        Assert.Contains("{balance} {credits}", text);
        Assert.DoesNotContain("LEAK", text);
    }
}
