using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Tests.Fakes;
using NeuroCards.Tests.TelegramEmulator.Client;
using NeuroCards.Worker.Media;

namespace NeuroCards.Tests.Bot.Conversation;

/// <summary>
/// The card video in the emulator's chat, bot and worker running, the offline renderer making the clips: the preview
/// (stills as an album, the script, the price) arrives before anything is charged, a typed change rewrites the script,
/// re-draws stop at their limit, another frame or voice remakes it (a voice with its sample), and «🚀 Делаем» charges once and delivers a 15–30 s video of several scenes with a voice
/// at the loudness players expect.
/// </summary>
public sealed class CardVideoTests : IAsyncLifetime
{
    private readonly BotHarness h = new();
    private OpenAiFake _openAi = null!;
    private readonly Ffmpeg _ffmpeg = new(NullLogger<Ffmpeg>.Instance);

    public async ValueTask InitializeAsync()
    {
        await h.InitializeAsync();
        _openAi = await OpenAiFake.StartAsync();
        // The first storyboard is about the office; a rewrite asked for the road is about the road.
        _openAi.Answer = request =>
        {
            var rewrite = request.ToJsonString().Contains("Rewrite it as the seller asks", StringComparison.Ordinal);
            return new JsonObject
            {
                ["headline"] = rewrite ? "Тепло в дороге" : "Кружка для офиса",
                ["scenes"] = new JsonArray(
                    Scene("The mug on a desk, slow push-in", rewrite ? "В любой подстаканник" : "На рабочем столе", "Керамическая кружка ручной работы.", 6),
                    Scene("Close-up of the glaze, gentle orbit", "Держит тепло", "Держит тепло, пока вы работаете.", 6),
                    Scene("The mug by a window, warm light", "Объём 350 мл", "Триста пятьдесят миллилитров.", 6)),
            }.ToJsonString();
        };
        h.Overrides["CardVideo:Redraws"] = "1";
    }

    public async ValueTask DisposeAsync()
    {
        await _openAi.DisposeAsync();
        await h.DisposeAsync();
    }

    private static JsonObject Scene(string shot, string caption, string voice, double seconds) =>
        new() { ["shot"] = shot, ["caption"] = caption, ["voice"] = voice, ["seconds"] = seconds };

