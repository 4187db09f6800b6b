namespace NeuroCards.TelegramEmulator.State;

/// <summary>A file the emulator holds (uploaded by the bot or sent by a user), on disk, never in memory.</summary>
public sealed record FileEntry(string FileId, string FileUniqueId, string Path, long Size, string? MimeType, string? FileName);
