using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NeuroCards.TelegramEmulator.State;

/// <summary>All bots the emulator serves, by token; a bot appears on its first call.</summary>
public sealed class EmulatorState(IOptions<EmulatorOptions> options)
{
    private readonly ConcurrentDictionary<string, BotState> _bots = new();
    private long _nextFile;

    public EmulatorOptions Options { get; } = options.Value;

    public BotState Bot(string token) => _bots.GetOrAdd(token, t => new BotState(t));

    public IEnumerable<BotState> Bots => _bots.Values;

    public string NewFileId(string kind) => $"{kind}-{Interlocked.Increment(ref _nextFile)}-{Guid.NewGuid():N}";

    /// <summary>Copies a stream to a new file under FilesPath (streaming) and registers it with the bot.</summary>
    public async Task<FileEntry> SaveFileAsync(BotState bot, Stream content, string kind, string? mime, string? fileName, long limit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Options.FilesPath);
        var id = NewFileId(kind);
        var path = Path.Combine(Options.FilesPath, id);
        long size;
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            var buffer = new byte[81920];
            int n;
            size = 0;
            while ((n = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += n;
                if (size > limit)
                {
                    file.Close();
                    File.Delete(path);
                    throw new Rules.BotApiException(413, "Request Entity Too Large");
                }
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        var entry = new FileEntry(id, "u" + id.GetHashCode().ToString("x8", System.Globalization.CultureInfo.InvariantCulture), path, size, mime, fileName);
        lock (bot.Lock) bot.Files[id] = entry;
        return entry;
    }
}
