using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Media;

namespace NeuroCards.Worker.Generation.Local;

/// <summary>
/// The offline provider (no KIE key: local runs, tests, demos): a real 9:16 H.264 MP4 made with
/// ffmpeg from the stored photo — a slow zoom with the product name as a caption, 10 s. It renders
/// inside "create" and then reports success like KIE would, so the pipeline is the same.
/// </summary>
public sealed class LocalVideoProvider(IMediaStore store, Ffmpeg ffmpeg, ILogger<LocalVideoProvider> logger) : IVideoProvider
{
    public const int Seconds = 10;
    public static readonly string OutputFolder = Path.Combine(Path.GetTempPath(), "neurocards-local-renders");

    public string Name => "local";

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
            var captionPath = Path.Combine(work, "caption.txt");
            await File.WriteAllTextAsync(captionPath, request.Caption, cancellationToken);

            var output = OutputOf(taskId);
            await ffmpeg.RenderSlideshowAsync(photoPath, captionPath, output + ".part.mp4", Seconds, cancellationToken);
            File.Move(output + ".part.mp4", output, overwrite: true);
            return new CreateResult.Created(taskId, "local");
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
