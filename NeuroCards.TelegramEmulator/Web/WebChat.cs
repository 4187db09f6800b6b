using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NeuroCards.TelegramEmulator;

public static class WebChat
{
    /// <summary>The page people chat with a local bot in: GET /?token=&lt;bot token&gt;.</summary>
    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () =>
        {
            var stream = typeof(WebChat).Assembly.GetManifestResourceStream("web/index.html")!;
            return Results.Stream(stream, "text/html; charset=utf-8");
        });
        return app;
    }
}