    [Fact]
    public async Task The_preview_comes_before_any_charge_and_Делаем_delivers_the_finished_card_video()
    {
        await using var bot = await h.StartBotAsync();
        // The worker as it ships (its own process: invariant globalization, no ICU), not hosted in the test's process.
        await using var worker = StartWorker();
        var user = await h.OnboardedUserAsync();
        await h.Db.Ledger.GrantAsync(user.Id, 10, "test", 1);
        var balance = await h.Db.Ledger.GetBalanceAsync(user.Id);

        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("Керамическая кружка 350 мл ручной работы, держит тепло.");
        await user.Press(await user.Expect(m => m.HasButton("Видео для карточки")), "Видео для карточки");
        var asked = DateTime.UtcNow;
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");

        // The preview: one still per scene as an album, then the script with its price, well within a minute.
        var script = await user.Expect(m => !m.Deleted && m.HasButton("Делаем"), TimeSpan.FromSeconds(60));
        Assert.True(DateTime.UtcNow - asked < TimeSpan.FromSeconds(60));
        var album = (await user.Transcript()).Where(m => m.FromBot && !m.Deleted && m.MediaGroupId is not null).ToList();
        Assert.Equal(3, album.Count);
        Assert.Single(album.Select(m => m.MediaGroupId).Distinct());
        Assert.Contains("Кружка для офиса", script.Text);
        Assert.Contains("На рабочем столе", script.Text);
        Assert.Contains("Делаем (3 кредита)", script.Buttons.First().Text);
        Assert.Equal(balance, await h.Db.Ledger.GetBalanceAsync(user.Id)); // nothing charged for a preview

        // A typed change rewrites the script; the old preview goes.
        await user.Press(script, "Поправить текст");
        await user.Expect("Напиши, что поменять");
        await user.Send("про дорогу и автомобиль");
        var rewritten = await user.Expect(m => !m.Deleted && m.HasButton("Делаем") && m.Id != script.Id, TimeSpan.FromSeconds(60));
        Assert.Contains("Тепло в дороге", rewritten.Text);
        Assert.Contains("В любой подстаканник", rewritten.Text);
        Assert.DoesNotContain(await user.Transcript(), m => m.Id == script.Id && !m.Deleted);

        // Other stills: one free re-draw here, then the limit is named and nothing is made.
        await user.Press(rewritten, "Другие кадры");
        var redrawn = await user.Expect(m => !m.Deleted && m.HasButton("Делаем") && m.Id != rewritten.Id, TimeSpan.FromSeconds(60));
        Assert.Contains("Тепло в дороге", redrawn.Text); // the script kept
        var refused = await user.Press(redrawn, "Другие кадры");
        Assert.Contains("перерисовки закончились", await Eventually.ValueAsync(() => user.CallbackNotice(refused), notice => notice is not null));
        Assert.Equal(balance, await h.Db.Ledger.GetBalanceAsync(user.Id));

        // Another frame redraws the stills in it, the script kept, and does not use up a re-draw; then back to 3:4.
        await user.Press(redrawn, "1:1");
        var square = await user.Expect(m => !m.Deleted && m.HasButton("✅ 1:1"), TimeSpan.FromSeconds(60));
        Assert.Contains("Тепло в дороге", square.Text);
        var squareStill = (await user.Transcript()).Last(m => m.FromBot && !m.Deleted && m.MediaGroupId is not null).Photo!.Last()!;
        Assert.Equal(squareStill["width"]!.GetValue<int>(), squareStill["height"]!.GetValue<int>());
        await user.Press(square, "3:4");
        var card = await user.Expect(m => !m.Deleted && m.HasButton("✅ 3:4"), TimeSpan.FromSeconds(60));

        // Each preview comes with a short sample of its voice; another voice brings its own sample.
        Assert.Contains(await user.Transcript(), m => m.FromBot && !m.Deleted && m.Json["voice"] is not null && m.Contains("Марина"));
        await user.Press(card, "Кедр");
        redrawn = await user.Expect(m => !m.Deleted && m.HasButton("✅ Кедр"), TimeSpan.FromSeconds(60));
        var sample = Assert.Single(await user.Transcript(), m => m.FromBot && !m.Deleted && m.Json["voice"] is not null);
        Assert.Contains("Кедр", sample.Text);
        Assert.InRange(sample.Json["voice"]!["duration"]!.GetValue<int>(), 1, 5);
        Assert.Equal("cedar", _openAi.SpeechRequests.Last()["voice"]!.GetValue<string>());

        // «Делаем»: charged once, the preview's message becomes the order's status, and the video arrives.
        await user.Press(redrawn, "Делаем");
        await user.Expect("Заказ принят");
        Assert.Equal(balance - 3, await h.Db.Ledger.GetBalanceAsync(user.Id));
        var video = await user.Expect(m => m.Video is not null, TimeSpan.FromSeconds(240));

        var file = Path.Combine(Path.GetTempPath(), $"nc-card-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(file, await h.Telegram.DownloadAsync(video.Video!["file_id"]!.GetValue<string>()));
        try
        {
            // Kept to look at.
            File.Copy(file, Path.Combine(Chromium.ArtefactDir(), "card-video.mp4"), overwrite: true);
            var info = await _ffmpeg.ProbeAsync(file, CancellationToken.None);
            Assert.Empty(MarketplaceCheck.Problems(info.Facts));
            Assert.Equal((810, 1080), (info.Width, info.Height));
            Assert.InRange(info.DurationSeconds, 15, 30.5);
            Assert.True(info.HasAudio);
            // The scenes are different shots: ffmpeg's scene detection, twice a second, scores the change across each
            // crossfade (at 6 and 12 s: the script's lengths) far above the camera's own movement within a scene.
            var scores = await SceneScoresAsync(file);
            var median = scores.Select(p => p.Score).Order().ElementAt(scores.Count / 2);
            var cuts = scores.OrderByDescending(p => p.Score).Take(2).OrderBy(p => p.Time).ToList();
            Assert.InRange(cuts[0].Time, 5.5, 7.5);
            Assert.InRange(cuts[1].Time, 11.5, 13.5);
            Assert.All(cuts, cut => Assert.True(cut.Score > 3 * median, $"a cut scores {cut.Score}, the movement {median}"));
            // The headline alone for the first 8 s (Ozon plays covers muted), then the scene's own caption; every caption
            // inside the safe margins.
            var (at2, at7, at10) = (await CaptionMaskAsync(file, 2), await CaptionMaskAsync(file, 7), await CaptionMaskAsync(file, 10));
            Assert.True(Overlap(at2, at7) > 0.8, $"the headline changed within the first 8 s ({Overlap(at2, at7):0.00})");
            Assert.True(Overlap(at2, at10) < 0.5, $"the headline is still up at 10 s ({Overlap(at2, at10):0.00})");
            foreach (var mask in new[] { at2, at7, at10 })
            {
                Assert.True(mask.Count > 500, "no caption drawn");
                Assert.All(mask, p => Assert.InRange(p % 810, (int)(810 * 0.05), (int)(810 * 0.95)));
            }
            // Each scene's line is heard where the script puts it: the voice band is far louder just after the scene
            // starts than once its line is read (the music alone, ducked no more).
            for (var start = 0; start < 18; start += 6)
            {
                var speaking = await Tools.VoiceBandVolumeAsync(file, start + 0.5, 1.2);
                var after = await Tools.VoiceBandVolumeAsync(file, start + 4.2, 1.2);
                Assert.True(speaking - after > 6, $"scene at {start} s: the voice band is {speaking:0.0} dB while its line is read and {after:0.0} dB after");
            }
            // A voice line for each scene, as the script has it, reached the speech engine.
            var spoken = _openAi.SpeechRequests.Select(r => (Text: r["input"]!.GetValue<string>(), Voice: r["voice"]!.GetValue<string>())).ToList();
            Assert.Contains(("Керамическая кружка ручной работы.", "cedar"), spoken);
            Assert.Contains(("Триста пятьдесят миллилитров.", "cedar"), spoken);
            var (integrated, truePeak) = await Tools.LoudnessAsync(file);
            Assert.InRange(integrated, Ffmpeg.TargetLufs - 1, Ffmpeg.TargetLufs + 1);
            Assert.True(truePeak <= -0.9, $"true peak {truePeak} dBTP");
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(balance - 3, await h.Db.Ledger.GetBalanceAsync(user.Id));
    }

    /// <summary>The caption's white glyph pixels (indices into the 810×1080 frame) in the top half of the frame at <paramref name="second"/>.</summary>
    private static async Task<HashSet<int>> CaptionMaskAsync(string file, double second)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"nc-frame-{Guid.NewGuid():N}.rgb");
        await Tools.FfmpegAsync($"-loglevel error -ss {second.ToString(System.Globalization.CultureInfo.InvariantCulture)} -i {file} -frames:v 1 -f rawvideo -pix_fmt rgb24 {raw}");
        var frame = await File.ReadAllBytesAsync(raw);
        File.Delete(raw);
        var mask = new HashSet<int>();
        for (var i = 0; i < 810 * 540; i++)
            if (frame[i * 3] > 235 && frame[i * 3 + 1] > 235 && frame[i * 3 + 2] > 235) mask.Add(i);
        return mask;
    }

