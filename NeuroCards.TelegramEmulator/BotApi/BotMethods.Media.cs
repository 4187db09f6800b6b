using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using NeuroCards.TelegramEmulator.Rules;
using NeuroCards.TelegramEmulator.State;

namespace NeuroCards.TelegramEmulator.BotApi;

/// <summary>Photos, videos, voice messages, documents and albums: uploaded or by file_id, copied, and fetched back through getFile.</summary>
public sealed partial class BotMethods
{
    /// <summary>An input file: uploaded in this request (by field or attach://name), or an earlier file_id.</summary>
    private async Task<FileEntry> InputFileAsync(BotState bot, ApiRequest request, string field, string? value, string kind, CancellationToken cancellationToken)
    {
        var upload = request.Upload(field, value);
        if (upload is not null)
        {
            if (upload.Length > state.Options.UploadLimitBytes) throw new BotApiException(413, "Request Entity Too Large");
            await using var stream = upload.OpenReadStream();
            return await state.SaveFileAsync(bot, stream, kind, upload.ContentType, upload.FileName, state.Options.UploadLimitBytes, cancellationToken);
        }
        if (string.IsNullOrEmpty(value)) throw new BotApiException(400, $"Bad Request: there is no {field} in the request");
        lock (bot.Lock)
        {
            return bot.Files.TryGetValue(value, out var known) ? known : throw new BotApiException(400, "Bad Request: wrong file identifier/HTTP URL specified");
        }
    }

