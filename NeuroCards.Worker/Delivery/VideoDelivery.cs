using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Telegram;
using NeuroCards.Core.Texts;
using NeuroCards.Worker.Media;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Worker.Delivery;

/// <summary>
/// Sends a stored video to the user: from a local file of known length (so Telegram.Bot does not
/// buffer it), with its size, duration and thumbnail; over the Bot API's upload limit it is
/// transcoded to fit first (or sent as is to a local Bot API server).
/// </summary>
public sealed class VideoDelivery(IMediaStore store, ITelegramBotClient telegram, Ffmpeg ffmpeg, TextCatalog texts,
    IOptions<TelegramOptions> telegramOptions, IOptions<GenerationOptions> generation, ILogger<VideoDelivery> logger)
{
    public sealed record Sent(string FileId, long Bytes, bool Transcoded);

    public async Task<Sent> SendAsync(Job job, int orderCount, CancellationToken cancellationToken)
    {
        // One folder per claim: a worker that took the job over never writes into the folder of one still finishing it.
        var work = Path.Combine(Path.GetTempPath(), "neurocards-delivery", $"{job.Id:N}-{job.LeaseToken:N}");
        Directory.CreateDirectory(work);
        try
        {
            var video = Path.Combine(work, "video.mp4");
            await using (var stored = await store.OpenReadAsync(job.ResultKey!, cancellationToken)
                                      ?? throw new InvalidOperationException($"video {job.ResultKey} is missing from storage"))
            await using (var file = File.Create(video))
            {
                await stored.Content.CopyToAsync(file, cancellationToken);
            }

            var limit = telegramOptions.Value.UploadLimitBytes;
            var transcoded = false;
            if (new FileInfo(video).Length > limit)
            {
                var fitted = Path.Combine(work, "fitted.mp4");
                // Aim a little under the limit: multipart framing and the thumbnail travel with it.
                await ffmpeg.FitAsync(video, fitted, limit - 2 * 1024 * 1024, cancellationToken);
                video = fitted;
                transcoded = true;
                logger.LogInformation("Video of job {JobId} transcoded to {Bytes} bytes to fit the upload limit", job.Id, new FileInfo(video).Length);
            }

            var info = await ffmpeg.ProbeAsync(video, cancellationToken);
            var thumbnail = Path.Combine(work, "thumb.jpg");
            await ffmpeg.ThumbnailAsync(video, thumbnail, cancellationToken);

            await using var videoStream = new FileStream(video, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            await using var thumbStream = File.OpenRead(thumbnail);
            var lang = job.Language;
            var message = await telegram.SendVideo(
                job.ChatId,
                InputFile.FromStream(videoStream, "neurocards.mp4"),
                // No buttons per video: the order's closing message carries one set for all of them.
                caption: Caption(job, orderCount, info),
                parseMode: ParseMode.Html,
                duration: (int)Math.Round(info.DurationSeconds),
                width: info.Width,
                height: info.Height,
                thumbnail: InputFile.FromStream(thumbStream, "thumb.jpg"),
                supportsStreaming: true,
                cancellationToken: cancellationToken);
            var fileId = message.Video?.FileId ?? message.Document?.FileId
                         ?? throw new InvalidOperationException("Telegram answered without a file id");
            return new Sent(fileId, info.SizeBytes, transcoded);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private string TitleOf(string model) => generation.Value.Models.TryGetValue(model, out var m) ? m.Title : model;

    /// <summary>«Видео 2 из 3», and where the file can be uploaded as it is.</summary>
    private string Caption(Job job, int orderCount, MediaInfo info)
    {
        var lang = job.Language;
        var caption = orderCount == 1
            ? texts.Get(lang, "worker.result.caption_single")
            : texts.Get(lang, "worker.result.caption", ("index", job.Index + 1), ("total", orderCount));
        // The confirmation named the ordered model: a video another model made says so.
        if (job.OrderedModel is { } ordered && ordered != job.Model)
        {
            caption += "\n" + texts.Get(lang, "worker.result.other_model", ("model", Html.Escape(TitleOf(job.Model))), ("ordered", Html.Escape(TitleOf(ordered))));
        }
        var fits = MarketplaceCheck.Fits(info.Facts);
        return fits.Count == 0 ? caption : caption + "\n" + texts.Get(lang, "worker.result.fits", ("places", string.Join(", ", fits)));
    }
}
