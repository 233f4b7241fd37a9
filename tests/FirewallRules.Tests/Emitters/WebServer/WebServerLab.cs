using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.WebServer;

/// <summary>
/// A namespace whose loopback holds every address a probe connects from (one <c>ip -batch</c>), and the requests: each from its
/// own address to the server on loopback, with its <c>X-Forwarded-For</c> or PROXY protocol header, answered by a status line.
/// </summary>
internal sealed class WebServerLab : IDisposable
{
    private WebServerLab(NetworkNamespace ns) => Namespace = ns;

    public NetworkNamespace Namespace { get; }

    /// <summary>A namespace with <paramref name="addresses"/> on its loopback.</summary>
    public static WebServerLab Create(IEnumerable<IPAddress> addresses)
    {
        LinuxTools.Require("ip", "ss");
        var lab = new WebServerLab(NetworkNamespace.Create());
        try
        {
            AddAddresses(lab.Namespace, addresses);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Whether each probe was admitted (status 200) by the server on <paramref name="port"/>, asked a few at a time.</summary>
    public async Task<Dictionary<WebProbe, int>> AskAllAsync(int port, IEnumerable<WebProbe> probes)
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<WebProbe, int>();
        await Parallel.ForEachAsync(probes, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (probe, _) => answers[probe] = await AskAsync(port, probe));
        return new(answers);
    }

    /// <summary>The status the server on <paramref name="port"/> answers <paramref name="probe"/>; 0 when it closed without one (a refused PROXY header).</summary>
    public Task<int> AskAsync(int port, WebProbe probe) => AskAsync(Namespace, port, probe);

    /// <summary>The status the server on <paramref name="port"/> of <paramref name="ns"/>'s loopback answers <paramref name="probe"/>, sent from its own address there.</summary>
    public static async Task<int> AskAsync(NetworkNamespace ns, int port, WebProbe probe)
    {
        IPAddress connection = probe.Connection;
        using Socket socket = ns.CreateSocket(connection.AddressFamily);
        socket.Bind(new IPEndPoint(connection, 0));
        IPAddress server = connection.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        using var limit = new CancellationTokenSource(LinuxTools.CommandLimit);
        await socket.ConnectAsync(new IPEndPoint(server, port), limit.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(Request(probe, server, port)), SocketFlags.None, limit.Token);
        var answer = new StringBuilder();
        byte[] buffer = new byte[512];
        while (!answer.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        string line = answer.ToString().Split("\r\n")[0];
        return line.Length == 0 ? 0
            : line.Split(' ') is [_, string code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out int status) ? status
            : throw new InvalidOperationException($"port {port} answered '{line}' to {probe}");
    }

    public void Dispose() => Namespace.Dispose();

    /// <summary>Gives <paramref name="ns"/>'s loopback <paramref name="addresses"/>, in one <c>ip -batch</c>.</summary>
    public static void AddAddresses(NetworkNamespace ns, IEnumerable<IPAddress> addresses)
    {
        string batch = string.Concat(addresses.Distinct().Select(a =>
            string.Create(CultureInfo.InvariantCulture, $"addr add {a}/{(a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)} dev lo\n")));
        LinuxTools.Run("ip", ["-n", ns.Name, "-batch", "-"], batch).Succeeded();
    }

    private static string Request(WebProbe probe, IPAddress server, int port)
    {
        var request = new StringBuilder();
        if (probe.ProxyHeader is { } client)
        {
            string family = client.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
            IPAddress destination = client.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;
            request.Append(CultureInfo.InvariantCulture, $"PROXY {family} {client} {destination} 40000 {port}\r\n");
        }

        request.Append(CultureInfo.InvariantCulture, $"GET {probe.Path} HTTP/1.0\r\nHost: {(server.AddressFamily == AddressFamily.InterNetwork ? "127.0.0.1" : "[::1]")}\r\n");
        if (probe.Header is { } header)
        {
            request.Append(CultureInfo.InvariantCulture, $"X-Forwarded-For: {header}\r\n");
        }

        return request.Append("\r\n").ToString();
    }
}
