using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// An "intake" in the namespace: plain TCP listeners on every address of the namespace, IPv4 and IPv6, (so a refusal is the proxy's, never a closed
/// port) that read what comes, answer a small HTTP 200 and close, on each port.
/// </summary>
internal sealed class IntakeListeners : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public IntakeListeners(NetworkNamespace ns, IEnumerable<int> ports)
    {
        foreach ((int port, IPAddress any) in ports.SelectMany(port => new[] { (port, IPAddress.Any), (port, IPAddress.IPv6Any) }))
        {
            Socket socket = ns.CreateSocket(any.AddressFamily);
            if (any.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(new IPEndPoint(any, port));
            socket.Listen(16);
            _sockets.Add(socket);
            _ = Task.Run(() => Serve(socket));
        }
    }

    public void Dispose()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private static async Task Serve(Socket socket)
    {
        try
        {
            while (true)
            {
                using Socket client = await socket.AcceptAsync().ConfigureAwait(false);
                // Read what the client sends first (a proxied request, a TLS hello), so closing does not reset it; then answer as HTTP.
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    _ = await client.ReceiveAsync(new byte[8192], SocketFlags.None, wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Nothing sent: answer anyway.
                }

                await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nintake\n")).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Closed on dispose.
        }
    }
}
