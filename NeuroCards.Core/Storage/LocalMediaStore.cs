using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

/// <summary>Files under Storage:LocalPath, served by the bot at Storage:PublicBaseUrl/media/… with signed, expiring URLs.</summary>
public sealed class LocalMediaStore : IMediaStore
{
    private const int BufferSize = 81920;
    private readonly string _root;
    private readonly Uri _publicBase;
    private readonly UrlSigner _signer;
    private readonly TimeProvider _time;

    public LocalMediaStore(IOptions<StorageOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _root = Path.GetFullPath(o.LocalPath!);
        _publicBase = new Uri(o.PublicBaseUrl!.TrimEnd('/') + "/");
        _signer = new UrlSigner(o.SigningKey!);
        _time = time;
        Directory.CreateDirectory(_root);
    }

    public UrlSigner Signer => _signer;

    /// <summary>The file behind a key, guaranteed to be inside the root.</summary>
    public string PathOf(string key)
    {
        MediaKeys.EnsureValid(key);
        var full = Path.GetFullPath(Path.Combine(_root, key));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is outside the media root", nameof(key));
        }
        return full;
    }

    public async Task<long> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside and rename, so a reader never sees half a file.
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return new FileInfo(path).Length;
    }

    public async Task<MediaObject?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return null;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous);
        var header = new byte[ImageSniffer.HeaderLength];
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        stream.Position = 0;
        return new MediaObject(stream, stream.Length, ImageSniffer.SniffContentType(header.AsSpan(0, read)));
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task<Uri> GetSignedUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        var expires = _time.GetUtcNow().Add(validFor).ToUnixTimeSeconds();
        var url = new Uri(_publicBase, $"media/{key}?exp={expires}&sig={_signer.Sign(key, expires)}");
        return Task.FromResult(url);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<MediaItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (!Directory.Exists(_root)) yield break;
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.EndsWith(".tmp", StringComparison.Ordinal)) continue;
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var info = new FileInfo(file);
            yield return new MediaItem(key, info.Length, info.LastWriteTimeUtc);
        }
    }
}
