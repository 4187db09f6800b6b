using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Hosting;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;

namespace NeuroCards.Tests.Worker.Media;

/// <summary>
/// The offline voice-over on real espeak-ng and ffmpeg, heard the way a player would: speech in the voice band while the
/// script is read and only music after, the mix at -16 LUFS with its peaks under -1 dBTP, the picture untouched.
/// </summary>
public sealed class VoiceOverTests : IAsyncLifetime
{
    private static readonly string[] Lines = ["Кружка «Морской бриз»", "Держит тепло 6 часов", "Можно в посудомойку"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-voice-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);
    private string _clip = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var photo = Path.Combine(_dir, "mug.jpg");
        await _ffmpeg.DrawProductAsync(photo, CancellationToken.None);
        _clip = Path.Combine(_dir, "music-only.mp4");
        await _ffmpeg.RenderSlideshowAsync(photo, LocalRenderStyle.For(0), _clip, 10, CancellationToken.None);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_russian_voice_reads_the_lines_over_the_music_and_the_mix_is_at_minus_16_lufs()
    {
        var voiced = Path.Combine(_dir, "voiced.mp4");
        Assert.True(await new VoiceOver(_ffmpeg, NullLogger<VoiceOver>.Instance).AddAsync(_clip, Lines, voiced, _dir, CancellationToken.None));

        // How long the script takes to say, as espeak-ng says it.
        var script = VoiceOver.Script(Lines, 10);
        Assert.Equal("Кружка «Морской бриз». Держит тепло 6 часов. Можно в посудомойку.", script);
        var alone = Path.Combine(_dir, "alone.wav");
        Assert.True((await ToolRunner.RunAsync("espeak-ng", ["-v", "ru", "-w", alone, script], TimeSpan.FromMinutes(1), CancellationToken.None)).Succeeded);
        var spoken = (await _ffmpeg.ProbeAsync(alone, CancellationToken.None)).DurationSeconds;
        Assert.InRange(spoken, 2, 8.6);

        // Speech fills the voice band while the script is read; after it, the music alone is far quieter there.
        var speaking = await VoiceBandVolumeAsync(voiced, VoiceOver.Start + 0.3, spoken - 0.6);
        var after = await VoiceBandVolumeAsync(voiced, VoiceOver.Start + spoken + 0.4, 8.4 - VoiceOver.Start - spoken - 0.4);
        Assert.True(speaking - after > 10, $"the voice band is {speaking:0.0} dB while speaking and {after:0.0} dB after");

        var (integrated, peak) = await Tools.LoudnessAsync(voiced);
        Assert.InRange(integrated, -17, -15);
        Assert.True(peak <= -1, $"true peak {peak} dBTP");

        var before = await _ffmpeg.ProbeAsync(_clip, CancellationToken.None);
        var now = await _ffmpeg.ProbeAsync(voiced, CancellationToken.None);
        Assert.Equal((before.Width, before.Height, before.VideoCodec), (now.Width, now.Height, now.VideoCodec));
        Assert.InRange(now.DurationSeconds, before.DurationSeconds - 0.1, before.DurationSeconds + 0.1);
    }

    [Fact]
    public void Only_whole_lines_that_fit_the_clip_are_read_and_stress_marks_are_not_spelled()
    {
        string[] lines = ["Термокру\u0301жка «Фро\u0301ст»", "Держит тепло шесть часов в любую погоду", "Можно в посудомойку"];

        Assert.Equal("Термокружка «Фрост». Держит тепло шесть часов в любую погоду.", VoiceOver.Script(lines, 5.5));
        Assert.Equal("Термокружка «Фрост».", VoiceOver.Script(lines, 3));
        Assert.Equal("", VoiceOver.Script(lines, 0.5));
    }

    private static async Task<double> VoiceBandVolumeAsync(string video, double from, double seconds)
    {
        var output = await Tools.FfmpegAsync(string.Create(CultureInfo.InvariantCulture,
            $"-ss {from:0.###} -t {seconds:0.###} -i {video} -vn -af highpass=f=300,lowpass=f=3400,volumedetect -f null -"));
        return Tools.Number(output, @"mean_volume: (-?[\d.]+) dB");
    }
}
