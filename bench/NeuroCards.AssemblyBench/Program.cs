using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.AssemblyBench;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Worker.Cards;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Prompting;
using NeuroCards.Worker.Storyboards;

// dotnet run -c Release --project bench/NeuroCards.AssemblyBench -- [videos=4]
// Assembling a 30 s 3:4 card video from its five stored scene clips (join, voice, music, loudness, captions, encode):
// our one video pass next to the naive way (one ffmpeg pass per step), each alone (wall, CPU of ffmpeg and espeak-ng,
// memory) and then two at a time for videos per hour on this machine. The voice is espeak-ng's (offline).
var videos = args.Length > 0 ? int.Parse(args[0]) : 4;
var dir = Path.Combine(Path.GetTempPath(), "nc-assemblybench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
var ffmpeg = new Ffmpeg(NullLogger<Ffmpeg>.Instance);
var speech = new SpeechSynthesizer(Options.Create(new OpenAiOptions()), NullLogger<SpeechSynthesizer>.Instance);
var assembler = new CardAssembler(ffmpeg, speech, NullLogger<CardAssembler>.Instance);
var naive = new NaiveAssembly(ffmpeg, speech);

var storyboard = Storyboard.Normalise("Термокружка «Фрост»",
[
    new("push-in", "Держит тепло 6 часов", "Термокружка Фрост держит тепло шесть часов, даже на морозе.", 6),
    new("close-up", "Двойные стенки", "Двойные стальные стенки не нагреваются снаружи.", 6),
    new("lid", "Крышка не протекает", "Крышка закрывается плотно и не протекает в сумке.", 6),
    new("car", "В любой подстаканник", "Кружка подходит к любому подстаканнику в машине.", 6),
    new("dishwasher", "Можно в посудомойку", "Её можно мыть в посудомоечной машине.", 6),
])!;
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {storyboard.Scenes.Count} scenes, {storyboard.Seconds:0.#} s, 810x1080");

// The clips as a video model returns them: 10 s, 3:4, moving, with sound of their own.
var photo = Path.Combine(dir, "product.jpg");
await ffmpeg.DrawProductAsync(photo, CancellationToken.None);
var clips = new List<string>();
for (var i = 0; i < storyboard.Scenes.Count; i++)
{
    var clip = Path.Combine(dir, $"scene-{i + 1}.mp4");
    await ffmpeg.TranscodeAsync(["-loop", "1", "-i", photo, "-f", "lavfi", "-i", "sine=f=220:d=10", "-filter_complex",
        $"[0:v]scale=1620:2160,zoompan=z='1+0.00{i + 2}*on':d=300:s=810x1080:fps=30,hue=h={i * 40},format=yuv420p[v]",
        "-map", "[v]", "-map", "1:a", "-t", "10", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "aac", clip], CancellationToken.None);
    clips.Add(clip);
}

foreach (var (name, assemble) in new (string, Func<string, string, Task>)[]
         {
             ("one pass (CardAssembler)", (output, work) => assembler.AssembleAsync(clips, storyboard, VideoFormat.Card, output, work, CancellationToken.None)),
             ("naive, one pass per step", (output, work) => naive.AssembleAsync(clips, storyboard, VideoFormat.Card, output, work, CancellationToken.None)),
         })
{
    // Once alone, for wall time, CPU and memory; the first run of each warms the disk cache and is not counted.
    await RunAsync(assemble, 0);
    var process = Process.GetCurrentProcess();
    var (cpuBefore, _) = ChildUsage.Now();
    var ownCpuBefore = process.TotalProcessorTime;
    process.Refresh();
    var baseline = process.WorkingSet64;
    var peak = baseline;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
            await Task.Delay(20);
        }
    });
    var wall = Stopwatch.StartNew();
    var output = await RunAsync(assemble, 1);
    wall.Stop();
    await sampling.CancelAsync();
    await sampler;
    var (cpuAfter, maxRss) = ChildUsage.Now();
    var facts = await ffmpeg.ProbeAsync(output, CancellationToken.None);
    Console.WriteLine($"{name}: {wall.Elapsed.TotalSeconds:0.0} s wall, {cpuAfter - cpuBefore:0.0} CPU-s in ffmpeg and espeak-ng, "
                      + $"{(process.TotalProcessorTime - ownCpuBefore).TotalSeconds:0.00} CPU-s in .NET, this process +{(peak - baseline) / 1048576.0:0} MB, "
                      + $"largest child so far {maxRss:0} MB; {facts.Width}x{facts.Height} {facts.DurationSeconds:0.0} s {facts.SizeBytes / 1048576.0:0.0} MB");

    // Two at a time, as a 2-core worker would: videos per hour.
    var batch = Stopwatch.StartNew();
    var next = 1;
    await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
    {
        int mine;
        while ((mine = Interlocked.Increment(ref next)) <= videos + 1) await RunAsync(assemble, mine);
    }));
    Console.WriteLine($"{name}: {videos} videos two at a time in {batch.Elapsed.TotalSeconds:0.0} s = {videos * 3600 / batch.Elapsed.TotalSeconds:0} videos/hour");
}
Directory.Delete(dir, recursive: true);

async Task<string> RunAsync(Func<string, string, Task> assemble, int run)
{
    var work = Path.Combine(dir, $"run-{run}-{Guid.NewGuid():N}");
    Directory.CreateDirectory(work);
    var output = Path.Combine(dir, $"out-{run}-{Guid.NewGuid():N}.mp4");
    await assemble(output, work);
    return output;
}
