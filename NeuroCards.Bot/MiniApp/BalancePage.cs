using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using NeuroCards.Bot.Payments;
using NeuroCards.Bot.Payments.YooKassa;
using NeuroCards.Core.Money;
using NeuroCards.Core.Payments;

namespace NeuroCards.Bot.MiniApp;

/// <summary>The balance and the packs: Stars paid inside the Mini App (openInvoice), a card on YooKassa's page outside it.</summary>
public sealed class BalancePage(Ledger ledger, PaymentStore payments, IOptions<YooKassaOptions> yooKassa, MiniAppPage page)
{
    public async Task<string> RenderAsync(MiniAppUser user, CancellationToken cancellationToken)
    {
        var texts = page.Texts;
        var language = user.Language;
        var balance = await ledger.GetBalanceAsync(user.Id, cancellationToken);
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<p class="balance" data-balance="{balance}" data-credited="{MiniAppPage.E(texts.Get(language, "app.credited"))}" data-failed="{MiniAppPage.E(texts.Get(language, "app.pay_failed"))}">{texts.Get(language, "app.balance", ("credits", texts.Plural(language, "credits", balance)))}</p><section class="packs">""");
        foreach (var pack in await payments.PacksAsync(cancellationToken))
        {
            var credits = texts.Plural(language, "credits", pack.Credits);
            html.Append(CultureInfo.InvariantCulture, $"""<article class="pack"><div class="meta"><b>{credits}</b> · {texts.Get(language, "app.pack.per_video", ("rub", Rubles.Format(Math.Round(pack.PriceRub / pack.Credits))))}</div><div class="actions">""");
            html.Append(CultureInfo.InvariantCulture, $"""<button data-act="stars" data-pack="{pack.Id}">{texts.Get(language, "app.button.stars", ("stars", pack.PriceStars))}</button>""");
            if (yooKassa.Value.Configured)
                html.Append(CultureInfo.InvariantCulture, $"""<button data-act="card" data-pack="{pack.Id}">{texts.Get(language, "app.button.card", ("rub", Rubles.Format(pack.PriceRub)))}</button>""");
            html.Append("</div></article>");
        }
        return html.Append("</section>").ToString();
    }
}
