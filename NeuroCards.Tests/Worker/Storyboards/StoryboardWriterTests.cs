using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NeuroCards.Tests.Fakes;
using NeuroCards.Worker.Prompting;
using NeuroCards.Worker.Storyboards;

namespace NeuroCards.Tests.Worker.Storyboards;

/// <summary>
/// The card video's storyboard through the official SDK against the OpenAI fake, which refuses a strict schema OpenAI
/// would refuse: what the model writes is made safe (scene count, lengths sized to the voice, 15–30 s, captions within
/// the marketplaces' rules, stress marks only in the voice), a typed change rewrites it, and without the model the
/// description makes one.
/// </summary>
public sealed class StoryboardWriterTests : IAsyncLifetime
{
    private const string Description = "Термокружка «Фрост» 450 мл. Держит тепло 6 часов. Можно в посудомойку. Крышка не протекает.";
    private OpenAiFake _openAi = null!;

    public async ValueTask InitializeAsync() => _openAi = await OpenAiFake.StartAsync();

    public async ValueTask DisposeAsync() => await _openAi.DisposeAsync();

    private StoryboardWriter Writer(string? key = "sk-test") => new(Options.Create(new OpenAiOptions { BaseUrl = _openAi.BaseUrl, ApiKey = key }),
        NullLogger<StoryboardWriter>.Instance);

    private static JsonObject Scene(string shot, string caption, string voice, double seconds) =>
        new() { ["shot"] = shot, ["caption"] = caption, ["voice"] = voice, ["seconds"] = seconds };

    [Fact]
    public async Task The_models_storyboard_is_asked_for_with_a_strict_schema_and_comes_back_within_the_rules()
    {
        _openAi.Answer = _ => new JsonObject
        {
            ["headline"] = "Лучшая термокружка «Фро\u0301ст»",
            ["scenes"] = new JsonArray(
                Scene("The mug on a marble table, slow push-in", "Скидка 50% только сегодня", "Термокру\u0301жка «Фро\u0301ст» на четыреста пятьдесят миллилитров.", 2),
                Scene("Steam rising from the open mug, macro", "Тепло 6 часов", "Держит тепло шесть часов, даже в мороз.", 4),
                Scene("The mug in a dishwasher rack, pan", "Можно в посудомойку", "Её можно мыть в посудомоечной машине.", 5),
                Scene("The closed lid, turned upside down, no drop", "Крышка не протекает", "Крышка не протекает.", 4)),
        }.ToJsonString();

        var result = await Writer().WriteAsync(Description, wishes: null, CancellationToken.None);

        Assert.True(result.FromModel);
        var request = Assert.Single(_openAi.Requests);
        Assert.Equal("json_schema", request["response_format"]!["type"]!.GetValue<string>());
        Assert.True(request["response_format"]!["json_schema"]!["strict"]!.GetValue<bool>());
        var board = result.Storyboard;
        Assert.Equal("Термокружка «Фрост»", board.Headline); // the superlative gone, the stress mark too
        Assert.Equal(4, board.Scenes.Count);
        Assert.Equal("", board.Scenes[0].Caption); // a discount is never drawn
        Assert.Contains('\u0301', board.Scenes[0].Voice); // the voice keeps its stress marks
        Assert.All(board.Scenes, s => Assert.True(s.Voice.Split(' ').Length <= s.Seconds * Storyboard.WordsPerSecond,
            $"{s.Seconds} s is too short for «{s.Voice}»"));
        Assert.InRange(board.Seconds, Storyboard.MinSeconds, Storyboard.MaxSeconds);
    }

    [Fact]
    public async Task Too_many_scenes_and_a_voice_too_long_for_any_scene_are_cut_to_fit()
    {
        var endless = string.Join(' ', Enumerable.Repeat("очень", 40));
        _openAi.Answer = _ => new JsonObject
        {
            ["headline"] = "Термокружка",
            ["scenes"] = new JsonArray(Enumerable.Range(1, 7).Select(i => (JsonNode)Scene($"Shot {i}", $"Кадр {i}", i == 1 ? endless : "Коротко.", 9)).ToArray()),
        }.ToJsonString();

        var board = (await Writer().WriteAsync(Description, null, CancellationToken.None)).Storyboard;

        Assert.Equal(Storyboard.MaxScenes, board.Scenes.Count);
        Assert.Equal((int)(Storyboard.MaxScene * Storyboard.WordsPerSecond), board.Scenes[0].Voice.Split(' ').Length);
        Assert.All(board.Scenes, s => Assert.InRange(s.Seconds, Storyboard.MinScene, Storyboard.MaxScene));
        Assert.All(board.Scenes, s => Assert.True(s.Voice.Split(' ').Length <= s.Seconds * Storyboard.WordsPerSecond, $"{s.Seconds} s for «{s.Voice}»"));
        Assert.InRange(board.Seconds, Storyboard.MinSeconds, Storyboard.MaxSeconds);
    }

    [Fact]
    public async Task A_typed_change_rewrites_the_storyboard_the_seller_saw()
    {
        var first = Storyboard.FromLines(CaptionWriter.Compose([], Description));
        _openAi.Answer = request => new JsonObject
        {
            ["headline"] = "Тепло в дороге",
            ["scenes"] = new JsonArray(Scene("A car cup holder", "В любой подстаканник", "Подходит к подстаканнику.", 5),
                Scene("Winter road", "Тепло 6 часов", "Шесть часов тепла.", 5), Scene("Lid closed", "Не протекает", "Не протекает.", 5)),
        }.ToJsonString();

        var result = await Writer().WriteAsync(Description, null, CancellationToken.None, previous: first, change: "про автомобиль, а не про офис");

        Assert.Equal("Тепло в дороге", result.Storyboard.Headline);
        var asked = Assert.Single(_openAi.Requests)["messages"]![1]!["content"]!.GetValue<string>();
        Assert.Contains("про автомобиль, а не про офис", asked);
        Assert.Contains(first.Headline, asked); // the model sees what it rewrites
    }

    [Theory]
    [InlineData("500")]
    [InlineData("nokey")]
    [InlineData("garbage")]
    public async Task Without_a_usable_model_the_description_makes_the_storyboard(string fault)
    {
        if (fault == "500") _openAi.Mode = "500";
        _openAi.Answer = _ => "{\"headline\": \"x\"";

        var result = await Writer(fault == "nokey" ? null : "sk-test").WriteAsync(Description, null, CancellationToken.None);

        Assert.False(result.FromModel);
        Assert.Equal("Термокружка «Фрост» 450 мл", result.Storyboard.Headline);
        Assert.Equal(["Термокружка «Фрост» 450 мл", "Держит тепло 6 часов", "Можно в посудомойку"], result.Storyboard.Scenes.Select(s => s.Caption));
        Assert.InRange(result.Storyboard.Seconds, Storyboard.MinSeconds, Storyboard.MaxSeconds);
    }

    [Fact]
    public async Task The_fake_refuses_a_strict_schema_that_openai_would_refuse()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-test");
        var loose = new JsonObject
        {
            ["model"] = "gpt-4o-mini",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
            ["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "storyboard", ["strict"] = true, ["schema"] = JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"string"}}}""") },
            },
        };

        var answer = await http.PostAsync(_openAi.BaseUrl + "/chat/completions", new StringContent(loose.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Contains("additionalProperties", await answer.Content.ReadAsStringAsync());
    }
}
