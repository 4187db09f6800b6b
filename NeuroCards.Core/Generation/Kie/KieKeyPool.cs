using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>
/// The configured KIE keys, each known by a stable id (a hash prefix: the key itself is never
/// stored or logged). A key that hit its rate limit or ran out of balance rests for a while.
/// </summary>
public sealed class KieKeyPool
{
    private readonly List<(string Id, string Key)> _keys;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _restingUntil = new();
    private readonly TimeProvider _time;
    private int _next;

    public KieKeyPool(IOptions<KieOptions> options, TimeProvider time)
    {
        _keys = options.Value.Keys.Select(k => (IdOf(k), k)).ToList();
        _time = time;
    }

    public static string IdOf(string key) => "k" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..10];

    public int Count => _keys.Count;

    public string? KeyFor(string keyId) => _keys.FirstOrDefault(k => k.Id == keyId).Key;

    /// <summary>Keys not resting, starting with the next in turn, so load spreads across keys.</summary>
    public IReadOnlyList<(string Id, string Key)> Available()
    {
        var now = _time.GetUtcNow();
        var start = Interlocked.Increment(ref _next);
        return Enumerable.Range(0, _keys.Count)
            .Select(i => _keys[(int)((uint)(start + i) % (uint)_keys.Count)])
            .Where(k => !_restingUntil.TryGetValue(k.Id, out var until) || until <= now)
            .ToList();
    }

    public void Rest(string keyId, TimeSpan duration) => _restingUntil[keyId] = _time.GetUtcNow().Add(duration);

    public bool IsResting(string keyId) => _restingUntil.TryGetValue(keyId, out var until) && until > _time.GetUtcNow();
}
