using System.Text.Json.Nodes;

namespace NeuroCards.Tests.TelegramEmulator.Client;

/// <summary>A message in a chat transcript, as the user sees it (edits and deletions applied).</summary>
public sealed record ChatMessage(JsonObject Json)
{
    public int Id => Json["message_id"]!.GetValue<int>();
    public bool FromBot => Json["x_from_bot"]?.GetValue<bool>() ?? false;

    /// <summary>When the emulator got it (Unix ms).</summary>
    public long ArrivedAtMs => Json["x_at_ms"]?.GetValue<long>() ?? 0;
    public long Version => Json["x_version"]?.GetValue<long>() ?? 0;
    public bool Deleted => Json["x_deleted"]?.GetValue<bool>() ?? false;
    public bool Edited => Json["edit_date"] is not null;
    public string Text => Json["text"]?.GetValue<string>() ?? Json["caption"]?.GetValue<string>() ?? "";
    public string? Html => Json["x_html"]?.GetValue<string>() ?? Json["x_caption_html"]?.GetValue<string>();
    public JsonObject? Video => Json["video"] as JsonObject;
    public JsonArray? Photo => Json["photo"] as JsonArray;
    public JsonObject? Invoice => Json["invoice"] as JsonObject;
    public string? MediaGroupId => Json["media_group_id"]?.GetValue<string>();
    public bool DisablesLinkPreview => Json["link_preview_options"]?["is_disabled"]?.GetValue<bool>() ?? false;

    public IReadOnlyList<IReadOnlyList<Button>> Keyboard =>
        (Json["reply_markup"]?["inline_keyboard"] as JsonArray ?? [])
        .Select(row => (IReadOnlyList<Button>)(row as JsonArray ?? []).Select(b => new Button(
            b!["text"]!.GetValue<string>(), b["callback_data"]?.GetValue<string>(), b["url"]?.GetValue<string>())).ToList())
        .ToList();

    public IEnumerable<Button> Buttons => Keyboard.SelectMany(r => r);

    public bool HasButton(string textPart) => Buttons.Any(b => b.Text.Contains(textPart, StringComparison.OrdinalIgnoreCase));

    public bool Contains(string part) => Text.Contains(part, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"#{Id} {(FromBot ? "bot" : "user")}: {Text} [{string.Join(" | ", Buttons.Select(b => b.Text))}]";
}
