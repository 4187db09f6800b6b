using System.Text.Json.Nodes;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Tests.Fakes;

namespace NeuroCards.Tests.Core.Marketplaces;

/// <summary>What a WB API token says of itself, read as WB's decoder reads it, so the bot can refuse the wrong one at once.</summary>
public sealed class WildberriesTokenTests
{
    private static string Token(int acc, long scopes, bool test = false, long? exp = null) => FakeJwt.Issue(new JsonObject
    {
        ["acc"] = acc,
        ["exp"] = exp ?? 1_900_000_000,
        ["s"] = scopes,
        ["sid"] = "e6ac6604-1d21-415c-905d-3dc0c4a8f2be",
        ["t"] = test,
    });

    [Theory]
    [InlineData(1, WildberriesTokenType.Basic)]
    [InlineData(2, WildberriesTokenType.Personal)]
    [InlineData(3, WildberriesTokenType.Service)]
    [InlineData(9, WildberriesTokenType.Unknown)]
    public void The_type_is_read_from_its_claim(int acc, WildberriesTokenType type) =>
        Assert.Equal(type, WildberriesToken.Parse(Token(acc, 1 << 1))!.Type);

    [Fact]
    public void Categories_read_only_sandbox_expiry_and_seller_come_from_the_claims()
    {
        var content = WildberriesToken.Parse(Token(1, 1 << 1))!;
        Assert.True(content.Content);
        Assert.False(content.ReadOnly);
        Assert.Equal(new DateTime(2030, 3, 17, 17, 46, 40, DateTimeKind.Utc), content.ExpiresAt);
        Assert.Equal("e6ac6604-1d21-415c-905d-3dc0c4a8f2be", content.SellerId);

        var feedbacksOnly = WildberriesToken.Parse(Token(1, 1 << 7))!;
        Assert.False(feedbacksOnly.Content);
        Assert.True(WildberriesToken.Parse(Token(1, (1 << 1) | (1L << 30)))!.ReadOnly);
        Assert.Equal(WildberriesTokenType.Test, WildberriesToken.Parse(Token(1, 1 << 1, test: true))!.Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1943980 a3f9c2e1-5b7d-4e8a-9c0f-1d2e3f4a5b6c")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9.not base64!.sig")]
    [InlineData("a.b")]
    public void Text_that_is_not_a_jwt_is_not_a_token(string text) => Assert.Null(WildberriesToken.Parse(text));
}
