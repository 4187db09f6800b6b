using Microsoft.Extensions.Options;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Generation;

namespace NeuroCards.Worker.Storyboards;

/// <summary>
/// The preview's stills drawn by KIE's image edit model (<c>CardVideo__StillModel</c>) from the seller's photo, one per
/// scene, all asked for at once and waited for together. A scene KIE cannot draw in time keeps the ffmpeg still, so a
/// preview never fails for a still. Only when the worker renders with KIE: offline, every still is ffmpeg's.
/// </summary>
public sealed class KieStills(IVideoProvider provider, KieClient kie, ResultDownloader downloader, IOptions<CardVideoOptions> options,
    IOptions<KieOptions> kieOptions, TimeProvider time, ILogger<KieStills> logger)
{
    // A still is seconds of work for the image model; a preview's seller is waiting.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    public bool Enabled => provider.Name == KieClient.ProviderName && !string.IsNullOrWhiteSpace(options.Value.StillModel);

    /// <summary>What <paramref name="scenes"/> stills cost by KIE's price list.</summary>
    public decimal CostOf(int scenes) => scenes * options.Value.StillKieCredits;

    /// <summary>For each scene, the picture KIE drew (a file in <paramref name="workDir"/>), or null where it did not.</summary>
    /// <param name="recorded">Tasks already asked for this making (by a worker that died): waited for, not asked again.</param>
    /// <param name="record">Writes a new task down as soon as KIE answers, before anything else.</param>
    public async Task<IReadOnlyList<string?>> DrawAsync(Uri photo, Storyboard storyboard, VideoFormat format, string workDir,
        IReadOnlyList<StillTask> recorded, Func<StillTask, Task> record, CancellationToken cancellationToken)
    {
        var model = options.Value.StillModel;
        var drawn = new string?[storyboard.Scenes.Count];
        var tasks = recorded.Where(t => t.Scene < drawn.Length).ToDictionary(t => t.Scene, t => (t.TaskId, t.KeyId));
        for (var i = 0; i < storyboard.Scenes.Count; i++)
        {
            if (tasks.ContainsKey(i)) continue;
            var created = await kie.CreateImageEditAsync(model, Prompt(storyboard.Scenes[i]), photo, format.Ratio(), cancellationToken);
            if (created is CreateResult.Created c)
            {
                await record(new StillTask(i, c.TaskId, c.KeyId));
                tasks[i] = (c.TaskId, c.KeyId);
            }
            else
            {
                logger.LogWarning("KIE would not draw still {Scene}: {Result}", i + 1, created);
            }
        }
        var deadline = time.GetUtcNow() + Deadline;
        while (tasks.Count > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(kieOptions.Value.PollSeconds), time, cancellationToken);
            foreach (var (scene, (taskId, keyId)) in tasks.ToList())
            {
                switch (await kie.GetStatusAsync(taskId, keyId, model, cancellationToken))
                {
                    case RenderStatus.Succeeded s:
                        var file = Path.Combine(workDir, $"kie-{scene}.img");
                        await downloader.DownloadAsync(s.ResultUrl, file, null, cancellationToken);
                        drawn[scene] = file;
                        tasks.Remove(scene);
                        break;
                    case RenderStatus.Failed f:
                        logger.LogWarning("KIE could not draw still {Scene}: {FailureClass} {Reason}", scene + 1, f.FailureClass, f.Reason);
                        tasks.Remove(scene);
                        break;
                }
            }
        }
        if (tasks.Count > 0) logger.LogWarning("{Count} still(s) not drawn by KIE in time; ffmpeg's are used", tasks.Count);
        return drawn;
    }

    /// <summary>The scene's shot, with the product kept as it is and the top third left plain for the captions.</summary>
    private static string Prompt(StoryboardScene scene) =>
        $"{scene.Shot}. Photorealistic product shot made from the provided photo: keep the product exactly as it is - the same shape, "
        + "colours, proportions, labels and text. No added text, no people, no hands, no other brands. Keep the top third of the image "
        + "calm and plain.";
}
