using System.Net;
using System.Net.Sockets;

namespace Megafon.Testing;

/// <summary>Loopback ports for the processes the tests and the bench start (Azurite, the DevHost, simulators).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits until something accepts connections on <paramref name="port"/>; gives up at once when
    /// <paramref name="stillStarting"/> says the process that should listen there has gone.
    /// </summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool>? stillStarting = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (stillStarting?.Invoke() == false)
            {
                throw new InvalidOperationException($"The process that should listen on 127.0.0.1:{port} exited.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
