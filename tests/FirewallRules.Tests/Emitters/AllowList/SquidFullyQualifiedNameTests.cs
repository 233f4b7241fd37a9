using System.Net;
using System.Net.Sockets;
using System.Text;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Agents from 7.67 write hosts built from the site as fully qualified names, with a trailing dot
/// (<c>CONNECT trace.agent.datadoghq.eu.:443</c>; BuildURLWithPrefix, <c>convert_dd_site_fqdn.enabled</c>). Squid for real,
/// with the generated include: the dotted and the plain name both get through (squid drops the dot and the case before its
/// <c>dstdomain</c> match), while a neighbour, dotted or not, or the host on another port, is refused (403). The CONNECT lines
/// are written on a socket as the agent writes them, since curl drops the dot itself.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SquidFullyQualifiedNameTests
{
    private static readonly string[] Names =
        ["trace.agent.datadoghq.eu", "trace.agent.datadoghq.com", "x.trace.agent.datadoghq.eu", "trace.agent.datadoghq.eu.example"];

    [Test]
    public async Task Squid_ConnectToTheDottedNameOfAPlannedHost_GetsThrough_NeighboursRefused()
    {
        LinuxTools.Require("ip", "ss", "squid");
        string include = PlanRules.ByName(AgentConfiguration.Parse("site: datadoghq.eu\napm_config:\n  enabled: true\n" +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, "7.70.0")).Render(EmitterRegistry.Default.Create("squid"));
        Assert.That(include, Does.Contain("trace.agent.datadoghq.eu"), "the plan sends APM through the proxy");
        using var ns = NetworkNamespace.Create();
        using var squid = SquidInNamespace.Start(ns, include, Names);
        using var intake = new IntakeListeners(ns, [443, 8443]);

        (string Target, int Expected, string What)[] probes =
        [
            ("trace.agent.datadoghq.eu.:443", 200, "the agent's own form, from 7.67"),
            ("trace.agent.datadoghq.eu:443", 200, "the plain name"),
            ("TRACE.Agent.datadoghq.EU.:443", 200, "in other case"),
            ("trace.agent.datadoghq.com.:443", 403, "another site's host"),
            ("x.trace.agent.datadoghq.eu.:443", 403, "a name under the host"),
            ("trace.agent.datadoghq.eu.example:443", 403, "a name the host is a prefix of"),
            ("trace.agent.datadoghq.eu.:8443", 403, "the host on another port"),
        ];
        var answered = new List<(string Target, int Status, int Expected, string What)>();
        foreach ((string target, int expected, string what) in probes)
        {
            answered.Add((target, await ConnectAsync(ns, target), expected, what));
        }

        Assert.Multiple(() =>
        {
            foreach ((string target, int status, int expected, string what) in answered)
            {
                Assert.That(status, Is.EqualTo(expected), $"CONNECT {target}: {what}");
            }
        });
    }

    /// <summary>The status squid answers a <c>CONNECT</c> to <paramref name="target"/> with, written as given.</summary>
    private static async Task<int> ConnectAsync(NetworkNamespace ns, string target)
    {
        using Socket socket = ns.CreateSocket(AddressFamily.InterNetwork);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, 3128), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n"), timeout.Token);
        byte[] buffer = new byte[64];
        int read = await socket.ReceiveAsync(buffer, timeout.Token);
        string status = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.That(status, Does.StartWith("HTTP/1.1 "), target);
        return int.Parse(status.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
