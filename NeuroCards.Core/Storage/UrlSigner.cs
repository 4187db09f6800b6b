using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NeuroCards.Core.Storage;

/// <summary>HMAC-SHA256 signatures for local media URLs: /media/&lt;key&gt;?exp=&lt;unix seconds&gt;&amp;sig=&lt;hex&gt;.</summary>
public sealed class UrlSigner(string signingKey)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingKey);

    public string Sign(string key, long expiresUnix) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(key + "\n" + expiresUnix.ToString(CultureInfo.InvariantCulture))));

    public bool Verify(string key, string? exp, string? sig, DateTimeOffset now)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || sig is null) return false;
        if (now.ToUnixTimeSeconds() > expires) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(key, expires));
        var given = Encoding.ASCII.GetBytes(sig.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
