using System.ClientModel;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Hosting;
using NeuroCards.Worker.Prompting;
using OpenAI.Audio;

namespace NeuroCards.Worker.Media;

/// <summary>
/// Russian speech to a WAV file: OpenAI's speech model through the official SDK when a key is set (a natural voice,
/// under a cent for a 15 s voice-over), else — or when OpenAI fails — espeak-ng's offline Russian voice. Stress marks
/// (U+0301) reach OpenAI, which reads them; espeak-ng would spell them, so it gets the text without.
/// </summary>
public sealed class SpeechSynthesizer(IOptions<OpenAiOptions> options, ILogger<SpeechSynthesizer> logger)
{
    private const string Instructions = "Speak Russian clearly and warmly, at a calm pace, like a voice-over in a product advertisement.";
    private readonly Lazy<AudioClient?> _openAi = new(() => OpenAiClients.Speech(options.Value));

    /// <summary>Which engine speaks: "openai" or "espeak-ng" (the one that will be tried first).</summary>
    public string Engine => _openAi.Value is null ? "espeak-ng" : "openai";

    /// <summary>Writes <paramref name="text"/> spoken to <paramref name="wav"/>; false when no engine could speak here.</summary>
    /// <param name="voice">The seller's pick for a card video; otherwise <c>OpenAI__Voice</c>, or espeak-ng's own Russian voice.</param>
    public async Task<bool> SpeakAsync(string text, string wav, CancellationToken cancellationToken, CardVoice? voice = null)
    {
        if (_openAi.Value is { } client)
        {
            try
            {
                // The API documents "instructions" (tone and pace); the SDK still marks its property as an evaluation one.
#pragma warning disable OPENAI001
                var request = new SpeechGenerationOptions { ResponseFormat = GeneratedSpeechFormat.Wav, Instructions = Instructions };
#pragma warning restore OPENAI001
                var speech = await client.GenerateSpeechAsync(text, new GeneratedSpeechVoice(voice?.OpenAi ?? options.Value.Voice), request, cancellationToken);
                await File.WriteAllBytesAsync(wav, speech.Value.ToArray(), cancellationToken);
                return true;
            }
            catch (Exception e) when (e is ClientResultException or HttpRequestException or TimeoutException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning("OpenAI's speech failed ({Error}); espeak-ng speaks instead", e.GetType().Name);
            }
        }
        var file = wav + ".txt";
        await File.WriteAllTextAsync(file, text.Replace("\u0301", ""), cancellationToken);
        try
        {
            var spoken = await ToolRunner.RunAsync("espeak-ng", ["-v", voice?.Espeak ?? "ru", "-f", file, "-w", wav], TimeSpan.FromSeconds(30), cancellationToken);
            if (!spoken.Succeeded) throw new InvalidOperationException($"espeak-ng failed ({spoken.ExitCode}): {spoken.Error.Trim()}");
            return true;
        }
        catch (ToolMissingException)
        {
            logger.LogWarning("espeak-ng is not installed and OpenAI is not set: no voice (scripts/setup.sh installs espeak-ng)");
            return false;
        }
    }
}
