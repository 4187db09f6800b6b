using System.Globalization;
using System.Text;
using NeuroCards.Bot.Account;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Storage;
using static NeuroCards.Bot.MiniApp.MiniAppPage;

namespace NeuroCards.Bot.MiniApp;

/// <summary>The seller's delivered videos, newest first: play in place, send to the chat, download, share, put on a card.</summary>
public sealed class GalleryPage(OrderHistory history, Core.Shops.Shops shops, IMediaStore media, MiniAppPage page)
{
    /// <summary>Videos a page: «Показать ещё» brings the next ones.</summary>
    public const int PageSize = 30;

    /// <summary>Signed links outlive a long look at the gallery; the page itself asks again each time it is opened.</summary>
    private static readonly TimeSpan LinkFor = TimeSpan.FromHours(6);

    /// <summary>The first page in its grid; a later one (<paramref name="offset"/> &gt; 0) as the videos alone, to be added to it.</summary>
    public async Task<string> RenderAsync(MiniAppUser user, int offset, CancellationToken cancellationToken)
    {
        string T(string key, params (string, object?)[] args) => page.T(user, key, args);
        var videos = await history.GalleryAsync(user.Id, offset, PageSize + 1, cancellationToken);
        if (videos.Count == 0 && offset == 0) return $"""<p class="empty">{T("app.gallery.empty")}</p>""";
        var more = videos.Count > PageSize;
        var connected = await shops.ListAsync(user.Id, cancellationToken);
        var html = new StringBuilder(offset == 0 ? """<section class="gallery">""" : "");
        foreach (var v in videos.Take(PageSize))
        {
            var url = v.ResultKey is null ? null : (await media.GetSignedUrlAsync(v.ResultKey, LinkFor, cancellationToken)).ToString();
            var product = ProductName.Of(v.Description, 60);
            var name = $"neurocards-{v.OrderId.ToString("N")[..8]}-{v.Index + 1}.mp4";
            html.Append(CultureInfo.InvariantCulture, $"""<article class="video" data-id="{v.Id:N}">""");
            html.Append(url is null ? """<div class="frame none">🎬</div>"""
                : $"""<video class="frame" controls playsinline preload="metadata" src="{E(url)}#t=0.1"></video>""");
            html.Append(CultureInfo.InvariantCulture, $"""<div class="meta"><b>{E(product)}</b><br>{T("template." + v.Template.ToDb())} · {E(v.Frame)}""");
            if (v.ResultDuration is { } seconds) html.Append(CultureInfo.InvariantCulture, $" · {Math.Round(seconds):0} {T("app.seconds")}");
            html.Append(CultureInfo.InvariantCulture, $" · {AccountView.MoscowTime(v.DeliveredAt, "dd.MM.yyyy")}");
            if (v.Marketplaces.Count > 0)
                html.Append(CultureInfo.InvariantCulture, $"""<br><span class="on-cards">{T("app.on_cards", ("places", string.Join(", ", v.Marketplaces.Select(m => T("place." + m)))))}</span>""");
            html.Append("</div>");
            html.Append("""<div class="actions">""");
            html.Append(CultureInfo.InvariantCulture, $"""<button data-act="send" data-id="{v.Id:N}">{T("app.button.send")}</button>""");
            if (url is not null) html.Append(CultureInfo.InvariantCulture, $"""<a class="button" data-act="download" href="{E(url)}" download="{name}" data-name="{name}">{T("app.button.download")}</a>""");
            if (v.TelegramFileId is not null) html.Append(CultureInfo.InvariantCulture, $"""<button data-act="share" data-id="{v.Id:N}">{T("app.button.share")}</button>""");
            html.Append("</div>");
            if (v.FitsCard && connected.Count > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<form class="publish" data-act="publish" data-id="{v.Id:N}"><select name="shop">""");
                foreach (var shop in connected)
                    html.Append(CultureInfo.InvariantCulture, $"""<option value="{shop.Id:N}">{T("place." + shop.Marketplace)} · {E(shop.Account)}</option>""");
                html.Append(CultureInfo.InvariantCulture, $"""</select><input name="card" value="{E(v.Article)}" placeholder="{T("app.publish.card")}" maxlength="80">""");
                html.Append(CultureInfo.InvariantCulture, $"""<button>{T("app.button.publish")}</button></form>""");
            }
            html.Append("</article>");
        }
        if (offset == 0) html.Append("</section>");
        if (more) html.Append(CultureInfo.InvariantCulture, $"""<button class="more" data-act="more" data-offset="{offset + PageSize}">{T("app.gallery.more")}</button>""");
        return html.ToString();
    }
}
