using NeuroCards.Core.Data;

namespace NeuroCards.Core.Telegram;

/// <summary>The file_id Telegram gave a stored video the first time it was uploaded, so the next chat gets it without an upload.</summary>
public sealed class TelegramFileIds(Db db)
{
    public Task<string?> FindAsync(string storageKey, CancellationToken cancellationToken) =>
        db.ScalarAsync<string>("select file_id from telegram_file_ids where storage_key = @storageKey", new { storageKey }, cancellationToken);

    public Task RememberAsync(string storageKey, string fileId, CancellationToken cancellationToken) =>
        db.ExecuteAsync("""
            insert into telegram_file_ids (storage_key, file_id) values (@storageKey, @fileId)
            on conflict (storage_key) do update set file_id = excluded.file_id, updated_at = now()
            """, new { storageKey, fileId }, cancellationToken);

    public Task ForgetAsync(string storageKey, CancellationToken cancellationToken) =>
        db.ExecuteAsync("delete from telegram_file_ids where storage_key = @storageKey", new { storageKey }, cancellationToken);
}
