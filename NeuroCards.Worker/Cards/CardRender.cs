using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Generation.Kie;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Storage;
using NeuroCards.Worker.Generation;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Pipeline;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.Worker.Cards;

/// <summary>
/// The render stage of a card video: one clip per scene, each started from its approved still, each its own paid task
/// recorded before it is sent (never paid twice) and its clip stored as soon as it is ready. A scene that fails fails the
/// run; the next run renders only the scenes without a clip. With every clip stored, the video is assembled and stored as
/// the job's result, so a worker killed during assembly resumes from the stored clips without a new paid task.
/// </summary>
public sealed class CardRender(
    JobScenes scenes,
    JobQueue queue,
    CardPreviews previews,
    IVideoProvider provider,
    IMediaStore store,
    ResultDownloader downloader,
    CardAssembler assembler,
    SpeechSynthesizer speech,
    Ffmpeg ffmpeg,
    IOptions<GenerationOptions> generation,
    IOptions<KieOptions> kieOptions,
    TimeProvider time,
    ILogger<CardRender> logger)
{
    private readonly KieOptions _kie = kieOptions.Value;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var storyboard = job.FinalPrompt is { } json ? StoryboardWriter.Parse(json) : null;
        var preview = await previews.GetAsync(job.OrderId, cancellationToken);
        if (storyboard is null || preview?.KeyframeKeys is not { } stills || stills.Length != storyboard.Scenes.Count)
            return new StageResult.Failed(FailureClass.OurSide, "the approved storyboard or its stills are missing", Final: true);

        // One folder per claim: a clip fetched in this run is assembled from it, not fetched again from storage.
        var work = WorkDir(run);
        Directory.CreateDirectory(work);
        try
        {
            return await RenderAsync(run, storyboard, stills, preview.Voice, work, cancellationToken);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static string WorkDir(JobRun run) => Path.Combine(Path.GetTempPath(), $"neurocards-card-{run.Job.Id:N}-{run.Lease.Token:N}");

    private static string ClipPath(string work, int scene) => Path.Combine(work, $"scene-{scene}.mp4");

    private async Task<StageResult> RenderAsync(JobRun run, Storyboard storyboard, string[] stills, string voiceId, string work,
        CancellationToken cancellationToken)
    {
        var job = run.Job;
        // Every scene without a clip gets its task first (the tasks render side by side), then all are waited for.
        var recorded = (await scenes.ListAsync(job.Id, cancellationToken)).ToDictionary(s => s.Scene);
        var waiting = new Dictionary<int, (string TaskId, string KeyId)>();
        for (var scene = 1; scene <= storyboard.Scenes.Count; scene++)
        {
            var row = recorded.GetValueOrDefault(scene);
            if (row?.ClipKey is not null) continue;
            if (row is { ProviderState: "success", ProviderResultUrl: { } url })
            {
                await StoreClipAsync(run, scene, new Uri(url), cancellationToken);
                continue;
            }
            if (row is { ProviderTaskId: { } task, ProviderKeyId: { } keyId })
            {
                waiting[scene] = (task, keyId);
                continue;
            }
            var created = await CreateAsync(run, scene, storyboard.Scenes[scene - 1], stills[scene - 1], row, cancellationToken);
            if (created.Failure is not null) return created.Failure;
            waiting[scene] = created.Task!.Value;
        }
        if (await WaitAsync(run, waiting, cancellationToken) is { } failed) return failed;

        var clips = new List<string>();
        foreach (var scene in await scenes.ListAsync(job.Id, cancellationToken))
        {
            // Stored by an earlier run (or worker): fetched back once.
            var path = ClipPath(work, scene.Scene);
            if (!File.Exists(path))
            {
                await using var stored = await store.OpenReadAsync(scene.ClipKey!, cancellationToken)
                                         ?? throw new InvalidOperationException($"clip of scene {scene.Scene} is missing from storage");
                await using var file = File.Create(path);
                await stored.Content.CopyToAsync(file, cancellationToken);
            }
            clips.Add(path);
        }
        var voice = CardVoice.Find(voiceId);
        var spoken = await VoiceLinesAsync(job.Id, storyboard, voice, work, cancellationToken);
        var output = Path.Combine(work, "card.mp4");
        using (StageRunner.Activity.StartActivity("assemble card video"))
        {
            await assembler.AssembleAsync(clips, storyboard, job.Format, output, work, cancellationToken, voice, spoken);
        }
        var info = await ffmpeg.ProbeAsync(output, cancellationToken);
        var key = MediaKeys.Output(job.Id);
        await using (var file = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
        {
            await store.PutAsync(key, file, "video/mp4", cancellationToken);
        }
        if (!await queue.RecordResultAsync(run.Lease, key, info.SizeBytes, info.DurationSeconds, info.Width, info.Height, cancellationToken))
            throw new LeaseLostException(run.Lease);
        logger.LogInformation("Card video of job {JobId} stored: {Scenes} scenes, {Seconds:0.#} s", job.Id, clips.Count, info.DurationSeconds);
        return StageResult.Continue;
    }

    /// <summary>
    /// Each scene's voice line, spoken once and kept in storage (a paid call with OpenAI): a run that assembles again after a
    /// crash reads them back. Null when no engine could speak here (the assembler then makes the video without a voice).
    /// </summary>
    private async Task<IReadOnlyList<string>?> VoiceLinesAsync(Guid jobId, Storyboard storyboard, CardVoice voice, string work,
        CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        for (var scene = 1; scene <= storyboard.Scenes.Count; scene++)
        {
            var wav = Path.Combine(work, $"line-{scene}.wav");
            var key = MediaKeys.SceneVoice(jobId, scene);
            await using (var stored = await store.OpenReadAsync(key, cancellationToken))
            {
                if (stored is not null)
                {
                    await using var file = File.Create(wav);
                    await stored.Content.CopyToAsync(file, cancellationToken);
                    lines.Add(wav);
                    continue;
                }
            }
            if (!await speech.SpeakAsync(storyboard.Scenes[scene - 1].Voice, wav, cancellationToken, voice)) return null;
            await using (var file = File.OpenRead(wav)) await store.PutAsync(key, file, "audio/wav", cancellationToken);
            lines.Add(wav);
        }
        return lines;
    }

    /// <summary>One scene's task, on the books before it is sent; a failure result when it could not be created.</summary>
    private async Task<(StageResult? Failure, (string, string)? Task)> CreateAsync(JobRun run, int scene, StoryboardScene plan, string stillKey,
        JobScene? recorded, CancellationToken cancellationToken)
    {
        var job = run.Job;
        if (recorded is not null && recorded.Attempt >= _kie.MaxAttempts)
            return (new StageResult.Failed(FailureClass.ProviderFailure, $"scene {scene}: attempts exhausted", Final: true), null);
        var seconds = SceneSeconds(plan);
        if (!await scenes.BeginAsync(run.Lease, scene, job.Model, KieCreditsOf(job.Model, seconds), cancellationToken)) throw new LeaseLostException(run.Lease);
        var still = await store.GetSignedUrlAsync(stillKey, TimeSpan.FromHours(3), cancellationToken);
        var request = new RenderRequest(SceneId(job.Id, scene), job.Model, Prompt(plan), still, stillKey, null, scene - 1, job.Format.ToDb(),
            Still: true, Seconds: seconds);
        CreateResult created;
        using (StageRunner.Activity.StartActivity("create scene task"))
        {
            created = await provider.CreateAsync(request, cancellationToken);
        }
        switch (created)
        {
            case CreateResult.Created c:
                if (!await scenes.RecordTaskAsync(run.Lease, scene, c.TaskId, c.KeyId, cancellationToken)) throw new LeaseLostException(run.Lease);
                logger.LogInformation("Scene {Scene} task {TaskId} created for job {JobId}", scene, c.TaskId, job.Id);
                return (null, (c.TaskId, c.KeyId));
            case CreateResult.Failed f:
                await scenes.RefusedAsync(run.Lease, scene, cancellationToken);
                return (new StageResult.Failed(f.FailureClass, $"scene {scene}: {f.Reason}"), null);
            case CreateResult.NotSent n:
                await scenes.UncountAsync(run.Lease, scene, cancellationToken);
                return (new StageResult.Failed(n.FailureClass, $"scene {scene}: {n.Reason}"), null);
            case CreateResult.Unknown u:
                return (new StageResult.Failed(FailureClass.Temporary, $"scene {scene}: {u.Reason}"), null);
            default:
                throw new InvalidOperationException("unknown create result " + created.GetType().Name);
        }
    }

    /// <summary>The scenes' tasks until each has its clip stored; the first failure ends the run (the stored clips stay).</summary>
    private async Task<StageResult?> WaitAsync(JobRun run, Dictionary<int, (string TaskId, string KeyId)> waiting, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var deadline = time.GetUtcNow().UtcDateTime.AddMinutes(_kie.DeadlineMinutes);
        using var _ = StageRunner.Activity.StartActivity("wait for scenes");
        for (var round = 1; waiting.Count > 0; round++)
        {
            foreach (var (scene, (taskId, keyId)) in waiting.ToList())
            {
                switch (await provider.GetStatusAsync(taskId, keyId, job.Model, cancellationToken))
                {
                    case RenderStatus.Succeeded s:
                        if (!await scenes.RecordEndAsync(run.Lease, scene, success: true, s.ResultUrl.ToString(), cancellationToken))
                            throw new LeaseLostException(run.Lease);
                        await StoreClipAsync(run, scene, s.ResultUrl, cancellationToken);
                        waiting.Remove(scene);
                        break;
                    case RenderStatus.Failed f:
                        // Forgotten with the failure: the next run pays for this scene again, and only for it.
                        await scenes.RecordEndAsync(run.Lease, scene, success: false, null, cancellationToken);
                        logger.LogWarning("Scene {Scene} of job {JobId} failed: {FailureClass} {Reason}", scene, job.Id, f.FailureClass, f.Reason);
                        return new StageResult.Failed(f.FailureClass, $"scene {scene}: {f.Reason}");
                }
            }
            if (waiting.Count == 0) break;
            if (time.GetUtcNow().UtcDateTime > deadline) return new StageResult.Failed(FailureClass.Timeout, "scenes: no result in time", Final: true);
            if (run.Stopping.IsCancellationRequested) return StageResult.HandedBack;
            var wait = Core.Hosting.Backoff.Exponential(round, TimeSpan.FromSeconds(_kie.PollSeconds), TimeSpan.FromSeconds(_kie.PollSeconds * 8));
            using var waitOrStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, run.Stopping);
            try
            {
                await Task.Delay(wait, time, waitOrStop.Token);
            }
            catch (OperationCanceledException) when (run.Stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The tasks are recorded: the next worker waits for the same paid tasks.
                return StageResult.HandedBack;
            }
        }
        return null;
    }

    /// <summary>The scene's clip into storage and this run's folder (where the assembly takes it from), then recorded.</summary>
    private async Task StoreClipAsync(JobRun run, int scene, Uri result, CancellationToken cancellationToken)
    {
        var job = run.Job;
        var path = ClipPath(WorkDir(run), scene);
        var localFolder = provider.Name == LocalVideoProvider.ProviderName ? LocalVideoProvider.OutputFolder : null;
        await downloader.DownloadAsync(result, path, localFolder, cancellationToken);
        var key = MediaKeys.SceneClip(job.Id, scene);
        await using (var file = File.OpenRead(path)) await store.PutAsync(key, file, "video/mp4", cancellationToken);
        if (!await scenes.RecordClipAsync(run.Lease, scene, key, cancellationToken)) throw new LeaseLostException(run.Lease);
    }

    /// <summary>What the video model is asked for one scene: the storyboard's shot, from the approved still, with no text or voice of its own.</summary>
    private static string Prompt(StoryboardScene scene) =>
        $"{scene.Shot}. Start exactly from the provided image; the product stays exactly as it is. No text, no captions, no people, no voice; "
        + "soft ambient sound only. Keep the top third of the frame calm.";

    /// <summary>A stable id per scene for the provider (the offline renderer names its output by it).</summary>
    private static Guid SceneId(Guid jobId, int scene) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{jobId:N}/{scene}"))[..16]);

    /// <summary>The scene's clip: its length and the crossfade into the next, in whole seconds.</summary>
    private static int SceneSeconds(StoryboardScene scene) => (int)Math.Ceiling(scene.Seconds + CardAssembler.Fade);

    /// <summary>What the scene's task costs by KIE's price list: the model's price for its own length, by the second.</summary>
    private decimal? KieCreditsOf(string model, int seconds) =>
        provider.Name != KieClient.ProviderName ? null : generation.Value.KieCreditsOf(model, seconds);
}
