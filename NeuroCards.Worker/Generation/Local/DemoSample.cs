using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Media;

namespace NeuroCards.Worker.Generation.Local;

/// <summary>
/// Makes the sample video a new seller sees before paying, when no demo videos are configured: the offline render of
/// a product photo ffmpeg draws itself, with a voice and captions as a seller's video has them, stored once per storage
/// (a worker that finds it there does nothing). Only while the offline renderer is what sellers get: a worker rendering
/// with KIE removes it, so nobody is shown a slideshow and sold a different video.
/// </summary>
public sealed class DemoSample(IMediaStore store, Ffmpeg ffmpeg, VoiceOver voiceOver, MarketplaceFormatter formatter, IVideoProvider provider, IOptions<WorkerOptions> options, ILogger<DemoSample> logger)
    : BackgroundService
{
    /// <summary>The sample's captions, drawn as a seller's are.</summary>
    public static readonly IReadOnlyList<string> Captions = ["Кружка «Морской бриз»", "Керамика ручной работы", "Держит тепло 6 часов"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DemoSample) return;
        try
        {
            if (provider.Name != LocalVideoProvider.ProviderName)
            {
                if (await store.ExistsAsync(MediaKeys.DemoSample, stoppingToken))
                {
                    await store.DeleteAsync(MediaKeys.DemoSample, stoppingToken);
                    logger.LogInformation("Removed the offline demo sample: sellers get KIE's videos");
                }
                return;
            }
            await using (var existing = await store.OpenReadAsync(MediaKeys.DemoSample, stoppingToken))
            {
                if (existing is not null) return;
            }
            var work = Path.Combine(Path.GetTempPath(), "neurocards-demo-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(work);
            try
            {
                var photo = Path.Combine(work, "mug.jpg");
                await ffmpeg.DrawProductAsync(photo, stoppingToken);
                var rendered = Path.Combine(work, "rendered.mp4");
                await ffmpeg.RenderSlideshowAsync(photo, LocalRenderStyle.For(0), rendered, LocalVideoProvider.Seconds, stoppingToken);
                var voiced = Path.Combine(work, "voiced.mp4");
                if (!await voiceOver.AddAsync(rendered, Captions, voiced, work, stoppingToken)) voiced = rendered;
                var video = Path.Combine(work, "sample.mp4");
                await formatter.FormatAsync(voiced, video, VideoFormat.Vertical, Captions, work, stoppingToken);
                await using var file = File.OpenRead(video);
                await store.PutAsync(MediaKeys.DemoSample, file, "video/mp4", stoppingToken);
                logger.LogInformation("Made the demo sample video ({Bytes} bytes)", file.Length);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            // A sample is a courtesy: without it, new users simply see none.
            logger.LogWarning(e, "Could not make the demo sample video");
        }
    }
}
