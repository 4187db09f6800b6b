using System.Net;
using System.Net.Sockets;

namespace NeuroCards.AppHost;

internal static class FreePort
{
    /// <summary>A loopback port nobody listens on now, for executables that must be told their port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
