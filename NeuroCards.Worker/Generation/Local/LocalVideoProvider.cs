using NeuroCards.Core.Generation;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Media;

namespace NeuroCards.Worker.Generation.Local;

/// <summary>
/// The offline provider (no KIE key: local runs, tests, demos): a real 9:16 H.264 MP4 with a music bed made
/// with ffmpeg from the stored photo — the whole product over a blurred backdrop, moving and graded
/// differently for each video of an order, the top third left plain for the captions, a Russian voice reading the
/// captions, 10 s. It renders inside
/// "create" and then reports success like KIE would, so the pipeline is the same.
/// </summary>
public sealed class LocalVideoProvider(IMediaStore store, Ffmpeg ffmpeg, VoiceOver voiceOver, ILogger<LocalVideoProvider> logger) : IVideoProvider
{
    public const int Seconds = 10;
    public static readonly string OutputFolder = Path.Combine(Path.GetTempPath(), "neurocards-local-renders");

    public const string ProviderName = "local";

    public string Name => ProviderName;

    public bool SupportsCallbacks => false;

    private static string OutputOf(string taskId) => Path.Combine(OutputFolder, taskId + ".mp4");

    public async Task<CreateResult> CreateAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(OutputFolder);
        var taskId = "local-" + request.JobId.ToString("N");
        var work = Path.Combine(OutputFolder, taskId + "-work");
        Directory.CreateDirectory(work);
        try
        {
            await using var photo = await store.OpenReadAsync(request.PhotoKey, cancellationToken);
            if (photo is null) return new CreateResult.Failed(FailureClass.BadRequest, "the photo is not in storage");
            var photoPath = Path.Combine(work, "photo");
            await using (var file = File.Create(photoPath)) await photo.Content.CopyToAsync(file, cancellationToken);
            // A file that only looks like an image is the photo's fault, not a busy provider's: say so.
            await using (var check = File.OpenRead(photoPath))
            {
                if (await ImageDecoding.CanDecodeAsync(check, cancellationToken) == false)
                    return new CreateResult.Failed(FailureClass.BadRequest, "the photo could not be decoded");
            }
            var output = OutputOf(taskId);
            var style = LocalRenderStyle.For(request.Variant);
            var rendered = Path.Combine(work, "rendered.mp4");
            if (request.Still) await ffmpeg.RenderStillAsync(photoPath, style, rendered, Seconds, cancellationToken);
            else await ffmpeg.RenderSlideshowAsync(photoPath, style, rendered, Seconds, cancellationToken);
            var voiced = Path.Combine(work, "voiced.mp4");
            var spoken = await voiceOver.AddAsync(rendered, request.Voice ?? [], voiced, work, cancellationToken);
            File.Move(spoken ? voiced : rendered, output, overwrite: true);
            logger.LogInformation("Rendered job {JobId} offline: {Style}, {Voice}", request.JobId, style.Name, spoken ? "with a voice" : "without a voice");
            return new CreateResult.Created(taskId, "local");
        }
        catch (TimeoutException e)
        {
            logger.LogWarning(e, "Local render of job {JobId} ran out of time", request.JobId);
            return new CreateResult.Failed(FailureClass.Timeout, "the local render ran out of time");
        }
        catch (InvalidOperationException e)
        {
            logger.LogWarning(e, "Local render of job {JobId} failed", request.JobId);
            return new CreateResult.Failed(FailureClass.ProviderFailure, "local render failed");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public Task<RenderStatus> GetStatusAsync(string taskId, string keyId, string model, CancellationToken cancellationToken)
    {
        var output = OutputOf(taskId);
        // Rendered on another machine that has since gone: render again.
        RenderStatus status = File.Exists(output)
            ? new RenderStatus.Succeeded(new Uri(output))
            : new RenderStatus.Failed(FailureClass.ProviderFailure, "the local render is gone");
        return Task.FromResult(status);
    }
}
