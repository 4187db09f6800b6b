using System.Text.Json.Nodes;

namespace NeuroCards.TelegramEmulator.State;

/// <summary>A message savePreparedInlineMessage stored for one user to share from a Mini App (shareMessage).</summary>
public sealed record PreparedMessage(string Id, long UserId, JsonObject Result, DateTimeOffset Expires);
