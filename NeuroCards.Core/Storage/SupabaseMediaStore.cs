using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

/// <summary>Supabase Storage through its REST API (/storage/v1/…) with the service-role key; signed URLs from /object/sign.</summary>
public sealed class SupabaseMediaStore(HttpClient http, IOptions<SupabaseOptions> options) : IMediaStore
{
    private readonly string _bucket = options.Value.Bucket;
    private readonly Uri _base = new(options.Value.Url!.TrimEnd('/') + "/storage/v1/");

    private Uri Object(string key) => new(_base, $"object/{_bucket}/{key}");

    public async Task<long> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        // Count what goes through instead of buffering: the body is streamed as it is read.
        var counting = new CountingStream(content);
        using var request = new HttpRequestMessage(HttpMethod.Post, Object(key)) { Content = new StreamContent(counting, 81920) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (content.CanSeek) request.Content.Headers.ContentLength = content.Length - content.Position;
        request.Headers.Add("x-upsert", "true");
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "upload", cancellationToken);
        return counting.BytesRead;
    }

    public async Task<MediaObject?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        var response = await http.GetAsync(Object(key), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            response.Dispose();
            return null;
        }
        await EnsureSuccessAsync(response, "download", cancellationToken);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new MediaObject(new ResponseStream(stream, response), response.Content.Headers.ContentLength ?? -1,
            response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream");
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        using var request = new HttpRequestMessage(HttpMethod.Head, Object(key));
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    public async Task<Uri> GetSignedUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        using var response = await http.PostAsJsonAsync(new Uri(_base, $"object/sign/{_bucket}/{key}"),
            new { expiresIn = (int)validFor.TotalSeconds }, cancellationToken);
        await EnsureSuccessAsync(response, "sign", cancellationToken);
        var signed = await response.Content.ReadFromJsonAsync<SignResponse>(cancellationToken)
                     ?? throw new InvalidOperationException("Supabase returned no signed URL");
        // The API answers a path relative to /storage/v1.
        return new Uri(_base, signed.SignedUrl.TrimStart('/'));
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        MediaKeys.EnsureValid(key);
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_base, $"object/{_bucket}"))
        {
            Content = JsonContent.Create(new { prefixes = new[] { key } }),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "delete", cancellationToken);
    }

    public async IAsyncEnumerable<MediaItem> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Supabase lists one folder level at a time: walk the folders under the prefix.
        var folders = new Queue<string>();
        var slash = prefix.LastIndexOf('/');
        folders.Enqueue(slash < 0 ? "" : prefix[..slash]);
        while (folders.TryDequeue(out var folder))
        {
            for (var offset = 0; ; offset += 1000)
            {
                using var response = await http.PostAsJsonAsync(new Uri(_base, $"object/list/{_bucket}"),
                    new { prefix = folder, limit = 1000, offset, sortBy = new { column = "name", order = "asc" } }, cancellationToken);
                await EnsureSuccessAsync(response, "list", cancellationToken);
                var entries = await response.Content.ReadFromJsonAsync<List<ListEntry>>(cancellationToken) ?? [];
                foreach (var entry in entries)
                {
                    var key = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
                    if (entry.Id is null)
                    {
                        if (prefix.StartsWith(key + "/", StringComparison.Ordinal) || key.StartsWith(prefix, StringComparison.Ordinal)) folders.Enqueue(key);
                        continue;
                    }
                    if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
                    yield return new MediaItem(key, entry.Metadata?.Size ?? 0, entry.UpdatedAt ?? entry.CreatedAt ?? DateTimeOffset.MinValue);
                }
                if (entries.Count < 1000) break;
            }
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"Supabase Storage {what} failed with {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}",
            null, response.StatusCode);
    }

    private sealed record SignResponse([property: JsonPropertyName("signedURL")] string SignedUrl);

    private sealed record ListEntry(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt,
        [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
        [property: JsonPropertyName("metadata")] ListMetadata? Metadata);

    private sealed record ListMetadata([property: JsonPropertyName("size")] long Size);
}
