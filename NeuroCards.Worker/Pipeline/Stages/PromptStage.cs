using NeuroCards.Core.Queue;
using NeuroCards.Worker.Prompting;

namespace NeuroCards.Worker.Pipeline.Stages;

/// <summary>Writes the video prompt (the model for UGC and ad, the seller's own text as is) and records it on the job.</summary>
public sealed class PromptStage(JobQueue queue, PromptWriter prompts, ILogger<PromptStage> logger) : IStage
{
    public JobStage Name => JobStage.Prompt;

    // The writer falls back to a template prompt when the model is slow or refuses; this only bounds a hang.
    public TimeSpan Timeout => TimeSpan.FromMinutes(3);

    public bool IsDone(Job job) => job.FinalPrompt is not null;

    public async Task<StageResult> RunAsync(JobRun run, CancellationToken cancellationToken)
    {
        var job = run.Job;
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
