namespace NeuroCards.Bot.MiniApp;

/// <summary>
/// The Mini App under /app: a page and its script and style (no user data), and /app/api, where every request carries
/// Telegram's initData and gets the user's own data as server-rendered HTML, or 401 and nothing else.
/// </summary>
public static class MiniAppEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    // Only our own scripts run (an escaping slip cannot become a script); videos come from the storage's own host, whichever it is.
    private const string Policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; media-src *; img-src 'self' data: https:";

    public static IEndpointRouteBuilder MapMiniApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app", (HttpContext http) => Asset(http, "miniapp/index.html", Html));
        app.MapGet("/app/app.js", (HttpContext http) => Asset(http, "miniapp/app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app/app.css", (HttpContext http) => Asset(http, "miniapp/app.css", "text/css; charset=utf-8"));
        app.MapGet("/app/telegram-web-app.js", (HttpContext http) => Asset(http, "miniapp/telegram-web-app.js", "text/javascript; charset=utf-8"));

        var api = app.MapGroup("/app/api").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.Response.Headers.CacheControl = "no-store";
            var userId = http.RequestServices.GetRequiredService<MiniAppAuth>().UserId(http.Request.Headers.Authorization);
            if (userId is null || await http.RequestServices.GetRequiredService<MiniAppPage>().UserAsync(userId.Value, http.RequestAborted) is not { } user)
                return Results.Unauthorized();
            http.Items[typeof(MiniAppUser)] = user;
            http.Response.Headers.ContentLanguage = user.Language;
            return await next(context);
        });

        api.MapGet("/gallery", async (int? offset, HttpContext http, GalleryPage page, CancellationToken ct) =>
            Results.Content(await page.RenderAsync(Me(http), Math.Max(offset ?? 0, 0), ct), Html));
        api.MapGet("/orders", async (HttpContext http, OrdersPage page, CancellationToken ct) => Results.Content(await page.RenderAsync(Me(http), ct), Html));
        api.MapGet("/orders/{id:guid}", async (Guid id, HttpContext http, OrdersPage page, CancellationToken ct) =>
            await page.RenderOneAsync(Me(http), id, ct) is { } html ? Results.Content(html, Html) : Results.NotFound());
        api.MapGet("/balance", async (HttpContext http, BalancePage page, CancellationToken ct) => Results.Content(await page.RenderAsync(Me(http), ct), Html));

        api.MapPost("/videos/{id:guid}/send", async (Guid id, HttpContext http, MiniAppActions actions, MiniAppPage page, CancellationToken ct) =>
            await actions.SendAsync(Me(http), id, ct) ? Said(page, http, "app.sent") : Results.NotFound());
        api.MapPost("/videos/{id:guid}/share", async (Guid id, HttpContext http, MiniAppActions actions, CancellationToken ct) =>
            await actions.PrepareShareAsync(Me(http), id, ct) is { } prepared ? Results.Json(new { id = prepared }) : Results.NotFound());
        api.MapPost("/videos/{id:guid}/publish", async (Guid id, PublishRequest request, HttpContext http, MiniAppActions actions, CancellationToken ct) =>
        {
            if (!Guid.TryParse(request.Shop, out var shop)) return Results.NotFound();
            return await actions.PublishAsync(Me(http), id, shop, request.Card ?? "", ct) is { } said
                ? Results.Json(new { message = said.Message }, statusCode: said.Ok ? 200 : 400)
                : Results.NotFound();
        });
        api.MapPost("/batches/{id:guid}/{verb:regex(^(pause|resume|cancel)$)}", async (Guid id, string verb, HttpContext http, MiniAppActions actions, CancellationToken ct) =>
            await actions.BatchAsync(Me(http), id, verb, ct) ? Results.NoContent() : Results.NotFound());
        api.MapPost("/topup/{pack:int}/stars", async (int pack, HttpContext http, MiniAppActions actions, CancellationToken ct) =>
            await actions.StarsLinkAsync(Me(http), pack, ct) is { } link ? Results.Json(new { link }) : Results.NotFound());
        api.MapPost("/topup/{pack:int}/card", async (int pack, HttpContext http, MiniAppActions actions, MiniAppPage page, CancellationToken ct) =>
            await actions.CardLinkAsync(Me(http), pack, ct) is { } url ? Results.Json(new { url })
                : Results.Json(new { message = page.T(Me(http), "payments.unavailable") }, statusCode: 503));
        return app;
    }

    private static MiniAppUser Me(HttpContext http) => (MiniAppUser)http.Items[typeof(MiniAppUser)]!;

    private static IResult Said(MiniAppPage page, HttpContext http, string key) => Results.Json(new { message = page.T(Me(http), key) });

    private static IResult Asset(HttpContext http, string name, string contentType)
    {
        http.Response.Headers.ContentSecurityPolicy = Policy;
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Stream(typeof(MiniAppEndpoints).Assembly.GetManifestResourceStream(name)!, contentType);
    }
}
