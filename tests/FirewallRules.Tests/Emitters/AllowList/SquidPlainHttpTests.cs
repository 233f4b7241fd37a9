using FirewallRules.AgentConfig;
using FirewallRules.Emitters;
using FirewallRules.Tests.Emitters.Linux;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Squid for real with a plan whose logs go over plain HTTP to a relay (<c>logs_no_ssl</c>): curl's proxied <c>http://</c> request
/// (what the agent sends through proxy.http) reaches the relay with the generated include, and is refused with the CONNECT-only
/// include the emitter wrote before; CONNECT to that port stays refused, and other hosts too.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SquidPlainHttpTests
{
    private const string Relay = "my-relay.internal.example";

    // What the include held for this plan before plain HTTP was told apart: CONNECT only, the port an SSL port.
    private const string ConnectOnly = "acl datadog_connect method CONNECT\nacl SSL_ports port 10514\nacl Safe_ports port 10514\nacl datadog_port_10514 port 10514\n" +
        $"acl datadog_hosts_10514 dstdomain -n {Relay}\nhttp_access allow datadog_connect datadog_port_10514 datadog_hosts_10514\n";

    private static string Include() => PlanRules.ByName(AgentConfiguration.Parse(
        $"logs_enabled: true\nlogs_config:\n  logs_dd_url: {Relay}:10514\n  logs_no_ssl: true\n  force_use_http: true\n" +
        "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create("squid"));

    [Test]
    public void Squid_PlainHttpLogsRelay_ProxiedRequestGetsThrough_ConnectAndOtherHostsRefused()
    {
        Dictionary<string, string> codes = Through(Include());

        Assert.That(codes[$"http {Relay}:10514"], Is.EqualTo("200"), "the agent's proxied POST http://relay:10514/");
        Assert.That(codes["http evil.example.com:10514"], Is.EqualTo("403"));
        Assert.That(codes[$"connect {Relay}:10514"], Is.EqualTo("403"), "plain HTTP opens no tunnel");
        Assert.That(codes["connect evil.example.com:10514"], Is.EqualTo("403"));
    }

    [Test]
    public void Squid_ConnectOnlyInclude_RefusesThePlainHttpLogs()
    {
        Dictionary<string, string> codes = Through(ConnectOnly);

        Assert.That(codes[$"http {Relay}:10514"], Is.EqualTo("403"), "what the agent's logs met before");
        Assert.That(codes[$"connect {Relay}:10514"], Is.EqualTo("200"), "the old include opened a tunnel the agent never asks for");
    }

    // The operator trial: metrics over TLS and logs over plain HTTP to one relay port kept one destination, so Squid allowed only the CONNECT.
    [Test]
    public void Squid_SameRelayPortOverTlsAndPlainHttp_BothTheConnectAndTheProxiedRequestGetThrough()
    {
        const string Shared = "relay.corp.example";
        string include = PlanRules.ByName(AgentConfiguration.Parse(Tests.AgentConfig.TlsBesidePlainHttpTests.SharedRelay +
            "proxy:\n  http: http://127.0.0.1:3128\n  https: http://127.0.0.1:3128\n", null, null, TestAgent.Version)).Render(EmitterRegistry.Default.Create("squid"));

        Dictionary<string, string> codes = Through(include, [Shared, "evil.example.com"], 8080);

        Assert.That(codes[$"http {Shared}:8080"], Is.EqualTo("200"), "the agent's proxied POST http://relay:8080/ (logs)");
        Assert.That(codes[$"connect {Shared}:8080"], Is.EqualTo("200"), "the agent's CONNECT relay:8080 (metrics over TLS)");
        Assert.That(codes["http evil.example.com:8080"], Is.EqualTo("403"));
        Assert.That(codes["connect evil.example.com:8080"], Is.EqualTo("403"));
    }

    [Test]
    public void Squid_PlainHttpInclude_ParsesCleanly()
    {
        LinuxTools.Require("squid");
        string dir = Directory.CreateTempSubdirectory("fwrules-squid-parse-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "datadog-agent.conf"), Include());
            File.WriteAllText(Path.Combine(dir, "squid.conf"), "http_port 127.0.0.1:3128\nacl SSL_ports port 443\nacl Safe_ports port 80\nacl Safe_ports port 443\n" +
                $"include {dir}/datadog-agent.conf\nhttp_access deny !Safe_ports\nhttp_access deny all\n");
            Linux.ToolResult parse = LinuxTools.Run("squid", ["-k", "parse", "-f", Path.Combine(dir, "squid.conf")]);

            Assert.That(parse.ExitCode, Is.Zero, parse.Output + parse.Error);
            Assert.That(parse.Output + parse.Error, Does.Not.Contain("ERROR").And.Not.Contain("FATAL"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // curl through squid for each target: a proxied http:// request's status, and a CONNECT's.
    private static Dictionary<string, string> Through(string include) => Through(include, [Relay, "evil.example.com"], 10514);

    private static Dictionary<string, string> Through(string include, string[] hosts, int port)
    {
        LinuxTools.Require("ip", "ss", "squid", "curl");
        using var ns = NetworkNamespace.Create();
        using var squid = SquidInNamespace.Start(ns, include, hosts);
        using var intake = new IntakeListeners(ns, [port]);
        var codes = new Dictionary<string, string>();
        foreach (string host in hosts)
        {
            codes[$"http {host}:{port}"] = ns.Exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-x", "http://127.0.0.1:3128", "--max-time", "30",
                "-d", "{}", $"http://{host}:{port}/api/v2/logs").Output.Trim();
            codes[$"connect {host}:{port}"] = ns.Exec("curl", "-s", "-o", "/dev/null", "-w", "%{http_connect}", "--proxytunnel", "-x", "http://127.0.0.1:3128",
                "--max-time", "30", $"https://{host}:{port}/").Output.Trim();
        }

        return codes;
    }
}
