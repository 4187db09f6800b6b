using Microsoft.Extensions.Options;
using NeuroCards.Core.Cards;

namespace NeuroCards.Tests.Core.Cards;

/// <summary>
/// What a seller may ask of card video previews, for free: one at a time per order, the stated number of re-draws, and a
/// day's worth — counted in previews and in what their stills cost us at KIE — across all their orders.
/// </summary>
public sealed class CardPreviewsTests : IAsyncLifetime
{
    private readonly DatabaseFixture db = new();

    public ValueTask InitializeAsync() => db.InitializeAsync();

    public ValueTask DisposeAsync() => db.DisposeAsync();

    private CardPreviews Previews(int redraws = 1, int perDay = 3, decimal creditsPerDay = 100) => new(db.Db,
        Options.Create(new CardVideoOptions { Redraws = redraws, PreviewsPerDay = perDay, PreviewKieCreditsPerDay = creditsPerDay }), TimeProvider.System);

    private async Task<(long UserId, Guid OrderId)> CardDraftAsync(long? userId = null)
    {
        var user = userId ?? TestData.NewUserId();
        await db.Ledger.EnsureUserAsync(user, null, "Анна", "ru");
        return (user, await TestData.DraftOrderAsync(db.DataSource, user, 1, "card"));
    }

    private async Task ReadyAsync(Guid orderId)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("update card_previews set state = 'ready' where order_id = @orderId", new { orderId });
    }

    private async Task<PreviewRequest> AskAsync(CardPreviews previews, long userId, Guid orderId, bool redraw = false) =>
        await previews.RequestAsync(orderId, userId, userId, null, redraw, CancellationToken.None);

    [Fact]
    public async Task One_preview_at_a_time_the_stated_redraws_and_a_days_worth_across_orders()
    {
        var previews = Previews(redraws: 1, perDay: 3);
        var (userId, first) = await CardDraftAsync();

        Assert.Equal(PreviewRequest.Requested, await AskAsync(previews, userId, first));
        Assert.Equal(PreviewRequest.Busy, await AskAsync(previews, userId, first, redraw: true)); // still being made: not counted
        await ReadyAsync(first);
        Assert.Equal(PreviewRequest.Requested, await AskAsync(previews, userId, first, redraw: true));
        await ReadyAsync(first);
        Assert.Equal(PreviewRequest.RedrawLimit, await AskAsync(previews, userId, first, redraw: true));

        // Two previews made today; another order's first is the third, and the fourth of the day is refused.
        var (_, second) = await CardDraftAsync(userId);
        Assert.Equal(PreviewRequest.Requested, await AskAsync(previews, userId, second));
        await ReadyAsync(second);
        var (_, third) = await CardDraftAsync(userId);
        Assert.Equal(PreviewRequest.DailyLimit, await AskAsync(previews, userId, third));

        // Another seller's day is their own.
        var (other, theirs) = await CardDraftAsync();
        Assert.Equal(PreviewRequest.Requested, await AskAsync(previews, other, theirs));
    }

    [Fact]
    public async Task A_day_of_stills_that_cost_KIE_the_cap_stops_the_next_preview()
    {
        var previews = Previews(perDay: 100, creditsPerDay: 10);
        var (userId, first) = await CardDraftAsync();
        Assert.Equal(PreviewRequest.Requested, await AskAsync(previews, userId, first));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            // Three stills by KIE's price list, on the books as the worker writes them.
            await conn.ExecuteAsync("update card_preview_makings set kie_credits = 12 where order_id = @first", new { first });
        }
        await ReadyAsync(first);

        var (_, second) = await CardDraftAsync(userId);
        Assert.Equal(PreviewRequest.DailyLimit, await AskAsync(previews, userId, second));
    }
}
