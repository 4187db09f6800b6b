using System.Globalization;
using NeuroCards.Core.Cards;
using NeuroCards.Core.Data;
using NeuroCards.Core.Generation;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Money;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Texts;
using NeuroCards.Worker.Media;
using NeuroCards.Worker.Storyboards;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace NeuroCards.Worker.Cards;

/// <summary>
/// Makes the card video previews the bot asks for: the storyboard (written, rewritten after a typed change, or kept for a
/// re-draw), one still per scene from the seller's photo (KIE's image edit model when the worker renders with KIE, its
/// cost recorded first; ffmpeg otherwise, and for any still KIE did not draw), stored, then sent as an album with the script, the price and
/// the buttons under it. The previous preview's messages go. Nothing is charged; the stills are recorded before the album
/// is sent, so "🚀 Делаем" renders exactly what the seller saw.
/// </summary>
public sealed class PreviewMaker(
    CardPreviews previews,
    OrderDrafts drafts,
    IMediaStore store,
    StoryboardWriter writer,
    KeyframeMaker keyframes,
    KieStills kieStills,
    SpeechSynthesizer speech,
    Ffmpeg ffmpeg,
    ModelCatalog catalog,
    Ledger ledger,
    ITelegramBotClient telegram,
    TextCatalog texts,
    Microsoft.Extensions.Options.IOptions<CardVideoOptions> options,
    ILogger<PreviewMaker> logger) : PeriodicService(logger)
{
    // Previews are asked for by people waiting on them: looked for every second (an indexed probe of the requested ones).
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await previews.ClaimAsync(cancellationToken) is { } claimed) await MakeAsync(claimed.Preview, claimed.Lease, cancellationToken);
    }

    /// <summary>One preview, made and sent; a failure tells the seller nothing was charged.</summary>
    public async Task MakeAsync(CardPreview preview, Guid lease, CancellationToken cancellationToken)
    {
        var order = await drafts.GetAsync(preview.OrderId, cancellationToken);
        if (order is not { Status: "draft", PhotoKey: not null, Description: not null })
        {
            await previews.FailedAsync(preview.OrderId, lease, "the draft is gone", cancellationToken);
            return;
        }
        var work = Path.Combine(Path.GetTempPath(), "neurocards-previews", $"{preview.OrderId:N}-{lease:N}");
        Directory.CreateDirectory(work);
        var sent = new List<int>();
        try
        {
            var previous = preview.Storyboard is { } json ? StoryboardWriter.Parse(json) : null;
            // A re-draw keeps the script the seller saw; a typed change (or the first preview) writes it.
            var storyboard = previous is not null && preview.Change is null
                ? previous
                : (await writer.WriteAsync(order.Description, order.Wishes, cancellationToken, previous, preview.Change)).Storyboard;

            var photo = Path.Combine(work, "photo");
            await using (var stored = await store.OpenReadAsync(order.PhotoKey, cancellationToken)
                                      ?? throw new InvalidOperationException("the photo is not in storage"))
            await using (var file = System.IO.File.Create(photo))
            {
                await stored.Content.CopyToAsync(file, cancellationToken);
            }
            IReadOnlyList<string?>? drawn = null;
            if (kieStills.Enabled)
            {
                // On the books before KIE is asked: the seller's daily cap counts it even if this worker dies now.
                if (!await previews.ScriptAsync(order.Id, lease, storyboard.ToJson(), cancellationToken)
                    || !await previews.RecordStillsCostAsync(order.Id, lease, kieStills.CostOf(storyboard.Scenes.Count), cancellationToken)) return;
                var url = await store.GetSignedUrlAsync(order.PhotoKey, TimeSpan.FromHours(1), cancellationToken);
                drawn = await kieStills.DrawAsync(url, storyboard, order.Format, work, await previews.StillTasksAsync(order.Id, cancellationToken),
                    async task =>
                    {
                        if (!await previews.RecordStillTaskAsync(order.Id, lease, task, cancellationToken))
                            throw new InvalidOperationException("the preview was taken over while its stills were asked for");
                    }, cancellationToken);
            }
            var stills = await keyframes.MakeAsync(photo, storyboard, order.Format, work, cancellationToken, preview.Redraws, drawn);
            var making = Guid.NewGuid();
            var keys = new string[stills.Count];
            for (var i = 0; i < stills.Count; i++)
            {
                keys[i] = MediaKeys.Keyframe(order.Id, making, i + 1);
                // The clean still is kept: the scene's clip starts from it. The captioned one is only shown.
                await using var still = System.IO.File.OpenRead(stills[i].Clean);
                await store.PutAsync(keys[i], still, "image/jpeg", cancellationToken);
            }
            if (!await previews.MadeAsync(order.Id, lease, storyboard.ToJson(), storyboard.Scenes.Count, keys, cancellationToken))
            {
                logger.LogInformation("Preview of order {OrderId} was taken over before it was sent", order.Id);
                return;
            }

            await DeleteAsync(preview.ChatId, preview.MessageIds ?? [], cancellationToken);
            await SendAsync(order, preview, storyboard, stills, work, sent, cancellationToken);
            await previews.ReadyAsync(order.Id, lease, [.. sent], cancellationToken);
            logger.LogInformation("Preview of order {OrderId} sent: {Scenes} scenes, {Seconds} s", order.Id, storyboard.Scenes.Count, storyboard.Seconds);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong, the seller hears it once and may ask again; a preview is never left half-sent or
            // "making" for another worker to send again.
            logger.LogWarning(e, "Preview of order {OrderId} failed", preview.OrderId);
            if (await previews.FailedAsync(preview.OrderId, lease, e.GetType().Name, cancellationToken))
            {
                await DeleteAsync(preview.ChatId, sent, cancellationToken);
                await telegram.SendMessage(preview.ChatId, texts.Get(order.Language, "card.failed"), parseMode: ParseMode.Html,
                    replyMarkup: new InlineKeyboardMarkup([
                        [InlineKeyboardButton.WithCallbackData(texts.Get(order.Language, "card.redo", ("left", Left(preview))), CardButton.Data(CardButton.Action.Redo, order.Id))],
                        [InlineKeyboardButton.WithCallbackData(texts.Get(order.Language, "button.back"), CardButton.Data(CardButton.Action.Back, order.Id))],
                    ]), cancellationToken: cancellationToken);
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private int Left(CardPreview preview) => Math.Max(0, options.Value.Redraws - preview.Redraws);

    /// <summary>
    /// The previous preview's messages (a chat shows one preview, the one "Делаем" charges for), or what a failed one had sent.
    /// </summary>
    private async Task DeleteAsync(long chatId, IReadOnlyList<int> messageIds, CancellationToken cancellationToken)
    {
        foreach (var id in messageIds)
        {
            try
            {
                await telegram.DeleteMessage(chatId, id, cancellationToken);
            }
            catch (ApiRequestException e)
            {
                // Too old to delete, or deleted by the seller: it stays, the buttons under it answer as stale.
                logger.LogDebug("Old preview message {MessageId} not deleted: {Reason}", id, e.Message);
            }
        }
    }

    /// <summary>The album, the voice sample and the script with its buttons; each message's id goes into <paramref name="sent"/> as it is sent.</summary>
    private async Task SendAsync(OrderDraft order, CardPreview preview, Storyboard storyboard, IReadOnlyList<Keyframe> stills, string work,
        List<int> sent, CancellationToken cancellationToken)
    {
        var voice = CardVoice.Find(preview.Voice);
        var lang = order.Language;
        var streams = stills.Select(s => System.IO.File.OpenRead(s.Captioned)).ToList();
        try
        {
            var album = await telegram.SendMediaGroup(preview.ChatId,
                streams.Select((s, i) => (IAlbumInputMedia)new InputMediaPhoto(InputFile.FromStream(s, $"scene-{i + 1}.jpg"))),
                cancellationToken: cancellationToken);
            sent.AddRange(album.Select(m => m.MessageId));
            var sample = await SampleAsync(preview.ChatId, order, voice, storyboard, work, cancellationToken);
            if (sample is { } voiceMessage) sent.Add(voiceMessage);
            var offered = await catalog.OfferedAsync(cancellationToken);
            var model = offered.Count > 0 ? offered[0] : null;
            var cost = CardPreviews.Price(model?.Price ?? 1, storyboard.Scenes.Count);
            var balance = await ledger.GetBalanceAsync(order.UserId, cancellationToken);
            var script = await telegram.SendMessage(preview.ChatId, Text(lang, storyboard, order, cost, balance, Left(preview)), parseMode: ParseMode.Html,
                replyMarkup: new InlineKeyboardMarkup([
                    [InlineKeyboardButton.WithCallbackData(texts.Get(lang, "card.go", ("cost", texts.Plural(lang, "credits", cost))), CardButton.Data(CardButton.Action.Go, order.Id))],
                    [InlineKeyboardButton.WithCallbackData(texts.Get(lang, "card.edit"), CardButton.Data(CardButton.Action.Edit, order.Id)),
                     InlineKeyboardButton.WithCallbackData(texts.Get(lang, "card.redo", ("left", Left(preview))), CardButton.Data(CardButton.Action.Redo, order.Id))],
                    // Another voice comes with its sample; another frame redraws the stills in it (the script stays either way).
                    CardVoice.All.Select(v => InlineKeyboardButton.WithCallbackData(
                        (v == voice ? "✅ " : "🎙 ") + texts.Get(lang, v.TitleKey), CardButton.Data(v, order.Id))).ToArray(),
                    Enum.GetValues<VideoFormat>().Select(f => InlineKeyboardButton.WithCallbackData(
                        (f == order.Format ? "✅ " : "") + f.Ratio(), CardButton.Data(f, order.Id))).ToArray(),
                    [InlineKeyboardButton.WithCallbackData(texts.Get(lang, "button.back"), CardButton.Data(CardButton.Action.Back, order.Id))],
                ]), cancellationToken: cancellationToken);
            sent.Add(script.MessageId);
        }
        finally
        {
            foreach (var s in streams) await s.DisposeAsync();
        }
    }

    /// <summary>«5,5» in Russian, «5.5» in English: the worker runs without ICU (invariant globalization), so not through a culture.</summary>
    private static string Seconds(string lang, double seconds)
    {
        var text = seconds.ToString("0.#", CultureInfo.InvariantCulture);
        return lang == "ru" ? text.Replace('.', ',') : text;
    }

    /// <summary>The headline read in the picked voice (about 3 s), as a voice message; null when no voice can speak here.</summary>
    private async Task<int?> SampleAsync(long chatId, OrderDraft order, CardVoice voice, Storyboard storyboard, string work, CancellationToken cancellationToken)
    {
        var wav = Path.Combine(work, "sample.wav");
        if (!await speech.SpeakAsync(storyboard.Headline + ".", wav, cancellationToken, voice)) return null;
        var ogg = Path.Combine(work, "sample.ogg");
        await ffmpeg.TranscodeAsync(["-i", wav, "-c:a", "libopus", "-b:a", "32k", ogg], cancellationToken);
        var seconds = (await ffmpeg.ProbeAsync(ogg, cancellationToken)).DurationSeconds;
        await using var stream = System.IO.File.OpenRead(ogg);
        var sent = await telegram.SendVoice(chatId, InputFile.FromStream(stream, "voice.ogg"),
            caption: texts.Get(order.Language, "card.voice_sample", ("voice", texts.Get(order.Language, voice.TitleKey))),
            duration: (int)Math.Ceiling(seconds), cancellationToken: cancellationToken);
        return sent.MessageId;
    }

    /// <summary>The script as the seller reads it: the headline, then each scene's caption, voice line and length.</summary>
    private string Text(string lang, Storyboard storyboard, OrderDraft order, int cost, int balance, int left)
    {
        var lines = storyboard.Scenes.Select((s, i) => texts.Get(lang, s.Caption.Length > 0 ? "card.scene" : "card.scene_no_caption",
            ("index", i + 1), ("caption", Html.Escape(s.Caption)), ("voice", Html.Escape(s.Voice.Replace("\u0301", ""))),
            ("seconds", Seconds(lang, s.Seconds))));
        return texts.Get(lang, "card.preview",
            ("seconds", Seconds(lang, Math.Round(storyboard.Seconds))), ("scenes", texts.Plural(lang, "scenes", storyboard.Scenes.Count)),
            ("headline", Html.Escape(storyboard.Headline)), ("lines", string.Join("\n", lines)),
            ("format", texts.Get(lang, "format." + order.Format.ToDb())), ("cost", texts.Plural(lang, "credits", cost)),
            ("balance", texts.Plural(lang, "credits", balance)), ("left", left));
    }
}
