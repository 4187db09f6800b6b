using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace NeuroCards.Tests.Fakes;

/// <summary>JWTs shaped like the marketplaces' (ES256 header, claims, a signature only the issuer could check).</summary>
public static class FakeJwt
{
    public static string Issue(JsonObject claims)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"ES256","kid":"20250217v1","typ":"JWT"}""")}.{Part(claims.ToJsonString())}.{signature}";
    }
}
