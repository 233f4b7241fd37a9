using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>Where a generated include goes in Debian's squid.conf.</summary>
internal enum SquidPlacement
{
    /// <summary>Not at all: Debian's squid.conf as installed, the baseline every answer outside the plan is compared with.</summary>
    None,

    /// <summary>Before squid.conf's first <c>http_access</c> line, as the include's header says.</summary>
    First,

    /// <summary>In conf.d, where Debian includes it: after the port denials, before <c>http_access allow localhost</c>.</summary>
    ConfD,
}

/// <summary>
/// Debian's squid with Debian's own <c>/etc/squid/squid.conf</c> (as the squid package installs it: localnet, SSL_ports, Safe_ports,
/// the denials, conf.d, <c>allow localhost</c>, <c>deny all</c>), changed only where a test must: its port, its files in a folder of
/// its own, every name resolved through its <c>hosts_file</c>, and the generated include where <see cref="SquidPlacement"/> says.
/// Stopped and its files deleted on dispose.
/// </summary>
internal sealed class DebianSquid : IDisposable
{
    private const string DebianConf = "/etc/squid/squid.conf";
    private readonly SquidProcess _squid;

    private DebianSquid(SquidProcess squid, int port) => (_squid, Port) = (squid, port);

    public int Port { get; }

    public static DebianSquid Start(NetworkNamespace ns, int port, string? include, SquidPlacement placement, IReadOnlyDictionary<string, string> hosts)
    {
        string dir = Directory.CreateTempSubdirectory("fwrules-debian-squid-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }
        Directory.CreateDirectory(Path.Combine(dir, "conf.d"));
        File.Copy("/etc/squid/conf.d/debian.conf", Path.Combine(dir, "conf.d", "debian.conf"));
        if (include is not null)
        {
            File.WriteAllText(Path.Combine(dir, placement == SquidPlacement.ConfD ? "conf.d" : ".", "datadog-agent.conf"), include);
        }

        File.WriteAllText(Path.Combine(dir, "hosts"), string.Concat(hosts.Select(h => $"{h.Value} {h.Key}\n")));
        File.WriteAllText(Path.Combine(dir, "squid.conf"), Conf(dir, port, placement));
        var squid = new DebianSquid(SquidProcess.Start(ns, dir), port);
        squid.WaitListening(ns);
        return squid;
    }

    /// <summary>
    /// Sends <paramref name="request"/> (a request line and Host header) from <paramref name="client"/> and returns the status Squid
    /// answers: 403 when http_access denies it; anything else means it was let through (503 when the destination is not there).
    /// </summary>
    public async Task<int> AskAsync(NetworkNamespace ns, IPAddress client, string request)
    {
        using Socket socket = ns.CreateSocket(client.AddressFamily);
        socket.Bind(new IPEndPoint(client, 0));
        IPAddress proxy = client.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new IPEndPoint(proxy, Port), limit.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, limit.Token);
        var answer = new StringBuilder();
        byte[] buffer = new byte[512];
        while (!answer.ToString().Contains("\r\n", StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            if (read == 0)
            {
                break;
            }

            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        string line = answer.ToString().Split("\r\n")[0];
        return line.Split(' ') is [_, string code, ..] && int.TryParse(code, CultureInfo.InvariantCulture, out int status)
            ? status
            : throw new InvalidOperationException($"squid answered '{line}' to {request.Split("\r\n")[0]}");
    }

    public void Dispose() => _squid.Dispose();

    // Debian's squid.conf line by line: its port ours, conf.d ours, the include where asked; then this instance's own files.
    private static string Conf(string dir, int port, SquidPlacement placement)
    {
        var conf = new StringBuilder();
        bool included = false;
        foreach (string line in File.ReadAllLines(DebianConf))
        {
            if (placement == SquidPlacement.First && !included && line.StartsWith("http_access ", StringComparison.Ordinal))
            {
                conf.Append(CultureInfo.InvariantCulture, $"include {dir}/datadog-agent.conf\n");
                included = true;
            }

            conf.Append(line.Trim() switch
            {
                "http_port 3128" => $"http_port {port}",
                "include /etc/squid/conf.d/*.conf" => $"include {dir}/conf.d/*.conf",
                _ => line,
            }).Append('\n');
        }

        Assert.That(conf.ToString(), Does.Contain($"http_port {port}\n").And.Contain($"include {dir}/conf.d/*.conf\n"),
            "Debian's squid.conf has the lines this harness changes");
        return conf.Append(CultureInfo.InvariantCulture, $"""
            pid_filename {dir}/squid.pid
            cache_log {dir}/cache.log
            access_log stdio:{dir}/access.log
            hosts_file {dir}/hosts
            dns_nameservers 127.0.0.1
            coredump_dir {dir}
            shutdown_lifetime 0 seconds

            """).ToString();
    }

    private void WaitListening(NetworkNamespace ns)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            _squid.FailIfExited();

            if (ns.Exec("ss", "-Hltn", $"sport = :{Port}").Output.Contains(Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"squid did not listen on {Port} within 30 seconds");
    }
}
