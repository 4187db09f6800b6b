using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Queue;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>
/// KIE.ai: market models (Seedance 2, Kling 3.0, …) through jobs/createTask + jobs/recordInfo, Veo through
/// veo/generate + veo/record-info. createTask costs money: it is never retried here, and an answer
/// we did not get is reported as Unknown, not as a failure.
/// </summary>
public sealed class KieClient(
    HttpClient http, KieKeyPool keys, IOptions<KieOptions> options, IOptions<GenerationOptions> generation, ILogger<KieClient> logger)
    : IVideoProvider
{
    private readonly KieOptions _options = options.Value;

    public const string ProviderName = "kie";

    public string Name => ProviderName;

    public bool SupportsCallbacks => true;

    public async Task<CreateResult> CreateAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        if (!generation.Value.Models.TryGetValue(request.Model, out var model) || GenerationOptions.IsRetired(request.Model, model))
        {
            // A job from before the model was retired or removed: nothing is sent, and the job moves to the next model.
            return new CreateResult.Failed(FailureClass.ModelUnavailable, $"model '{request.Model}' is retired or not in the catalogue");
        }
        var (path, body) = BuildCreate(model, request);
        return await SendCreateAsync(path, body, cancellationToken);
    }

    /// <summary>
    /// An image edit task (a card video's still from the seller's photo): <paramref name="model"/> such as
    /// <c>google/nano-banana-edit</c>, the photo in <c>image_urls</c>, the frame as <c>aspect_ratio</c>. Polled with
    /// <see cref="GetStatusAsync"/> like any market task; its result URL is the picture.
    /// </summary>
    public Task<CreateResult> CreateImageEditAsync(string model, string prompt, Uri photo, string aspectRatio, CancellationToken cancellationToken) =>
        SendCreateAsync("/api/v1/jobs/createTask", new JsonObject
        {
            ["model"] = model,
            ["input"] = new JsonObject { ["prompt"] = prompt, ["image_urls"] = new JsonArray(photo.ToString()), ["aspect_ratio"] = aspectRatio },
        }, cancellationToken);

    /// <summary>createTask with the first key that is not resting; a key out of balance or rate-limited rests and the next one tries.</summary>
    private async Task<CreateResult> SendCreateAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var available = keys.Available();
        if (available.Count == 0)
        {
            return keys.Count == 0
                ? new CreateResult.Failed(FailureClass.OurSide, "no KIE key configured")
                : new CreateResult.NotSent(FailureClass.RateLimit, "every KIE key is resting");
        }

        CreateResult last = new CreateResult.Failed(FailureClass.OurSide, "no KIE key available");
        foreach (var (keyId, key) in available)
        {
            last = await CreateWithKeyAsync(path, body, keyId, key, cancellationToken);
            if (last is not CreateResult.Failed { FailureClass: FailureClass.OurSide or FailureClass.RateLimit } failed) return last;
            // This key is out of balance or rate-limited: rest it and let the next key try.
            var rest = failed.FailureClass == FailureClass.RateLimit ? _options.RateLimitRestSeconds : _options.OurSideRestSeconds;
            keys.Rest(keyId, TimeSpan.FromSeconds(rest));
            logger.LogWarning("KIE key {KeyId} resting {Seconds} s after {FailureClass}: {Reason}", keyId, rest, failed.FailureClass, failed.Reason);
        }
        return last;
    }

    private async Task<CreateResult> CreateWithKeyAsync(string path, JsonObject body, string keyId, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            // KIE has been failing: the handler did not send this one.
            return new CreateResult.NotSent(FailureClass.Temporary, "KIE circuit open");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TimeoutRejectedException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Sent, maybe received, maybe paid for: unknown.
            return new CreateResult.Unknown($"createTask did not answer: {e.GetType().Name}");
        }

        using (response)
        {
            var envelope = await ReadEnvelopeAsync(response, cancellationToken);
            if (envelope is null)
            {
                return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                    ? new CreateResult.Failed(KieFailureClassifier.ForCreate((int)response.StatusCode), $"HTTP {(int)response.StatusCode}")
                    : new CreateResult.Unknown($"createTask answered HTTP {(int)response.StatusCode} with a body we could not read");
            }
            if (envelope.Code == 200 && envelope.DataString("taskId") is { Length: > 0 } taskId)
            {
                return new CreateResult.Created(taskId, keyId);
            }
            if (envelope.Code == 200)
            {
                return new CreateResult.Unknown("createTask said 200 without a taskId");
            }
            return new CreateResult.Failed(KieFailureClassifier.ForCreate(envelope.Code, envelope.Msg), $"code {envelope.Code}: {envelope.Msg}");
        }
    }

    public async Task<RenderStatus> GetStatusAsync(string taskId, string keyId, string model, CancellationToken cancellationToken)
    {
        var key = keys.KeyFor(keyId);
        if (key is null) return new RenderStatus.Failed(FailureClass.OurSide, $"the KIE key {keyId} that created the task is no longer configured");
        var veo = generation.Value.Models.TryGetValue(model, out var m) && m.Family == ModelFamily.Veo;
        var path = veo ? $"/api/v1/veo/record-info?taskId={Uri.EscapeDataString(taskId)}" : $"/api/v1/jobs/recordInfo?taskId={Uri.EscapeDataString(taskId)}";

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var envelope = await ReadEnvelopeAsync(response, cancellationToken);
            if (envelope is null) return new RenderStatus.Unavailable($"recordInfo answered HTTP {(int)response.StatusCode} without a readable body");
            if (envelope.Code != 200)
            {
                var failure = KieFailureClassifier.ForCreate(envelope.Code);
                return failure == FailureClass.OurSide && envelope.Code != 402
                    ? new RenderStatus.Failed(failure, $"code {envelope.Code}: {envelope.Msg}")
                    : new RenderStatus.Unavailable($"recordInfo code {envelope.Code}");
            }
            return veo ? ParseVeo(envelope) : ParseMarket(envelope);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TimeoutRejectedException or BrokenCircuitException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new RenderStatus.Unavailable($"recordInfo did not answer: {e.GetType().Name}");
        }
    }

    /// <summary>Market status: state waiting/queuing/generating/success/fail; resultJson is a JSON string.</summary>
    public static RenderStatus ParseMarket(KieEnvelope envelope)
    {
        var state = envelope.DataString("state") ?? "";
        switch (state)
        {
            case "success":
                var resultJson = envelope.DataString("resultJson");
                try
                {
                    var url = resultJson is null ? null : JsonNode.Parse(resultJson)?["resultUrls"]?[0]?.GetValue<string>();
                    return Uri.TryCreate(url, UriKind.Absolute, out var uri)
                        ? new RenderStatus.Succeeded(uri)
                        : new RenderStatus.Failed(FailureClass.ProviderFailure, "success without a result URL");
                }
                catch (JsonException)
                {
                    return new RenderStatus.Failed(FailureClass.ProviderFailure, "success with an unreadable resultJson");
                }
            case "fail":
                var failCode = envelope.DataString("failCode");
                var failMsg = envelope.DataString("failMsg");
                return new RenderStatus.Failed(KieFailureClassifier.ForTask(failCode, failMsg), $"failCode {failCode}: {failMsg}");
            default:
                return new RenderStatus.Pending(state.Length == 0 ? "waiting" : state);
        }
    }

    /// <summary>Veo status: successFlag 0 generating, 1 success (response.resultUrls), 2/3 failed (errorMessage).</summary>
    public static RenderStatus ParseVeo(KieEnvelope envelope)
    {
        var flag = envelope.DataProperty("successFlag") is { ValueKind: JsonValueKind.Number } f ? f.GetInt32() : 0;
        switch (flag)
        {
            case 1:
                var urls = envelope.DataProperty("response") is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("resultUrls", out var u) ? u : default;
                var url = urls.ValueKind == JsonValueKind.Array && urls.GetArrayLength() > 0 ? urls[0].GetString() : null;
                return Uri.TryCreate(url, UriKind.Absolute, out var uri)
                    ? new RenderStatus.Succeeded(uri)
                    : new RenderStatus.Failed(FailureClass.ProviderFailure, "success without a result URL");
            case 2 or 3:
                var message = envelope.DataString("errorMessage");
                var code = envelope.DataString("errorCode");
                return new RenderStatus.Failed(KieFailureClassifier.ForTask(code, message), $"veo failed: {message}");
            default:
                return new RenderStatus.Pending("generating");
        }
    }

    /// <summary>The one place a model's configuration becomes a request body.</summary>
    public static (string Path, JsonObject Body) BuildCreate(VideoModelOptions model, RenderRequest request)
    {
        if (model.Family == ModelFamily.Veo)
        {
            var veo = new JsonObject
            {
                ["prompt"] = request.Prompt,
                ["imageUrls"] = new JsonArray(request.PhotoUrl.ToString()),
                ["model"] = model.ProviderModel,
                ["generationType"] = "FIRST_AND_LAST_FRAMES_2_VIDEO",
            };
            foreach (var (name, value) in InputFor(model, request.Format)) veo[name] = TypedValue(value);
            if (request.CallbackUrl is not null) veo["callBackUrl"] = request.CallbackUrl.ToString();
            return ("/api/v1/veo/generate", veo);
        }

        var input = new JsonObject { ["prompt"] = request.Prompt };
        if (model.Photo == PhotoInput.ImageUrls) input["image_urls"] = new JsonArray(request.PhotoUrl.ToString());
        else input["first_frame_url"] = request.PhotoUrl.ToString();
        foreach (var (name, value) in InputFor(model, request.Format)) input[name] = TypedValue(value);
        // A scene shorter than the model's clip is asked for (and paid) at its own length, down to the 4 s the models take.
        if (request.Seconds is { } seconds && input.ContainsKey("duration")) input["duration"] = Math.Clamp(seconds, 4, 15);
        var body = new JsonObject { ["model"] = model.ProviderModel, ["input"] = input };
        if (request.CallbackUrl is not null) body["callBackUrl"] = request.CallbackUrl.ToString();
        return ("/api/v1/jobs/createTask", body);
    }

    /// <summary>The model's input fields, with its native settings for the order's frame format over them.</summary>
    private static IEnumerable<KeyValuePair<string, string>> InputFor(VideoModelOptions model, string format) =>
        model.Formats.TryGetValue(format, out var native) ? model.Input.Where(p => !native.ContainsKey(p.Key)).Concat(native) : model.Input;

    // Configuration values are strings; KIE wants booleans and whole numbers (duration) as JSON ones.
    private static JsonValue TypedValue(string value) => value switch
    {
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ => JsonValue.Create(value),
    };

    /// <summary>The KIE account's remaining credits, summed over the configured keys; null when KIE did not say.</summary>
    public async Task<decimal?> GetCreditsAsync(CancellationToken cancellationToken)
    {
        decimal total = 0;
        foreach (var key in _options.Keys.Distinct(StringComparer.Ordinal))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/chat/credit");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var envelope = await ReadEnvelopeAsync(response, cancellationToken);
                if (envelope is not { Code: 200, Data: { ValueKind: JsonValueKind.Number } data }) return null;
                total += data.GetDecimal();
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or TimeoutRejectedException or BrokenCircuitException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogInformation("KIE did not say its balance: {Error}", e.GetType().Name);
                return null;
            }
        }
        return total;
    }

    private static async Task<KieEnvelope?> ReadEnvelopeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync<KieEnvelope>(cancellationToken);
            return envelope is { Code: > 0 } ? envelope : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
