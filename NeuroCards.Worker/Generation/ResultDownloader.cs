namespace NeuroCards.Worker.Generation;

/// <summary>
/// Copies a provider's result (a temporary URL) into a local temp file by streaming: memory does
/// not grow with the video, and a slow download is not cut by the 30 s default timeout.
/// </summary>
public sealed class ResultDownloader(IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "result-download";

    /// <param name="localFolder">
    /// The one folder a file:// result may come from (the offline renderer's); null for a provider on the network, whose
    /// result must be an http(s) URL — a file:// one would hand it any file on this host.
    /// </param>
    public async Task DownloadAsync(Uri url, string destination, string? localFolder, CancellationToken cancellationToken)
    {
        if (url.IsFile)
        {
            var folder = localFolder is null ? null : Path.GetFullPath(localFolder) + Path.DirectorySeparatorChar;
            if (folder is null || !Path.GetFullPath(url.LocalPath).StartsWith(folder, StringComparison.Ordinal))
                throw new InvalidDataException($"a result at {url} is not the provider's to give");
            await using var source = File.OpenRead(url.LocalPath);
            await using var target = File.Create(destination);
            await source.CopyToAsync(target, cancellationToken);
            return;
        }
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) throw new InvalidDataException($"a result at {url.Scheme}: is not fetched");
        var http = httpFactory.CreateClient(HttpClientName);
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await body.CopyToAsync(file, 81920, cancellationToken);
    }
}
