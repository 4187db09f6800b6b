using NeuroCards.Core.Cards;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Worker.Prompting;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>
/// Writes the video prompt (the model for UGC and ad, the seller's own text as is) and records it on the job; a card
/// video's prompt is the storyboard the seller approved in its preview, as it was.
/// </summary>
public sealed class PromptStage(JobQueue queue, PromptWriter prompts, CardPreviews previews, ILogger<PromptStage> logger) : IStage
{
    public JobStage Name => JobStage.Prompt;

    // The writer falls back to a template prompt when the model is slow or refuses; this only bounds a hang.
    public TimeSpan Timeout => TimeSpan.FromMinutes(3);

    public bool IsDone(Job job) => job.FinalPrompt is not null;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
        if (job.Template == VideoTemplate.Card)
        {
            var preview = await previews.GetAsync(job.OrderId, cancellationToken);
            if (preview?.Storyboard is not { } approved || StoryboardWriter.Parse(approved) is not { } storyboard)
                return new StageResult.Failed(FailureClass.OurSide, "the card video has no approved storyboard", Final: true);
            string[] lines = [storyboard.Headline, .. storyboard.Scenes.Select(s => s.Caption).Where(c => c.Length > 0)];
            if (!await queue.RecordPromptAsync(run.Lease, approved, lines, cancellationToken)) throw new LeaseLostException(run.Lease);
            return StageResult.Continue;
        }
        using (StageRunner.Activity.StartActivity("write prompt"))
        {
            var written = await prompts.WriteAsync(job.Template, job.Language, job.Description, job.Wishes, job.UserPrompt, job.Index,
                cancellationToken, captions: job.Captions);
            var lines = job.Captions ? written.Captions : null;
            if (!await queue.RecordPromptAsync(run.Lease, written.Prompt, lines, cancellationToken)) throw new LeaseLostException(run.Lease);
            logger.LogInformation("Prompt for job {JobId} written ({Source})", job.Id, written.FromModel ? "model" : "template");
        }
        return StageResult.Continue;
    }
}
