using Microsoft.Extensions.DependencyInjection;
using NeuroCards.Worker.Generation;

namespace NeuroCards.Tests.Worker.Generation;

/// <summary>Where a result may be fetched from: a provider's URL names a video, never a file on the worker's host.</summary>
public sealed class ResultDownloaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nc-results-").FullName;
    private readonly ResultDownloader _downloader = new(new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_network_providers_file_url_is_refused_and_the_offline_renderers_own_file_is_taken()
    {
        var secret = Path.Combine(_dir, "neurocards.env");
        await File.WriteAllTextAsync(secret, "Telegram__BotToken=123:secret");
        var renders = Directory.CreateDirectory(Path.Combine(_dir, "renders")).FullName;
        var render = Path.Combine(renders, "task.mp4");
        await File.WriteAllTextAsync(render, "video");
        var target = Path.Combine(_dir, "downloaded.mp4");

        await Assert.ThrowsAsync<InvalidDataException>(() => _downloader.DownloadAsync(new Uri(secret), target, null, default));
        await Assert.ThrowsAsync<InvalidDataException>(() => _downloader.DownloadAsync(new Uri(secret), target, renders, default));
        await Assert.ThrowsAsync<InvalidDataException>(() => _downloader.DownloadAsync(new Uri(Path.Combine(renders, "..", "neurocards.env")), target, renders, default));
        Assert.False(File.Exists(target));

        await _downloader.DownloadAsync(new Uri(render), target, renders, default);
        Assert.Equal("video", await File.ReadAllTextAsync(target));
    }
}