    /// <summary>How much of two masks is the same pixels (intersection over union).</summary>
    private static double Overlap(HashSet<int> a, HashSet<int> b) => a.Count + b.Count == 0 ? 1 : (double)a.Intersect(b).Count() / a.Union(b).Count();

    /// <summary>ffmpeg's scene score of each frame, sampled twice a second, against the one before it.</summary>
    private static async Task<List<(double Time, double Score)>> SceneScoresAsync(string file)
    {
        var output = await Tools.FfmpegAsync($"-i {file} -vf fps=2,select='gte(scene,0)',metadata=print -an -f null -");
        var scores = new List<(double, double)>();
        double? time = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("pts_time:", StringComparison.Ordinal)) time = Tools.Number(line, @"pts_time:([\d.]+)");
            else if (line.Contains("lavfi.scene_score=", StringComparison.Ordinal) && time is { } t) scores.Add((t, Tools.Number(line, @"scene_score=([\d.]+)")));
        }
        Assert.True(scores.Count > 20, "ffmpeg scored no frames");
        return scores;
    }

    private ServiceProcess StartWorker()
    {
        var settings = new Dictionary<string, string?>(h.Storage.Settings)
        {
            ["ConnectionStrings:neurocards"] = h.Db.ConnectionString,
            ["Telegram:BotToken"] = h.Token,
            ["Telegram:ApiBaseUrl"] = h.Emulator.BaseUrl,
            ["Generation:Provider"] = "Local",
            ["OpenAI:BaseUrl"] = _openAi.BaseUrl,
            ["OpenAI:ApiKey"] = "sk-test",
            ["CardVideo:Redraws"] = "1",
            ["Worker:PollSeconds"] = "0.2",
            ["Worker:ShutdownGraceSeconds"] = "1",
            ["Worker:DemoSample"] = "false",
        };
        return ServiceProcess.Start("NeuroCards.Worker", settings);
    }
}
