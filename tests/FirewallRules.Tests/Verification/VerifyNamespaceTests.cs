using System.Net;
using System.Net.Sockets;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Fetching;

namespace FirewallRules.Tests.Verification;

/// <summary>
/// <c>fwrules verify</c> inside a throwaway namespace whose resolver is Debian's dnsmasq: each host name of US1 resolves
/// to an address on the namespace's loopback where a listener waits on 443 and 10516, so that a connection attempt
/// gets through exactly when the namespace's firewall lets it.
/// </summary>
[TestFixture]
[Category("RealTools")]
public class VerifyNamespaceTests
{
    private static readonly (string Name, string Address)[] Records =
    [
        ($"{TestAgent.InHostNames}-app.agent.datadoghq.com", "3.233.144.10"),
        ("trace.agent.datadoghq.com", "8.8.4.4"),
        ("agent-http-intake.logs.datadoghq.com", "3.233.144.11"),
        ("agent-intake.logs.datadoghq.com", "3.233.144.12"),
        ("orchestrator.datadoghq.com", "3.233.144.13"),
        ("config.datadoghq.com", "3.233.144.14"),
        ("api.datadoghq.com", "10.1.2.3"),
    ];

    [Test]
    public void Verify_EveryKindOfProblem_ReportsEachOnItsOwnRowAndExitsOne()
    {
        LinuxTools.Require("ip", "nft", "dnsmasq", "getent");
        using var ns = NetworkNamespace.Create();
        using var listeners = new Listeners(ns, 443, 10516, 8042);
        foreach ((_, string address) in Records)
        {
            ns.Ip("addr", "add", $"{address}/32", "dev", "lo");
        }

        using var dns = DnsmasqServer.Start(ns, Records);
        // A firewall that blocks one section: the logs intake's addresses.
        ns.ExecWithInput("""
            table inet block {
                chain output {
                    type filter hook output priority filter; policy accept;
                    ip daddr { 3.233.144.11, 3.233.144.12 } tcp dport { 443, 10516 } drop
                }
            }

            """, "nft", "-f", "-").Succeeded();

        ToolResult verified = Verify(ns, "--kernel", "--timeout", "1s");

        Assert.That(verified.ExitCode, Is.EqualTo(1), verified.Error);
        Assert.That(verified.Output, Is.EqualTo($"""
            HOST                                  PORT       SECTION               ADDRESS       PUBLISHED  KIND     CONNECT    RESULT
            {TestAgent.InHostNames}-app.agent.datadoghq.com        443/tcp    agents                3.233.144.10  yes        public   connected  ok
            trace.agent.datadoghq.com             443/tcp    apm                   8.8.4.4       no         public   connected  outside the published ranges
            agent-http-intake.logs.datadoghq.com  443/tcp    logs                  3.233.144.11  yes        public   no answer  no answer (dropped by a firewall)
            agent-intake.logs.datadoghq.com       10516/tcp  logs                  3.233.144.12  yes        public   no answer  no answer (dropped by a firewall)
            process.datadoghq.com                 443/tcp    process               -             -          -        -          no DNS record
            orchestrator.datadoghq.com            443/tcp    orchestrator          3.233.144.13  yes        public   connected  ok
            config.datadoghq.com                  443/tcp    remote-configuration  3.233.144.14  yes        public   connected  ok
            config.datadoghq.com                  8042/tcp   remote-configuration  3.233.144.14  yes        public   connected  ok
            api.datadoghq.com                     443/tcp    api                   10.1.2.3      no         private  connected  ok

            """.ReplaceLineEndings("\n")));
        Assert.That(verified.Error, Is.EqualTo("verify: 9 endpoints of US1 (datadoghq.com) against ip-ranges version 59 (2024-10-17T00:00:00Z): 4 of 9 not usable\n"));
    }

    [Test]
    public void Verify_EverythingReachableAndPublished_ExitsZero()
    {
        LinuxTools.Require("ip", "dnsmasq", "getent");
        using var ns = NetworkNamespace.Create();
        using var listeners = new Listeners(ns, 443);
        ns.Ip("addr", "add", "3.233.144.10/32", "dev", "lo");
        using var dns = DnsmasqServer.Start(ns, Records[0]);

        ToolResult verified = Verify(ns, "--section", "agents", "--kernel", "--timeout", "1s");

        Assert.That(verified.ExitCode, Is.Zero, verified.Error + verified.Output);
        Assert.That(verified.Output, Does.EndWith("3.233.144.10  yes        public  connected  ok\n"));
    }

    [Test]
    public void Verify_WithoutKernel_ChecksNamesAndRangesOnly()
    {
        LinuxTools.Require("ip", "dnsmasq", "getent");
        using var ns = NetworkNamespace.Create();
        using var dns = DnsmasqServer.Start(ns, Records[1]);

        ToolResult verified = Verify(ns, "--section", "apm");

        Assert.That(verified.ExitCode, Is.EqualTo(1));
        Assert.That(verified.Output, Does.EndWith("8.8.4.4  no         public  -        outside the published ranges\n"));
    }

    private static ToolResult Verify(NetworkNamespace ns, params string[] args) =>
        ns.Exec(FwrulesProcess.Tool,
            ["verify", "--site", "us1", "--input", FetchTesting.Document(59), .. args]);

    /// <summary>TCP listeners on every address of the namespace, one per port: a connection that gets through completes.</summary>
    private sealed class Listeners : IDisposable
    {
        private readonly Socket[] _sockets;

        public Listeners(NetworkNamespace ns, params int[] ports)
        {
            _sockets = [.. ports.Select(port =>
            {
                Socket socket = ns.CreateSocket(AddressFamily.InterNetwork);
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
                socket.Listen(64);
                return socket;
            })];
        }

        public void Dispose()
        {
            foreach (Socket socket in _sockets)
            {
                socket.Dispose();
            }
        }
    }
}
