using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NeuroCards.Core.Storage;

public static class MediaEndpoint
{
    /// <summary>
    /// GET /media/{key}?exp=…&amp;sig=… for the Local provider: signature and expiry checked in
    /// constant time, range requests, Content-Type from the bytes, nothing outside the media root.
    /// </summary>
    public static IEndpointRouteBuilder MapMediaEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/media/{**key}", ["GET", "HEAD"], async (string key, string? exp, string? sig, HttpContext context,
            IOptions<StorageOptions> options, IServiceProvider services, TimeProvider time) =>
        {
            if (options.Value.Provider != StorageProvider.Local) return Results.NotFound();
            if (!MediaKeys.IsValid(key)) return Results.StatusCode(StatusCodes.Status403Forbidden);
            var store = services.GetRequiredService<LocalMediaStore>();
            if (!store.Signer.Verify(key, exp, sig, time.GetUtcNow())) return Results.StatusCode(StatusCodes.Status403Forbidden);

            var media = await store.OpenReadAsync(key, context.RequestAborted);
            if (media is null) return Results.NotFound();
            return Results.Stream(media.Content, media.ContentType, enableRangeProcessing: true);
        }).ExcludeFromDescription();
        return app;
    }
}
