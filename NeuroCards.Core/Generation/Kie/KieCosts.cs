using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;

namespace NeuroCards.Core.Generation.Kie;

/// <summary>
/// The cost ledger: every paid task with its price-list cost (kie_tasks, written with the task id), and the account's
/// balance as read (kie_balance), whose falls are what was really spent — concurrent tasks of several workers make a
/// per-task before/after reading meaningless, so the measured figure is per day.
/// </summary>
public sealed class KieCosts(Db db, IOptions<KieOptions> options)
{
    public Task RecordBalanceAsync(decimal credits, CancellationToken cancellationToken) =>
        db.ExecuteAsync("insert into kie_balance (checked_at, credits) values (now(), @credits) on conflict do nothing", new { credits }, cancellationToken);

    public async Task<KieDay> TodayAsync(CancellationToken cancellationToken)
    {
        var day = await db.SingleAsync<(decimal Listed, decimal Measured, long Readings, decimal? Balance, long Delivered, decimal SoldRubles)>("""
            with readings as (
                select credits, credits - lag(credits) over (order by checked_at) as change from kie_balance where checked_at >= current_date)
            -- the card videos' preview stills are KIE's too: on the books in card_preview_makings
            select (select coalesce(sum(credits), 0) from kie_tasks where created_at >= current_date)
                   + (select coalesce(sum(kie_credits), 0) from card_preview_makings where asked_at >= current_date),
                   -- a rise is a top-up, not income: only the falls count as spend
                   (select coalesce(-sum(change) filter (where change < 0), 0) from readings),
                   (select count(*) from readings),
                   (select credits from kie_balance order by checked_at desc limit 1),
                   (select count(*) from jobs where delivered_at >= current_date),
                   (select coalesce(sum(amount), 0) from payments where currency = 'RUB' and status = 'succeeded' and paid_at >= current_date)
            """, null, cancellationToken);
        var measured = day.Readings >= 2;
        var spent = measured ? day.Measured : day.Listed;
        return new KieDay(spent, measured, (int)day.Delivered, day.Delivered == 0 ? null : Math.Round(spent / day.Delivered, 2),
            day.SoldRubles, Math.Round(spent * options.Value.CreditRubles, 2), day.Balance);
    }

    /// <summary>KIE credits a day over the last week, by the price list (what the balance alert measures days against).</summary>
    public async Task<decimal> DailySpendAsync(CancellationToken cancellationToken) =>
        await db.SingleAsync<decimal>("""
            select ((select coalesce(sum(credits), 0) from kie_tasks where created_at >= now() - interval '7 days')
                    + (select coalesce(sum(kie_credits), 0) from card_preview_makings where asked_at >= now() - interval '7 days')) / 7
            """, null, cancellationToken);
}
