using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>An "intake" in the namespace: plain TCP listeners on 127.0.0.2 that answer one line and close, on each port.</summary>
internal sealed class IntakeListeners : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public IntakeListeners(NetworkNamespace ns, IEnumerable<int> ports)
    {
        foreach (int port in ports)
        {
            Socket socket = ns.CreateSocket(AddressFamily.InterNetwork);
            socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port));
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
                await client.SendAsync(Encoding.ASCII.GetBytes("intake\n")).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Closed on dispose.
        }
    }
}
