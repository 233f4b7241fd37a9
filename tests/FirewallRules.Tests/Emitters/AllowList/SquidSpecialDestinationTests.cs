using System.Net;
using FirewallRules.Tests.Emitters.Linux;
using FirewallRules.Tests.Verification;

namespace FirewallRules.Tests.Emitters.AllowList;

/// <summary>
/// Debian's squid with Debian's squid.conf and a DNS server answering names as public wildcard DNS does (nip.io: the name is the
/// address), both in one namespace: a relay named by a DNS name that resolves to a special-purpose address (the metadata service,
/// the proxy's own loopback) is refused by the include's <c>!..._special_dst</c> on every allow line, in both placements the docs
/// give, for a client outside Debian's localnet; a relay allowed with <c>--allow-special-relay</c> never opens the proxy's loopback,
/// and another special one only to <c>--proxy-clients</c>. A relay by name at an ordinary address still gets through.
/// </summary>
[TestFixture]
[Category("RealTools")]
public sealed class SquidSpecialDestinationTests
{
    private static readonly IPAddress Agent = IPAddress.Parse("10.77.0.5");
    private static readonly IPAddress Outsider = IPAddress.Parse("20.30.40.50");
    private const string Credentials = "GET http://169.254.169.254.nip.io/latest/meta-data/iam/security-credentials/ HTTP/1.1\r\nHost: 169.254.169.254.nip.io\r\n\r\n";
    private const string ProxySshd = "CONNECT 127.0.0.1.nip.io:22 HTTP/1.1\r\nHost: 127.0.0.1.nip.io:22\r\n\r\n";
    private const string Relay = "CONNECT relay.corp.internal:443 HTTP/1.1\r\nHost: relay.corp.internal:443\r\n\r\n";

    // Metadata services over IPv6 inside Unique-Local space (fc00::/7, where relays may live), each named as wildcard DNS would;
    // the addresses from each cloud's own documentation (AWS: any address of fd00:ec2::/32, here one of no service's).
    private static readonly (string Name, string Address)[] CloudMetadata =
    [
        ("oci.example.test", "fd00:c1::a9fe:a9fe"), ("scaleway.example.test", "fd00:42::42"), ("linode.example.test", "fd00:a9fe:a9fe::1"),
        ("alibaba.example.test", "fd00:100::100:200"), ("aws.example.test", "fd00:ec2::1:2"),
    ];

    private NetworkNamespace _ns = null!;
    private DnsmasqServer _dns = null!;
    private IntakeListeners _listeners = null!;
    private string _directory = null!;
    private int _port = 3300;

    [OneTimeSetUp]
    public void StartNamespace()
    {
        LinuxTools.Require("ip", "ss", "squid", "dnsmasq", "getent");
        _ns = NetworkNamespace.Create();
        foreach (string address in new[] { Agent, Outsider }.Select(a => a.ToString()).Concat(["169.254.169.254", "169.254.10.10", "10.77.0.9"]))
        {
            _ns.Ip("addr", "add", $"{address}/32", "dev", "lo");
        }

        foreach ((_, string address) in CloudMetadata)
        {
            _ns.Ip("-6", "addr", "add", $"{address}/128", "dev", "lo");
        }

        _dns = DnsmasqServer.Start(_ns, [("169.254.169.254.nip.io", "169.254.169.254"), ("127.0.0.1.nip.io", "127.0.0.1"), ("relay.corp.internal", "10.77.0.9"), .. CloudMetadata]);
        _listeners = new IntakeListeners(_ns, [80, 22, 443, 8443]);
        _directory = Directory.CreateTempSubdirectory("fwrules-squid-special-").FullName;
    }