    private static JsonNode MediaJson(string kind, FileEntry file, ApiRequest request, FileEntry? thumbnail)
    {
        switch (kind)
        {
            case "photo":
                return new JsonArray(
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId + "s", ["width"] = 90, ["height"] = 90, ["file_size"] = Math.Min(file.Size, 5000) },
                    new JsonObject { ["file_id"] = file.FileId, ["file_unique_id"] = file.FileUniqueId, ["width"] = 1280, ["height"] = 1280, ["file_size"] = file.Size });
            case "video":
                var video = new JsonObject
                {
                    ["file_id"] = file.FileId,
                    ["file_unique_id"] = file.FileUniqueId,
                    ["width"] = request.SmallNumber("width") ?? 0,
                    ["height"] = request.SmallNumber("height") ?? 0,
                    ["duration"] = request.SmallNumber("duration") ?? 0,
                    ["mime_type"] = "video/mp4",
                    ["file_size"] = file.Size,
                    ["file_name"] = file.FileName ?? "video.mp4",
                };
                if (thumbnail is not null)
                    video["thumbnail"] = new JsonObject { ["file_id"] = thumbnail.FileId, ["file_unique_id"] = thumbnail.FileUniqueId, ["width"] = 180, ["height"] = 320, ["file_size"] = thumbnail.Size };
                return video;
            case "voice":
                return new JsonObject
                {
                    ["file_id"] = file.FileId,
                    ["file_unique_id"] = file.FileUniqueId,
                    ["duration"] = request.SmallNumber("duration") ?? 0,
                    ["mime_type"] = "audio/ogg",
                    ["file_size"] = file.Size,
                };
            default:
                return new JsonObject
                {
                    ["file_id"] = file.FileId,
                    ["file_unique_id"] = file.FileUniqueId,
                    ["file_name"] = file.FileName ?? "file",
                    ["mime_type"] = file.MimeType ?? "application/octet-stream",
                    ["file_size"] = file.Size,
                };
        }
    }

    private async Task<JsonNode?> SendMediaAsync(BotState bot, ApiRequest request, HttpContext http, string kind)
    {
        var (caption, entities) = FormatText(request, "caption", MaxCaption);
        var markup = ReplyMarkup(request);
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        var file = await InputFileAsync(bot, request, kind, request.Text(kind), kind, http.RequestAborted);
        FileEntry? thumbnail = null;
        if (kind == "video" && (request.Files?.GetFile("thumbnail") is not null || request.Text("thumbnail") is not null))
        {
            thumbnail = await InputFileAsync(bot, request, "thumbnail", request.Text("thumbnail"), "thumb", http.RequestAborted);
        }
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var content = new JsonObject { [kind] = MediaJson(kind, file, request, thumbnail) };
            if (kind == "video") content["supports_streaming"] = request.Bool("supports_streaming");
            if (caption.Length > 0) content["caption"] = caption;
            if (entities.Count > 0) content["caption_entities"] = entities;
            if (markup is not null) content["reply_markup"] = markup;
            var message = AddBotMessage(bot, chat, content, captionHtml: request.Text("caption"));
            return message.Json.DeepClone();
        }
    }

    private async Task<JsonNode?> SendMediaGroupAsync(BotState bot, ApiRequest request, HttpContext http)
    {
        var media = request.Json("media") as JsonArray ?? throw new BotApiException(400, "Bad Request: parameter \"media\" is required");
        if (media.Count is < 2 or > 10) throw new BotApiException(400, "Bad Request: wrong number of messages in the media group (2-10 required)");
        lock (bot.Lock) WritableChat(bot, request.ChatId());
        var files = new List<(string Kind, FileEntry File, string? Caption)>();
        foreach (var item in media)
        {
            var kind = item?["type"]?.GetValue<string>() ?? "photo";
            if (kind is not ("photo" or "video" or "document")) throw new BotApiException(400, "Bad Request: wrong media type in the media group");
            files.Add((kind, await InputFileAsync(bot, request, kind, item?["media"]?.GetValue<string>(), kind, http.RequestAborted), item?["caption"]?.GetValue<string>()));
        }
        lock (bot.Lock)
        {
            var chat = WritableChat(bot, request.ChatId());
            var group = Guid.NewGuid().ToString("N")[..12];
            var sent = new JsonArray();
            foreach (var (kind, file, caption) in files)
            {
                var content = new JsonObject { [kind] = MediaJson(kind, file, request, null), ["media_group_id"] = group };
                if (!string.IsNullOrEmpty(caption)) content["caption"] = caption;
                sent.Add(AddBotMessage(bot, chat, content).Json.DeepClone());
            }
            return sent;
        }
    }

    private Task<JsonNode?> CopyMessage(BotState bot, ApiRequest request, HttpContext http)
    {
        lock (bot.Lock)
        {
            var from = request.WholeNumber("from_chat_id") ?? throw new BotApiException(400, "Bad Request: chat not found");
            if (!bot.Chats.TryGetValue(from, out var source)) throw new BotApiException(400, "Bad Request: chat not found");
            var original = source.Messages.FirstOrDefault(m => m.MessageId == request.SmallNumber("message_id") && !m.Deleted)
                           ?? throw new BotApiException(400, "Bad Request: message to copy not found");
            var chat = WritableChat(bot, request.ChatId());
            var copy = (JsonObject)original.Json.DeepClone();
            foreach (var key in new[] { "message_id", "from", "chat", "date", "edit_date", "reply_markup" }) copy.Remove(key);
            if (ReplyMarkup(request) is { } markup) copy["reply_markup"] = markup;
            var message = AddBotMessage(bot, chat, copy, original.Html, original.CaptionHtml);
            return Task.FromResult<JsonNode?>(new JsonObject { ["message_id"] = message.MessageId });
        }
    }

    private Task<JsonNode?> GetFile(BotState bot, ApiRequest request, HttpContext http)
    {
        var id = request.RequiredString("file_id");
        lock (bot.Lock)
        {
            if (!bot.Files.TryGetValue(id, out var file)) throw new BotApiException(400, "Bad Request: invalid file_id");
            // The cloud Bot API refuses to hand out files over 20 MB; a local server does not.
            if (!state.Options.LocalServer && file.Size > 20L * 1024 * 1024) throw new BotApiException(400, "Bad Request: file is too big");
            return Task.FromResult<JsonNode?>(new JsonObject
            {
                ["file_id"] = file.FileId,
                ["file_unique_id"] = file.FileUniqueId,
                ["file_size"] = file.Size,
                ["file_path"] = "files/" + file.FileId,
            });
        }
    }
}
