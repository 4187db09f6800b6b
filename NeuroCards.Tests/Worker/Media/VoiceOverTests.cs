using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Hosting;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Generation.Local;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Prompting;

namespace NeuroCards.Tests.Worker.Media;

/// <summary>
/// The voice-over on real espeak-ng and ffmpeg, heard the way a player would: speech in the voice band while the script is
/// read and only music after, the mix at -16 LUFS with its peaks under -1 dBTP, the picture untouched; with an OpenAI key,
/// OpenAI's speech through the official SDK (the fake refuses what OpenAI refuses), espeak-ng when it fails.
/// </summary>
public sealed class VoiceOverTests : IAsyncLifetime
{
    private static readonly string[] Lines = ["Кружка «Морской бриз»", "Держит тепло 6 часов", "Можно в посудомойку"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-voice-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);
    private string _clip = null!;
    private OpenAiFake _openAi = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _openAi = await OpenAiFake.StartAsync();
        var photo = Path.Combine(_dir, "mug.jpg");
        await _ffmpeg.DrawProductAsync(photo, CancellationToken.None);
        _clip = Path.Combine(_dir, "music-only.mp4");
        await _ffmpeg.RenderSlideshowAsync(photo, LocalRenderStyle.For(0), _clip, 10, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _openAi.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private VoiceOver Voice(string? key = null, string voice = "marin") => new(_ffmpeg, new SpeechSynthesizer(
        Options.Create(new OpenAiOptions { BaseUrl = _openAi.BaseUrl, ApiKey = key, Voice = voice }), NullLogger<SpeechSynthesizer>.Instance));

    [Fact]
    public async Task A_russian_voice_reads_the_lines_over_the_music_and_the_mix_is_at_minus_16_lufs()
    {
        var voiced = Path.Combine(_dir, "voiced.mp4");
        Assert.True(await Voice().AddAsync(_clip, Lines, voiced, _dir, CancellationToken.None));

        // How long the script takes to say, as espeak-ng says it.
        var script = VoiceOver.Script(Lines, 10);
        Assert.Equal("Кружка «Морской бриз». Держит тепло 6 часов. Можно в посудомойку.", script);
        var alone = Path.Combine(_dir, "alone.wav");
        Assert.True((await ToolRunner.RunAsync("espeak-ng", ["-v", "ru", "-w", alone, script], TimeSpan.FromMinutes(1), CancellationToken.None)).Succeeded);
        var spoken = (await _ffmpeg.ProbeAsync(alone, CancellationToken.None)).DurationSeconds;
        Assert.InRange(spoken, 2, 8.6);

        // Speech fills the voice band while the script is read; after it, the music alone is far quieter there.
        var speaking = await Tools.VoiceBandVolumeAsync(voiced, VoiceOver.Start + 0.3, spoken - 0.6);
        var after = await Tools.VoiceBandVolumeAsync(voiced, VoiceOver.Start + spoken + 0.4, 8.4 - VoiceOver.Start - spoken - 0.4);
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
    public void Only_whole_lines_that_fit_the_clip_are_read()
    {
        string[] lines = ["Термокру\u0301жка «Фрост»", "Держит тепло шесть часов в любую погоду", "Можно в посудомойку"];

        Assert.Equal("Термокру\u0301жка «Фрост». Держит тепло шесть часов в любую погоду.", VoiceOver.Script(lines, 5.5));
        Assert.Equal("Термокру\u0301жка «Фрост».", VoiceOver.Script(lines, 3));
        Assert.Equal("", VoiceOver.Script(lines, 0.5));
    }

    [Fact]
    public async Task With_an_openai_key_openais_voice_reads_the_script_stress_marks_and_all()
    {
        string[] lines = ["Термокру\u0301жка «Фрост»", "Держит тепло 6 часов"];
        var voiced = Path.Combine(_dir, "openai.mp4");

        Assert.True(await Voice("sk-test", "coral").AddAsync(_clip, lines, voiced, _dir, CancellationToken.None));

        var asked = Assert.Single(_openAi.SpeechRequests);
        Assert.Equal(("gpt-4o-mini-tts", "coral", "wav"), (asked["model"]!.GetValue<string>(), asked["voice"]!.GetValue<string>(),
            asked["response_format"]!.GetValue<string>()));
        Assert.Equal("Термокру\u0301жка «Фрост». Держит тепло 6 часов.", asked["input"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(asked["instructions"]?.GetValue<string>()));
        var (integrated, _) = await Tools.LoudnessAsync(voiced);
        Assert.InRange(integrated, -17, -15);
    }

    [Fact]
    public async Task When_openai_fails_espeak_ng_speaks_and_the_video_still_has_its_voice()
    {
        _openAi.Mode = "500";
        var voiced = Path.Combine(_dir, "fallback.mp4");

        Assert.True(await Voice("sk-test").AddAsync(_clip, Lines, voiced, _dir, CancellationToken.None));

        Assert.NotEmpty(_openAi.SpeechRequests);
        var speaking = await Tools.VoiceBandVolumeAsync(voiced, VoiceOver.Start + 0.3, 2);
        var after = await Tools.VoiceBandVolumeAsync(voiced, 7, 1.4);
        Assert.True(speaking - after > 10, $"the voice band is {speaking:0.0} dB while speaking and {after:0.0} dB after");
    }

    [Fact]
    public async Task A_voice_openai_does_not_have_is_refused_at_start_and_by_the_fake()
    {
        var refused = new OpenAiOptions.Validator().Validate(null, new OpenAiOptions { Voice = "anna" });
        Assert.Contains("OpenAI__Voice must be one of", refused.FailureMessage);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-test");
        var answer = await http.PostAsync(_openAi.BaseUrl + "/audio/speech", new StringContent(
            """{"model":"gpt-4o-mini-tts","voice":"anna","input":"Привет"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)answer.StatusCode);
    }
}
