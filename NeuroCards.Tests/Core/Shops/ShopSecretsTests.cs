using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Shops;

namespace NeuroCards.Tests.Core.Shops;

/// <summary>A seller's marketplace key at rest: sealed so that the database alone never gives it away or lets it be moved.</summary>
public sealed class ShopSecretsTests
{
    private static ShopSecrets Secrets(string key = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff") =>
        new(Options.Create(new ShopOptions { SecretKey = key }));

    [Fact]
    public void A_sealed_key_opens_for_its_shop_and_shows_nothing_of_itself()
    {
        var shop = Guid.NewGuid();
        const string Token = "eyJhbGciOiJFUzI1NiJ9.eyJzaWQiOiI0MiJ9.c2lnbmF0dXJl";
        var sealedKey = Secrets().Seal(shop, Token);

        Assert.Equal(Token, Secrets().Open(shop, sealedKey));
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes(Token[..12])), Convert.ToHexString(sealedKey));
        Assert.NotEqual(sealedKey, Secrets().Seal(shop, Token)); // a fresh nonce each time: equal keys do not look equal
    }

    [Fact]
    public void A_sealed_key_copied_to_another_shop_changed_or_read_with_another_key_does_not_open()
    {
        var shop = Guid.NewGuid();
        var sealedKey = Secrets().Seal(shop, "1943980 a3f9c2e1-5b7d-4e8a-9c0f-1d2e3f4a5b6c");

        Assert.ThrowsAny<CryptographicException>(() => Secrets().Open(Guid.NewGuid(), sealedKey));
        var changed = (byte[])sealedKey.Clone();
        changed[20] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => Secrets().Open(shop, changed));
        Assert.ThrowsAny<CryptographicException>(() => Secrets("ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff").Open(shop, sealedKey));
    }

    [Fact]
    public void Without_a_key_configured_nothing_is_sealed()
    {
        Assert.Throws<InvalidOperationException>(() => Secrets("").Seal(Guid.NewGuid(), "secret"));
    }
}
