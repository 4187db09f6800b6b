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
}
