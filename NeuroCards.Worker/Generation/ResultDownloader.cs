namespace NeuroCards.Worker.Generation;

/// <summary>
/// Copies a provider's result (a temporary URL) into a local temp file by streaming: memory does
/// not grow with the video, and a slow download is not cut by the 30 s default timeout.
/// </summary>
public sealed class ResultDownloader(IHttpClientFactory httpFactory)
{
    public const string HttpClientName = "result-download";

    public async Task DownloadAsync(Uri url, string destination, CancellationToken cancellationToken)
    {
        if (url.IsFile)
        {
            await using var source = File.OpenRead(url.LocalPath);
            await using var target = File.Create(destination);
            await source.CopyToAsync(target, cancellationToken);
            return;
        }
        var http = httpFactory.CreateClient(HttpClientName);
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await body.CopyToAsync(file, 81920, cancellationToken);
    }
}
