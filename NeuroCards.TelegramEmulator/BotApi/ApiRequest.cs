using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>A Bot API call's parameters, whichever way they came (query, JSON, urlencoded or multipart form).</summary>
public sealed class ApiRequest
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    public IFormFileCollection? Files { get; private set; }

    public static async Task<ApiRequest> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var request = new ApiRequest();
        foreach (var (key, value) in http.Query) request._values[key] = JsonValue.Create(value.ToString());
        if (http.HasFormContentType)
        {
            var form = await http.ReadFormAsync(cancellationToken);
            foreach (var (key, value) in form) request._values[key] = JsonValue.Create(value.ToString());
            request.Files = form.Files;
        }
        else if (http.ContentLength is > 0 || http.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                if (await JsonNode.ParseAsync(http.Body, cancellationToken: cancellationToken) is JsonObject body)
                {
                    foreach (var (key, value) in body) request._values[key] = value?.DeepClone();
                }
            }
            catch (JsonException)
            {
                throw new BotApiException(400, "Bad Request: invalid JSON body");
            }
        }
        return request;
    }

    /// <summary>A file uploaded with this request for a parameter: in a form field of its name, or the one its value names (attach://…).</summary>
    public IFormFile? Upload(string field, string? value) => value is not null && value.StartsWith("attach://", StringComparison.Ordinal)
        ? Files?.GetFile(value["attach://".Length..])
        : Files?.GetFile(field);

    public bool Has(string name) => _values.TryGetValue(name, out var v) && v is not null;

    public string? Text(string name) => _values.TryGetValue(name, out var v) && v is not null
        ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
        : null;

    public string RequiredString(string name) =>
        Text(name) is { Length: > 0 } s ? s : throw new BotApiException(400, $"Bad Request: parameter \"{name}\" is required");

    public long? WholeNumber(string name) => Text(name) is { } s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null;

    public int? SmallNumber(string name) => WholeNumber(name) is { } l ? (int)l : null;

    public bool Bool(string name) => Text(name) is "true" or "True" or "1";

    public long ChatId()
    {
        var raw = RequiredString("chat_id");
        return long.TryParse(raw, out var id) ? id : throw new BotApiException(400, "Bad Request: chat not found");
    }

    /// <summary>A structured parameter: sent as JSON in a JSON body, or as a JSON string in a form.</summary>
    public JsonNode? Json(string name)
    {
        if (!_values.TryGetValue(name, out var v) || v is null) return null;
        if (v.GetValueKind() != JsonValueKind.String) return v;
        try
        {
            return JsonNode.Parse(v.GetValue<string>());
        }
        catch (JsonException)
        {
            throw new BotApiException(400, $"Bad Request: can't parse {name} JSON object");
        }
    }
}
