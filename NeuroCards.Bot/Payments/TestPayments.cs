using Microsoft.Extensions.Options;
using NeuroCards.Core.Data;
using NeuroCards.Core.Payments;
using NeuroCards.Core.Telegram;

namespace NeuroCards.Bot.Payments;

/// <summary>A payment that costs nothing, to try the flow: only in Development and only for admins.</summary>
public sealed class TestPayments(PaymentStore payments, PurchaseCrediting crediting, IOptions<TelegramOptions> telegram, IHostEnvironment environment)
{
    public bool Allowed(long userId) => environment.IsDevelopment() && telegram.Value.Admins.Contains(userId);

    public async Task PayAsync(long userId, CreditPack pack, Guid? orderId, CancellationToken cancellationToken)
    {
        // Committed before the credit, which commits on its own too and must find it.
        var test = await Db.OutsideUnitOfWorkAsync(() => payments.CreateAsync(userId, PaymentProvider.Test, pack, orderId, cancellationToken));
        await crediting.CreditAsync(test.Id, PaymentProvider.Test, "test-" + test.Id.ToString("N"), cancellationToken);
    }
}
