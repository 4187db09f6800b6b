using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Texts;

namespace NeuroCards.Tests.Core.Texts;

/// <summary>User text cut to a length keeps every emoji whole: a half emoji is text PostgreSQL refuses.</summary>
public sealed class TextElementsTests
{
    private static bool Whole(string text) => !text.Where((c, i) =>
        char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1]))
        || char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]))).Any();

    [Fact]
    public void A_cut_through_an_emoji_leaves_it_out_whole()
    {
        var text = new string('я', 9) + "👍🏽" + "🇷🇺";

        Assert.Equal(new string('я', 9), TextElements.Head(text, 10));
        Assert.Equal(new string('я', 9) + "👍🏽", TextElements.Head(text, 14));
        Assert.Equal(text, TextElements.Head(text, 100));
    }

    [Fact]
    public void A_product_name_and_a_wildberries_description_cut_at_an_emoji_stay_whole()
    {
        var name = new string('к', 58) + "🔥🔥🔥";
        var card = new WildberriesCard(1, new string('т', 2999) + "🔥 конец", null, null, [], 1);

        Assert.True(Whole(ProductName.Of(name, 60)));
        Assert.True(Whole(card.OrderDescription()));
    }
}
