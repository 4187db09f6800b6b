using NeuroCards.Core.Data;
using NeuroCards.Core.Hosting;
using NeuroCards.Core.Marketplaces;
using NeuroCards.Core.Marketplaces.Ozon;
using NeuroCards.Core.Marketplaces.Wildberries;
using NeuroCards.Core.Marketplaces.YandexMarket;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Shops;
using NeuroCards.Core.Storage;
using NeuroCards.Core.Texts;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace NeuroCards.Worker.Publishing;

/// <summary>
/// Puts delivered videos on marketplace cards, one leased publication at a time: Wildberries takes the file itself
/// (multipart to content/v3/media/file); Ozon and Yandex Market fetch it from our public copy, made and recorded before
/// they are told its address, and are then asked until the card has it or they say why not. A 429 waits as long as the
/// marketplace says; a passing failure backs off; a refusal is shown to the seller in the marketplace's words. The
/// seller's one message turns into «✅ на карточке» or the reason. A worker that dies leaves its lease to expire.
/// </summary>
public sealed class Publisher(
    Publications publications,
    Shops shops,
    JobQueue queue,
    IMediaStore store,
    WildberriesContentApi wildberries,
    OzonApi ozon,
    YandexMarketApi yandexMarket,
    ITelegramBotClient telegram,
    TextCatalog texts,
    Microsoft.Extensions.Options.IOptions<WorkerOptions> options,
    ILogger<Publisher> logger) : PeriodicService(logger)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(3);
    public const int MaxAttempts = 8;

    /// <summary>How long a marketplace may take to fetch a video before the seller is told it did not.</summary>
    public static readonly TimeSpan FetchLimit = TimeSpan.FromHours(24);

    /// <summary>"Permanent" for Yandex Market: the link lives until the seller disconnects the shop.</summary>
    private static readonly TimeSpan PublicFor = TimeSpan.FromDays(3650);

    // Sellers wait on these: looked for every second (an indexed probe of the due ones), all that are due taken in turn.
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await publications.ClaimAsync(TimeSpan.FromSeconds(options.Value.PublishLeaseSeconds), cancellationToken) is { } claimed)
        {
            await PublishAsync(claimed.Publication, claimed.Lease, cancellationToken);
        }
        await RemoveOrphanedCopiesAsync(cancellationToken);
    }

    public async Task PublishAsync(Publication publication, Guid lease, CancellationToken cancellationToken)
    {
        using var activity = Pipeline.StageRunner.Activity.StartActivity("publish video");
        activity?.SetTag("neurocards.publication_id", publication.Id);
        activity?.SetTag("neurocards.marketplace", publication.Marketplace);
        var shop = await shops.FindAsync(publication.ShopId, cancellationToken);
        var job = await queue.GetAsync(publication.JobId, cancellationToken);
        if (shop is null || job?.ResultKey is null)
        {
            await FailAsync(publication, lease, T(publication, shop is null ? "pub.reason.shop_removed" : "pub.reason.no_video"), cancellationToken);
            return;
        }
        if (publication.MessageId is null && publication.BatchId is null)
        {
            var sent = await telegram.SendMessage(publication.ChatId, T(publication, "pub.sending", ("place", Place(publication)), ("card", Html.Escape(publication.Card))),
                ParseMode.Html, cancellationToken: cancellationToken);
            await publications.SetMessageAsync(publication.Id, lease, sent.MessageId, cancellationToken);
            publication = publication with { MessageId = sent.MessageId };
        }
        try
        {
            var secret = shops.SecretOf(shop);
            var outcome = publication.Status == PublicationState.Sent
                ? await CheckAsync(publication, shop, secret, cancellationToken)
                : await SendAsync(publication, shop, secret, job.ResultKey, lease, cancellationToken);
            switch (outcome)
            {
                case Outcome.Published published:
                    if (!await publications.PublishedAsync(publication.Id, lease, cancellationToken)) return;
                    logger.LogInformation("Publication {PublicationId} is on {Marketplace} card {Card}", publication.Id, publication.Marketplace, publication.Card);
                    await TellAsync(publication, T(publication, "pub.done", ("place", Place(publication)), ("url", Html.Escape(published.CardUrl)),
                        ("card", Html.Escape(publication.Card))), cancellationToken);
                    break;
                case Outcome.Waiting waiting:
                    if (DateTime.UtcNow - publication.CreatedAt > FetchLimit)
                    {
                        await FailAsync(publication, lease, T(publication, "pub.reason.not_fetched", ("place", Place(publication))), cancellationToken);
                        return;
                    }
                    await publications.SentAsync(publication.Id, lease, waiting.RemoteTask, CheckEvery, cancellationToken);
                    if (publication.Status == PublicationState.Queued)
                        await TellAsync(publication, T(publication, "pub.checking", ("place", Place(publication)), ("card", Html.Escape(publication.Card))), cancellationToken);
                    break;
                case Outcome.Refused refused:
                    await FailAsync(publication, lease, refused.Reason, cancellationToken);
                    break;
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed under another Shops__SecretKey (the operator changed it): only a new key from the seller helps.
            logger.LogWarning("The key of shop {ShopId} does not open with this Shops__SecretKey", shop.Id);
            await FailAsync(publication, lease, T(publication, "pub.reason.unauthorized"), cancellationToken);
        }
        catch (MarketplaceException e) when (e.Error == MarketplaceError.RateLimited)
        {
            logger.LogInformation("{Marketplace} asked publication {PublicationId} to wait {Wait}", publication.Marketplace, publication.Id, e.RetryAfter);
            await publications.LaterAsync(publication.Id, lease, e.RetryAfter ?? TimeSpan.FromSeconds(10), countsAsAttempt: false, "429", cancellationToken);
        }
        catch (MarketplaceException e) when (e.Error != MarketplaceError.Unavailable)
        {
            logger.LogInformation("{Marketplace} refused publication {PublicationId}: {Error}", publication.Marketplace, publication.Id, e.Error);
            await FailAsync(publication, lease, e.Error switch
            {
                MarketplaceError.Unauthorized => T(publication, "pub.reason.unauthorized"),
                MarketplaceError.Forbidden => T(publication, "pub.reason.forbidden", ("reason", Html.Escape(e.Reason))),
                _ => Html.Escape(e.Reason),
            }, cancellationToken);
        }
        catch (Exception e) when (e is MarketplaceException or HttpRequestException or IOException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(e, "Publication {PublicationId} to {Marketplace} failed for now (attempt {Attempt})", publication.Id, publication.Marketplace,
                publication.Attempts + 1);
            if (publication.Attempts + 1 >= MaxAttempts)
            {
                await FailAsync(publication, lease, T(publication, "pub.reason.unavailable", ("place", Place(publication)), ("n", MaxAttempts)), cancellationToken);
                return;
            }
            await publications.LaterAsync(publication.Id, lease, TimeSpan.FromSeconds(5 * Math.Pow(2, publication.Attempts)), countsAsAttempt: true,
                e.GetType().Name, cancellationToken);
        }
    }

    private async Task<Outcome> SendAsync(Publication publication, Shop shop, string secret, string resultKey, Guid lease, CancellationToken cancellationToken)
    {
        switch (shop.Kind)
        {
            case Marketplace.Wb:
                if (!long.TryParse(publication.Card, out var nmId)) return new Outcome.Refused(T(publication, "pub.reason.bad_card"));
                await using (var video = await store.OpenReadAsync(resultKey, cancellationToken)
                                         ?? throw new InvalidOperationException("the video is missing from storage"))
                {
                    if (video.Length > WildberriesContentApi.MaxVideoBytes) return new Outcome.Refused(T(publication, "pub.reason.too_large"));
                    await wildberries.UploadVideoAsync(secret, nmId, video.Content, video.Length, cancellationToken);
                }
                return new Outcome.Published(WildberriesContentApi.CardUrl(nmId));
            case Marketplace.Ozon:
                var ozonUrl = await PublicCopyAsync(publication, resultKey, lease, cancellationToken);
                var task = await ozon.SetVideoAsync(shop.Account, secret, publication.Card, ozonUrl, $"NeuroCards {publication.Card}", cancellationToken);
                return new Outcome.Waiting(task.ToString(System.Globalization.CultureInfo.InvariantCulture));
            default:
                var url = await PublicCopyAsync(publication, resultKey, lease, cancellationToken);
                await yandexMarket.AddVideoAsync(secret, shop.Account, publication.Card, url, cancellationToken);
                return new Outcome.Waiting(null);
        }
    }

    private async Task<Outcome> CheckAsync(Publication publication, Shop shop, string secret, CancellationToken cancellationToken)
    {
        if (shop.Kind == Marketplace.Ozon)
        {
            if (!long.TryParse(publication.RemoteTask, out var task)) return new Outcome.Refused(T(publication, "pub.reason.no_video"));
            return await ozon.ImportInfoAsync(shop.Account, secret, task, publication.Card, cancellationToken) switch
            {
                OzonImport.Imported imported => new Outcome.Published(OzonApi.CardUrl(imported.ProductId)),
                OzonImport.Failed failed => new Outcome.Refused(Html.Escape(failed.Reason)),
                _ => new Outcome.Waiting(publication.RemoteTask),
            };
        }
        var videos = await yandexMarket.VideosAsync(secret, shop.Account, publication.Card, cancellationToken);
        return videos is not null && publication.PublicUrl is { } ours && videos.Contains(ours)
            ? new Outcome.Published(YandexMarketApi.CardUrl(shop.Account, publication.Card))
            : new Outcome.Waiting(null);
    }

    /// <summary>A copy of the video under a key nobody can guess, with a long-lived link, recorded before anyone is given it.</summary>
    private async Task<Uri> PublicCopyAsync(Publication publication, string resultKey, Guid lease, CancellationToken cancellationToken)
    {
        if (publication.PublicUrl is { } known) return new Uri(known);
        var key = $"public/{publication.Id:N}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12))}.mp4";
        await using (var video = await store.OpenReadAsync(resultKey, cancellationToken) ?? throw new InvalidOperationException("the video is missing from storage"))
        {
            await store.PutAsync(key, video.Content, "video/mp4", cancellationToken);
        }
        var url = await store.GetSignedUrlAsync(key, PublicFor, cancellationToken);
        if (!await publications.SetPublicCopyAsync(publication.Id, lease, key, url.AbsoluteUri, cancellationToken))
        {
            await store.DeleteAsync(key, cancellationToken);
            throw new OperationCanceledException("the publication was taken over");
        }
        return url;
    }

    private async Task FailAsync(Publication publication, Guid lease, string reason, CancellationToken cancellationToken)
    {
        if (!await publications.FailedAsync(publication.Id, lease, reason, cancellationToken)) return;
        await TellAsync(publication, T(publication, "pub.failed", ("place", Place(publication)), ("card", Html.Escape(publication.Card)), ("reason", reason)),
            cancellationToken);
    }

    /// <summary>The seller's one message for this publication (a batch's cards are told in the batch's message instead).</summary>
    private async Task TellAsync(Publication publication, string text, CancellationToken cancellationToken)
    {
        if (publication.MessageId is not { } messageId) return;
        try
        {
            await telegram.EditMessageText(publication.ChatId, messageId, text, ParseMode.Html, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is Telegram.Bot.Exceptions.ApiRequestException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not tell the seller how publication {PublicationId} went", publication.Id);
        }
    }

    private async Task RemoveOrphanedCopiesAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, key) in await publications.OrphanedCopiesAsync(cancellationToken))
        {
            await store.DeleteAsync(key, cancellationToken);
            await publications.ForgetCopyAsync(id, cancellationToken);
            logger.LogInformation("Public copy of publication {PublicationId} removed: its shop was disconnected", id);
        }
    }

    private string Place(Publication publication) => T(publication, "place." + publication.Marketplace);

    private string T(Publication publication, string key, params (string, object?)[] args) => texts.Get(publication.Language, key, args);

    private abstract record Outcome
    {
        public sealed record Published(string CardUrl) : Outcome;

        public sealed record Waiting(string? RemoteTask) : Outcome;

        public sealed record Refused(string Reason) : Outcome;
    }
}
