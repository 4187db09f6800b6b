using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>
/// KIE's optional callback signature: X-Webhook-Signature = base64(HMAC-SHA256(taskId + "." +
/// X-Webhook-Timestamp, webhookHmacKey)). Stale timestamps are refused against replays.
/// </summary>
public static class KieCallbackVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string taskId, long timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(taskId + "." + timestamp.ToString(CultureInfo.InvariantCulture))));

    public static bool Verify(string taskId, string? timestampHeader, string? signatureHeader, string secret, DateTimeOffset now)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null)
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > Tolerance.TotalSeconds) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(taskId, timestamp, secret));
        var given = Encoding.ASCII.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
