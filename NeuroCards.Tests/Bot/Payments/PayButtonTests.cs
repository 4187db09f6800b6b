using NeuroCards.Bot.Payments;

namespace NeuroCards.Tests.Bot.Payments;

/// <summary>A payment button reads back as what was drawn; anything else is not a payment.</summary>
public sealed class PayButtonTests
{
    [Theory]
    [InlineData(PayMethod.Stars, 1)]
    [InlineData(PayMethod.Card, 2)]
    [InlineData(PayMethod.Test, 3)]
    public void A_drawn_button_reads_back_as_itself(PayMethod method, int pack)
    {
        var button = PayButton.For(method, pack);

        Assert.Equal(button, PayButton.Parse(button.Data));
        Assert.True(button.Data.Length <= 64, "Telegram takes at most 64 bytes of callback data");
    }

    [Theory]
    [InlineData("pay:bitcoin:1")]
    [InlineData("pay:yk:two")]
    [InlineData("pay:stars")]
    [InlineData("cnt:seedance-2:3")]
    [InlineData(null)]
    public void Forged_or_foreign_data_is_no_payment(string? data) => Assert.Null(PayButton.Parse(data));

    [Fact]
    public void The_packs_button_shows_the_packs() => Assert.Equal(PayButton.Packs, PayButton.Parse("pay:packs"));
}
