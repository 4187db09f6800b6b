using NeuroCards.Core.Data;
using NeuroCards.Core.Texts;

namespace NeuroCards.Bot.MiniApp;

/// <summary>What every Mini App page needs: the user's language (the one the bot speaks with them) and its texts.</summary>
public sealed class MiniAppPage(Db db, TextCatalog texts)
{
    public TextCatalog Texts => texts;

    /// <summary>The user as the bot knows them: their language, or null when they never started the bot (nothing to show).</summary>
    public async Task<MiniAppUser?> UserAsync(long userId, CancellationToken cancellationToken) =>
        await db.ScalarAsync<string>("select language from users where id = @userId", new { userId }, cancellationToken) is { } language
            ? new MiniAppUser(userId, language)
            : null;

    /// <summary>A text in the user's language.</summary>
    public string T(MiniAppUser user, string key, params (string, object?)[] args) => texts.Get(user.Language, key, args);

    public static string E(string? text) => Html.Escape(text ?? "");
}
