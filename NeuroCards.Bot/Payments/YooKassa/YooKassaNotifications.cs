using NeuroCards.Core.Hosting;

namespace NeuroCards.Bot.Payments.YooKassa;

public static class YooKassaNotifications
{
    public const string Path = "/payments/yookassa/notify";

    /// <summary>
    /// YooKassa's HTTP notifications. Only the payment id is read from the body; the payment is then
    /// fetched from YooKassa and settled from that. Answers 200 so YooKassa stops repeating.
    /// </summary>
    public static IEndpointRouteBuilder MapYooKassaNotifications(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext http, YooKassaVerifier verifier, Microsoft.Extensions.Options.IOptions<YooKassaOptions> options) =>
        {
            var networks = options.Value.Networks;
            var sender = http.Connection.RemoteIpAddress?.IsIPv4MappedToIPv6 == true ? http.Connection.RemoteIpAddress.MapToIPv4() : http.Connection.RemoteIpAddress;
            if (networks.Count > 0 && (sender is null || !networks.Any(n => n.Contains(sender)))) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var body = await RequestBodies.ReadJsonAsync(http);
            if (body is null) return Results.BadRequest();
            var id = RequestBodies.StringOf(body["object"]?["id"]);
            if (string.IsNullOrEmpty(id) || id.Length > 64) return Results.BadRequest();
            await verifier.SettleAsync(id, http.RequestAborted);
            return Results.Ok();
        }).DisableAntiforgery();
        return app;
    }
}
