using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace NeuroCards.TelegramEmulator.State;

/// <summary>Everything the emulator knows about one bot (one token). Guarded by <see cref="Lock"/>.</summary>
public sealed class BotState(string token)
{
    public object Lock { get; } = new();
    public string Token { get; } = token;
    public long BotId { get; } = long.TryParse(token.Split(':')[0], out var id) ? id : 1;
    public string Username => $"neurocards_{BotId}_bot";

    public Dictionary<long, UserState> Users { get; } = [];
    public Dictionary<long, ChatState> Chats { get; } = [];
    public Dictionary<string, FileEntry> Files { get; } = [];
    public Dictionary<string, Fault> Faults { get; } = [];
    public Dictionary<string, PendingPayment> PreCheckouts { get; } = [];
    public Dictionary<string, bool> CallbackAnswered { get; } = [];
    public Dictionary<string, string> CallbackAnswerTexts { get; } = [];
    public Dictionary<string, JsonArray> Commands { get; } = [];
    public Dictionary<string, InvoiceLink> InvoiceLinks { get; } = [];
    public Dictionary<string, PreparedMessage> Prepared { get; } = [];

    /// <summary>setChatMenuButton's buttons: by chat id, 0 for every chat without one of its own.</summary>
    public Dictionary<long, JsonObject> MenuButtons { get; } = [];

    public List<JsonObject> PendingUpdates { get; } = [];
    public long NextUpdateId { get; set; } = UpdateIds.First();
    public bool PollerActive { get; set; }
    public string? WebhookUrl { get; set; }
    public string? WebhookSecret { get; set; }

    /// <summary>The certificate setWebhook uploaded: deliveries trust it alone (a self-signed one, as Telegram allows).</summary>
    public X509Certificate2? WebhookCertificate { get; set; }

    /// <summary>setWebhook's max_connections: how many deliveries may be in flight at once (Telegram's default is 40).</summary>
    public int WebhookMaxConnections { get; set; } = 40;
    public string? LastWebhookError { get; set; }

    public long Version { get; private set; }
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _updates = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Call with the lock held: wakes anyone waiting for chat changes.</summary>
    public long Touch()
    {
        Version++;
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
        return Version;
    }

    public Task Changed
    {
        get { lock (Lock) return _changed.Task; }
    }

    /// <summary>Call with the lock held.</summary>
    public JsonObject EnqueueUpdate(string kind, JsonNode payload)
    {
        var update = new JsonObject { ["update_id"] = NextUpdateId++, [kind] = payload };
        PendingUpdates.Add(update);
        var previous = _updates;
        _updates = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
        return update;
    }

    public Task UpdatesArrived
    {
        get { lock (Lock) return _updates.Task; }
    }
}
