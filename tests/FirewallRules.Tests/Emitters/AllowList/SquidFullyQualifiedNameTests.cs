using System.Net;
using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Agents from 7.67 write hosts built from the site as fully qualified names, with a trailing dot
/// (<c>CONNECT trace.agent.datadoghq.eu.:443</c>; BuildURLWithPrefix, <c>convert_dd_site_fqdn.enabled</c>). Squid for real,
/// with the generated include: the dotted and the plain name both get through (squid drops the dot and the case before its
/// <c>dstdomain</c> match), while a neighbour, dotted or not, or the host on another port, is refused (403). Debian's own squid.conf,
/// the include first; the CONNECT lines are written on a socket as the agent writes them (<see cref="DebianSquid.AskAsync"/>), since
/// curl drops the dot itself.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SquidFullyQualifiedNameTests
{
    private static readonly string[] Names =
        ["trace.agent.datadoghq.eu", "trace.agent.datadoghq.com", "x.trace.agent.datadoghq.eu", "trace.agent.datadoghq.eu.example"];

    // A client outside Debian's localhost acl, so that only the include lets anything through.
    private static readonly IPAddress Client = IPAddress.Parse("10.77.0.5");

    [Test]
    public async Task Squid_ConnectToTheDottedNameOfAPlannedHost_GetsThrough_NeighboursRefused()
    {
        LinuxTools.Require("ip", "ss", "squid");
        string include = PlanRules.ByName(AgentConfiguration.Parse("site: datadoghq.eu\napm_config:\n  enabled: true\n" +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, "7.70.0")).Render(EmitterRegistry.Default.Create("squid"));
        Assert.That(include, Does.Contain("trace.agent.datadoghq.eu"), "the plan sends APM through the proxy");
        using var ns = NetworkNamespace.Create();
        ns.Ip("addr", "add", $"{Client}/32", "dev", "lo");
        using var squid = DebianSquid.Start(ns, 3128, include, SquidPlacement.First, Names.ToDictionary(name => name, _ => "127.0.0.2"));
        using var intake = new IntakeListeners(ns, [443, 8443]);

        (string Host, int Port, int Expected, string What)[] probes =
        [
            ("trace.agent.datadoghq.eu.", 443, 200, "the agent's own form, from 7.67"),
            ("trace.agent.datadoghq.eu", 443, 200, "the plain name"),
            ("TRACE.Agent.datadoghq.EU.", 443, 200, "in other case"),
            ("trace.agent.datadoghq.com.", 443, 403, "another site's host"),
            ("x.trace.agent.datadoghq.eu.", 443, 403, "a name under the host"),
            ("trace.agent.datadoghq.eu.example", 443, 403, "a name the host is a prefix of"),
            ("trace.agent.datadoghq.eu.", 8443, 403, "the host on another port"),
        ];
        var answered = new List<(string Request, int Status, int Expected, string What)>();
        foreach ((string host, int port, int expected, string what) in probes)
        {
            var probe = new Probe(Connect: true, host, port);
            answered.Add((probe.Request.Split("\r\n")[0], await squid.AskAsync(ns, Client, probe.Request), expected, what));
        }

        Assert.Multiple(() =>
        {
            foreach ((string request, int status, int expected, string what) in answered)
            {
                Assert.That(status, Is.EqualTo(expected), $"{request}: {what}");
            }
        });
    }
}
