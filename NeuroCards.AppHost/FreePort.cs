using System.Net;
using System.Net.Sockets;

namespace NeuroCards.AppHost;

internal static class FreePort
{
    /// <summary>
    /// A loopback port nobody listens on now, for executables that must be told their port. Taken below Linux's
    /// ephemeral range (32768+), where outgoing connections would otherwise grab it before the executable binds it.
    /// </summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another.
            }
        }
        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    /// <summary>
    /// An endpoint on <paramref name="port"/> of 127.0.0.1, served by the executable itself (told the port in its
    /// arguments) rather than through DCP's proxy: database and storage traffic gets no extra hop.
    /// </summary>
    public static IResourceBuilder<T> WithLoopbackEndpoint<T>(this IResourceBuilder<T> resource, string name, string scheme, int port)
        where T : IResourceWithEndpoints =>
        resource.WithEndpoint(name, e =>
        {
            e.UriScheme = scheme;
            e.Port = port;
            e.TargetPort = port;
            e.IsProxied = false;
            e.TargetHost = "127.0.0.1";
        });
}