    [OneTimeTearDown]
    public void StopNamespace()
    {
        _listeners?.Dispose();
        _dns?.Dispose();
        _ns?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task Squid_RelayNamedByADnsNameOfASpecialAddress_RefusedInBothPlacements()
    {
        string include = await IncludeAsync("dd_url: http://169.254.169.254.nip.io\napm_config:\n  apm_dd_url: https://127.0.0.1.nip.io:22\n" +
            "logs_enabled: true\nlogs_config:\n  force_use_http: true\n  logs_dd_url: relay.corp.internal:443\n");
        var answers = new List<string>();
        foreach (SquidPlacement placement in new[] { SquidPlacement.None, SquidPlacement.First, SquidPlacement.ConfD })
        {
            using DebianSquid squid = DebianSquid.Start(_ns, _port++, placement == SquidPlacement.None ? null : include, placement, new Dictionary<string, string>());
            foreach ((string what, string request) in new[] { ("credentials", Credentials), ("sshd", ProxySshd), ("relay", Relay) })
            {
                answers.Add($"{placement} {what}: {await squid.AskAsync(_ns, Outsider, request)}");
            }
        }

        Assert.That(answers, Is.EqualTo(new[]
        {
            "None credentials: 403", "None sshd: 403", "None relay: 403",
            "First credentials: 403", "First sshd: 403", "First relay: 200",
            "ConfD credentials: 403", "ConfD sshd: 403", "ConfD relay: 200",
        }), "the metadata service and the proxy's own sshd are never reached by name; the relay by name at an ordinary address is\n" + include);
    }

    [Test]
    public async Task Squid_SpecialRelayAllowedOnTheCommandLine_NeverTheProxysLoopback_OtherwiseOnlyForTheProxyClients()
    {
        const string Config = "dd_url: https://127.0.0.1:8443\napm_config:\n  apm_dd_url: https://169.254.10.10:8443\n";
        string open = await IncludeAsync(Config, "--allow-special-relay", "127.0.0.1", "--allow-special-relay", "169.254.10.10");
        string named = await IncludeAsync(Config, "--allow-special-relay", "127.0.0.1", "--allow-special-relay", "169.254.10.10", "--proxy-clients", $"{Agent}/32");
        var answers = new List<string>();
        foreach ((string clients, string include) in new[] { ("any", open), ("named", named) })
        {
            using DebianSquid squid = DebianSquid.Start(_ns, _port++, include, SquidPlacement.First, new Dictionary<string, string>());
            foreach (IPAddress client in new[] { Agent, Outsider })
            {
                string from = client.Equals(Agent) ? "agent" : "outsider";
                answers.Add($"{clients} {from} loopback: {await squid.AskAsync(_ns, client, "CONNECT 127.0.0.1:8443 HTTP/1.1\r\nHost: 127.0.0.1:8443\r\n\r\n")}");
                answers.Add($"{clients} {from} link-local: {await squid.AskAsync(_ns, client, "CONNECT 169.254.10.10:8443 HTTP/1.1\r\nHost: 169.254.10.10:8443\r\n\r\n")}");
            }
        }

        Assert.That(answers, Is.EqualTo(new[]
        {
            "any agent loopback: 403", "any agent link-local: 403", "any outsider loopback: 403", "any outsider link-local: 403",
            "named agent loopback: 403", "named agent link-local: 200", "named outsider loopback: 403", "named outsider link-local: 403",
        }), $"without --proxy-clients:\n{open}\nwith:\n{named}");
        Assert.That(open, Does.Contain("# not allowed: 127.0.0.1 8443/tcp (metrics+flare): on the agent's own host (loopback)").And.Contain(
            "# not allowed: 169.254.10.10 8443/tcp (apm): special-purpose (Link Local)"), "each left out says why");
    }

    [Test]
    public async Task Squid_RelayNamedByADnsNameOfACloudsIPv6MetadataService_Refused()
    {
        string include = await IncludeAsync("additional_endpoints:\n" + string.Concat(CloudMetadata.Select(m => $"  \"http://{m.Name}\": [k]\n")));
        using DebianSquid squid = DebianSquid.Start(_ns, _port++, include, SquidPlacement.First, new Dictionary<string, string>());
        var answers = new List<string>();
        foreach ((string name, _) in CloudMetadata)
        {
            answers.Add($"{name}: {await squid.AskAsync(_ns, Outsider, $"GET http://{name}/latest/meta-data/ HTTP/1.1\r\nHost: {name}\r\n\r\n")}");
        }

        Assert.That(include, Does.Contain("oci.example.test"), "the relays are planned");
        Assert.That(answers, Is.EqualTo(CloudMetadata.Select(m => $"{m.Name}: 403")), "no metadata service is reached by name\n" + include);
    }

    private async Task<string> IncludeAsync(string config, params string[] args)
    {
        string path = Path.Combine(_directory, $"datadog-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "api_key: x\n" + config);
        ProcessResult generated = await FwrulesProcess.RunAsync(null, ["generate", "-f", "squid", "--agent-config", path, "--agent-version", TestAgent.Version, .. args]);
        Assert.That(generated.ExitCode, Is.Zero, generated.Error);
        return generated.Output;
    }
}
