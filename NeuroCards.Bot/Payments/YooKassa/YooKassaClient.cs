using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NeuroCards.Core.Payments;

namespace NeuroCards.Bot.Payments.YooKassa;

/// <summary>
/// YooKassa's REST API (Basic auth with shop id and secret key). Creating a payment is sent once
/// per payment id (the Idempotence-Key), never retried blindly by the HTTP handler.
/// </summary>
public sealed class YooKassaClient(IHttpClientFactory httpClients, IOptions<YooKassaOptions> options)
{
    /// <summary>The named HTTP client (base address, Basic auth, resilience) this client sends through.</summary>
    public const string HttpClientName = "yookassa";

    private HttpClient Http => httpClients.CreateClient(HttpClientName);

    public async Task<YooKassaPayment> CreateAsync(Payment payment, string description, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var amount = new JsonObject { ["value"] = payment.Amount.ToString("0.00", CultureInfo.InvariantCulture), ["currency"] = "RUB" };
        var body = new JsonObject
        {
            ["amount"] = amount,
            ["capture"] = true,
            ["confirmation"] = new JsonObject { ["type"] = "redirect", ["return_url"] = o.ReturnUrl },
            ["description"] = description,
            ["metadata"] = new JsonObject { ["payment_id"] = payment.Id.ToString(), ["user_id"] = payment.UserId.ToString(CultureInfo.InvariantCulture) },
        };
        if (!string.IsNullOrWhiteSpace(o.ReceiptEmail))
        {
            body["receipt"] = new JsonObject
            {
                ["customer"] = new JsonObject { ["email"] = o.ReceiptEmail },
                ["items"] = new JsonArray(new JsonObject
                {
                    ["description"] = description,
                    ["quantity"] = "1.00",
                    ["amount"] = amount.DeepClone(),
                    ["vat_code"] = 1,
                    ["payment_subject"] = "service",
                    ["payment_mode"] = "full_payment",
                }),
            };
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotence-Key", payment.Id.ToString());
        using var response = await Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<YooKassaPayment>(cancellationToken))!;
    }

    /// <summary>The payment as YooKassa knows it: the only thing ever trusted about it.</summary>
    public async Task<YooKassaPayment?> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync("payments/" + Uri.EscapeDataString(id), cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<YooKassaPayment>(cancellationToken);
    }
}
