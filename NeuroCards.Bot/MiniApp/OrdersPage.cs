using System.Globalization;
using System.Text;
using NeuroCards.Bot.Account;
using NeuroCards.Core.Data;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Publishing;
using NeuroCards.Core.Queue;
using static NeuroCards.Bot.MiniApp.MiniAppPage;

namespace NeuroCards.Bot.MiniApp;

/// <summary>Orders with each video's state, why one failed and whether its credit came back; catalogue batches with pause and cancel.</summary>
public sealed class OrdersPage(OrderHistory history, Batches batches, MiniAppPage page)
{
    public async Task<string> RenderAsync(MiniAppUser user, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        foreach (var batch in await batches.RecentAsync(user.Id, 5, cancellationToken))
            html.Append(await BatchAsync(user, batch, cancellationToken));
        var orders = await history.RecentAsync(user.Id, 20, cancellationToken);
        if (orders.Count == 0 && html.Length == 0) return $"""<p class="empty">{page.T(user, "app.orders.empty")}</p>""";
        var jobs = (await history.JobsAsync(user.Id, orders.Select(o => o.Id).ToArray(), cancellationToken)).ToLookup(j => j.OrderId);
        foreach (var order in orders) html.Append(Order(user, order, jobs[order.Id]));
        return html.ToString();
    }

    /// <summary>One order of the user's, or null for anyone else's.</summary>
    public async Task<string?> RenderOneAsync(MiniAppUser user, Guid orderId, CancellationToken cancellationToken)
    {
        if (await history.PlacedAsync(orderId, user.Id, cancellationToken) is not { } order) return null;
        return Order(user, order, await history.JobsAsync(user.Id, [orderId], cancellationToken));
    }

    private string Order(MiniAppUser user, OrderLine order, IEnumerable<OrderJobLine> jobs)
    {
        string T(string key, params (string, object?)[] args) => page.T(user, key, args);
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<article class="order" data-order="{order.Id:N}"><div class="meta">""");
        html.Append(CultureInfo.InvariantCulture, $"""<b>{E(ProductName.Of(order.Description, 60))}</b><br>{T("template." + (order.Template ?? VideoTemplate.Ugc).ToDb())}""");
        html.Append(CultureInfo.InvariantCulture, $""" · {AccountView.MoscowTime(order.CreatedAt, "dd.MM HH:mm")} · {T("account.status." + order.Status)}</div><ul class="jobs">""");
        foreach (var job in jobs)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<li class="job {E(job.Status)}">{job.Index + 1}. {T("app.job." + job.Status)}""");
            if (job.Status == "running") html.Append(CultureInfo.InvariantCulture, $" — {T("app.stage." + StageWord(job.Stage))}");
            if (job.Status == "failed")
            {
                var told = FailureTelling.ToldAs(DbText.TryParse<FailureClass>(job.ErrorClass, out var failure) ? failure : FailureClass.Unknown);
                html.Append(CultureInfo.InvariantCulture, $"""<div class="reason">{T("worker.fail." + told.ToDb())}</div>""");
            }
            if (job.Refunded) html.Append(CultureInfo.InvariantCulture, $"""<div class="refund">{T("app.job.refunded")}</div>""");
            html.Append("</li>");
        }
        return html.Append("</ul></article>").ToString();
    }

    /// <summary>The stages a seller tells apart: writing, rendering, uploading.</summary>
    private static string StageWord(string stage) => stage switch
    {
        "prompt" or "card_photo" => "prompt",
        "deliver" or "store" or "format" => "deliver",
        _ => "render",
    };

    private async Task<string> BatchAsync(MiniAppUser user, Batch batch, CancellationToken cancellationToken)
    {
        string T(string key, params (string, object?)[] args) => page.T(user, key, args);
        var progress = await batches.ProgressAsync(batch.Id, cancellationToken);
        var state = progress.Finished && batch.State != "cancelled" ? "done" : batch.State;
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<article class="batch" data-batch="{batch.Id:N}"><div class="meta"><b>{T("app.batch.title", ("total", batch.Total))}</b> · {T("app.batch.state." + state)}</div>""");
        var done = progress.Total == 0 ? 0 : (progress.Made + progress.Failed + progress.Cancelled) * 100 / progress.Total;
        html.Append(CultureInfo.InvariantCulture, $"""<div class="bar"><i style="width:{Math.Min(done, 100)}%"></i></div>""");
        html.Append(CultureInfo.InvariantCulture, $"""<div>{T("app.batch.progress", ("made", progress.Made), ("total", progress.Total), ("published", progress.Published), ("failed", progress.Failed))}</div>""");
        if (state is "running" or "paused")
        {
            html.Append("""<div class="actions">""");
            html.Append(state == "running"
                ? $"""<button data-act="batch" data-verb="pause" data-id="{batch.Id:N}">{T("batch.button.pause")}</button>"""
                : $"""<button data-act="batch" data-verb="resume" data-id="{batch.Id:N}">{T("batch.button.resume")}</button>""");
            html.Append(CultureInfo.InvariantCulture, $"""<button data-act="batch" data-verb="cancel" data-id="{batch.Id:N}" data-confirm="{E(T("app.batch.confirm_cancel"))}">{T("batch.button.cancel")}</button></div>""");
        }
        return html.Append("</article>").ToString();
    }
}
