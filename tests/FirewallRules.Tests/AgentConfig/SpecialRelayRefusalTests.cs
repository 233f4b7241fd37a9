using FirewallRules.AgentConfig;

namespace FirewallRules.Tests.AgentConfig;

/// <summary>
/// A special-purpose host (IANA's special-purpose registries, multicast, <c>localhost</c>, a metadata service) is never a relay: every
/// key the planners read a host from refuses one when the configuration is read, one line naming the file, line and key, unless it is
/// named in <see cref="AgentConfigurationSources.SpecialRelays"/>; a metadata service and an IPv4-mapped address even then; a proxy on
/// the agent's own loopback is a proxy; private networks' ranges are where relays live.
/// </summary>
[TestFixture]
public class SpecialRelayRefusalTests
{
    // One of each kind, as a URL's host writes it.
    private static readonly string[] Specials =
    [
        "127.0.0.1", "127.1.2.3", "0.0.0.0", "[::]", "[::1]", "255.255.255.255", "224.0.0.5", "239.255.255.250", "[ff02::1]", "192.0.2.7", "198.51.100.25",
        "203.0.113.9", "[2001:db8::1]", "[3fff::1]", "198.18.0.1", "169.254.10.1", "[fe80::1]", "240.0.0.1", "[64:ff9b::a14:1e28]", "[2002:a14:1e28::1]",
        "[100::1]", "[::2]", "[5f00::1]", "192.0.0.8", "localhost", "LOCALHOST", "relay.localhost", "ip6-localhost",
        "localhost4", "localhost6.localdomain6", "localhost.localdomain",
    ];

    private static readonly string[] Proxies = ["proxy.http", "proxy.https", "logs_config.socks5_proxy_address"];

    // Every special host in dd_url; in every other key, three of them, a different three for each key.
    private static IEnumerable<TestCaseData> KeysAndSpecials() =>
        from pair in HostKeys.All.Select((k, i) => (k, i))
        from host in pair.k.Key == "dd_url" ? Specials : Enumerable.Range(0, 3).Select(o => Specials[((3 * pair.i) + o) % Specials.Length])
        where pair.k.Shape is not (HostShape.Domain or HostShape.DomainMap) || !IsAddress(host)
        // A host alone is never a bracketed IPv6 address, and a bare one is refused as no host at all (HostKeyRefusalTests).
        where pair.k.Shape is not (HostShape.Host or HostShape.HostList) || !host.StartsWith('[')
        where !(Proxies.Contains(pair.k.Key) && IsLoopback(host))
        select new TestCaseData(pair.k.Key, Value(pair.k.Shape, host)).SetArgDisplayNames(pair.k.Key, host);

    private static bool IsAddress(string host) => host.StartsWith('[') || char.IsAsciiDigit(host[0]);

    private static bool IsLoopback(string host) => host is "127.0.0.1" or "127.1.2.3" or "[::1]" or "localhost" or "LOCALHOST" or "relay.localhost" or "ip6-localhost"
        or "localhost4" or "localhost6.localdomain6" or "localhost.localdomain";

    [TestCaseSource(nameof(KeysAndSpecials))]
    public void HostKey_SpecialHost_IsRefusedNamingTheKeyAndTheSetting(string key, string value)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse("api_key: x\n" + Yaml(key, value), null, null, TestAgent.Version))!;

        Assert.That(error.Key, Is.EqualTo(key));
        Assert.That(error.Line, Is.Not.Null);
        Assert.That(error.Message, Does.StartWith("datadog.yaml:").And.Contain("special-purpose").And.Contain("AgentConfigurationSources.SpecialRelays")
            .And.Not.Contain("\n"));
    }

    [TestCase("127.0.0.1")]
    [TestCase("[::1]")]
    [TestCase("localhost")]
    public void Proxy_OnTheAgentsOwnLoopback_IsAProxy(string host)
    {
        AgentPlan plan = AgentConfiguration.Parse($"proxy:\n  https: http://{host}:3128\n", null, null, TestAgent.Version);

        Assert.That(plan.Proxy!.HostName, Is.EqualTo(host));
    }

    [TestCase("proxy:\n  https: http://169.254.169.254:3128\n")]
    [TestCase("proxy:\n  https: http://192.0.2.1:3128\n")]
    [TestCase("proxy:\n  http: http://0.0.0.0:3128\n")]
    public void Proxy_AtAnotherSpecialAddress_IsRefused(string yaml)
    {
        Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Parse(yaml, null, null, TestAgent.Version));
    }

    [TestCase("10.1.2.3")]
    [TestCase("172.31.255.254")]
    [TestCase("192.168.0.1")]
    [TestCase("100.64.0.1")]
    [TestCase("[fd00::9]")]
    [TestCase("[2600:1f18::1]")]
    [TestCase("relay.internal")]
    [TestCase("8.8.8.8")]
    public void Relay_InAPrivateNetworkOrPublic_IsPlanned(string host)
    {
        AgentPlan plan = AgentConfiguration.Parse($"dd_url: https://{host}:8443\n", null, null, TestAgent.Version);

        Assert.That(plan.Destinations, Has.Some.Matches<AgentDestination>(d => d.HostName == host && d.Port.First == 8443));
    }

    [TestCase("http://169.254.169.254", "169.254.169.254")]
    [TestCase("http://100.100.100.200", "100.100.100.200")]
    [TestCase("http://169.254.170.2", "169.254.170.2")]
    [TestCase("\"http://[fd00:ec2::254]\"", "fd00:ec2::254")]
    [TestCase("http://metadata.google.internal", "metadata.google.internal")]
    [TestCase("http://METADATA.GOOGLE.INTERNAL.", "metadata.google.internal")]
    [TestCase("http://metadata.goog", "metadata.goog")]
    [TestCase("http://instance-data.ec2.internal", "instance-data.ec2.internal")]
    [TestCase("\"http://[fd20:ce::254]\"", "fd20:ce::254")]
    [TestCase("http://169.254.170.23", "169.254.170.23")]
    [TestCase("\"http://[fd00:ec2::23]\"", "fd00:ec2::23")]
    [TestCase("http://168.63.129.16", "168.63.129.16")]
    [TestCase("\"http://[fd00:c1::a9fe:a9fe]\"", "fd00:c1::a9fe:a9fe")]
    [TestCase("http://192.0.0.192", "192.0.0.192")]
    [TestCase("http://169.254.42.42", "169.254.42.42")]
    [TestCase("\"http://[fd00:42::42]\"", "fd00:42::42")]
    [TestCase("\"http://[fd00:a9fe:a9fe::1]\"", "fd00:a9fe:a9fe::1")]
    [TestCase("\"http://[fe80::a9fe:a9fe]\"", "fe80::a9fe:a9fe")]
    [TestCase("\"http://[fd00:100::100:200]\"", "fd00:100::100:200")]
    [TestCase("\"http://[fd00:ec2::1:2]\"", "fd00:ec2::1:2")]
    [TestCase("http://169.254.0.23", "169.254.0.23")]
    [TestCase("http://metadata.tencentyun.com", "metadata.tencentyun.com")]
    [TestCase("\"http://[64:ff9b::a9fe:a9fe]\"", "64:ff9b::a9fe:a9fe")]
    [TestCase("\"http://[64:ff9b::169.254.169.254]\"", "[64:ff9b::a9fe:a9fe]")]
    [TestCase("\"http://[64:ff9b:1::a9fe:a9fe]\"", "64:ff9b:1::a9fe:a9fe")]
    [TestCase("\"http://[64:ff9b:1:a9fe:a9:fe00::]\"", "64:ff9b:1:a9fe:a9:fe00::")]
    [TestCase("\"http://[2002:a9fe:a9fe::]\"", "2002:a9fe:a9fe::")]
    [TestCase("\"http://[2002:a9fe:a9fe:1::1]\"", "2002:a9fe:a9fe:1::1")]
    [TestCase("\"http://[::a9fe:a9fe]\"", "::a9fe:a9fe")]
    [TestCase("\"http://[64:ff9b::6464:64c8]\"", "64:ff9b::6464:64c8")]
    public void MetadataService_IsRefusedEvenWhenNamedAsASpecialRelay(string url, string named)
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", $"dd_url: {url}\n");

        var error = Assert.ThrowsAsync<AgentConfigurationException>(() => AgentConfiguration.ReadAsync(
            new AgentConfigurationSources { ConfigFile = config, AgentVersion = TestAgent.Version, SpecialRelays = [named] }))!;

        Assert.That(error.Message, Does.Contain("instance metadata service").And.Contain("dd_url"));
    }

    [Test]
    public void IPv4MappedAddress_IsRefusedWithItsIPv4Form_EvenWhenNamed()
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", "dd_url: \"https://[::ffff:10.20.30.40]\"\n");

        var error = Assert.ThrowsAsync<AgentConfigurationException>(() => AgentConfiguration.ReadAsync(
            new AgentConfigurationSources { ConfigFile = config, AgentVersion = TestAgent.Version, SpecialRelays = ["::ffff:10.20.30.40"] }))!;

        Assert.That(error.Message, Does.Contain("IPv4-mapped").And.Contain("write it as 10.20.30.40"));
    }

    [TestCase("[64:ff9b::7f00:1]", "127.0.0.1")]
    [TestCase("[64:ff9b::127.0.0.1]", "127.0.0.1")]
    [TestCase("[2002:7f00:1::]", "127.0.0.1")]
    [TestCase("[64:ff9b:1::c000:207]", "192.0.2.7")]
    [TestCase("[::7f00:1]", "127.0.0.1")]
    [TestCase("[64:ff9b::a9fe:a01]", "169.254.10.1")]
    public void IPv6FormOfASpecialIPv4Address_IsRefusedAsThatAddress_NamedOrNot(string host, string ipv4)
    {
        // A gateway (NAT64) or relay (6to4) reaches the IPv4 address for it, never the agent's host: the option allows the address
        // as written, so the IPv6 form is refused named or not, and the refusal says which address it is.
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", $"dd_url: \"https://{host}:8443\"\n");

        foreach (string[] named in new[] { [], new[] { host }, [host.Trim('[', ']')] })
        {
            var error = Assert.ThrowsAsync<AgentConfigurationException>(() => AgentConfiguration.ReadAsync(
                new AgentConfigurationSources { ConfigFile = config, AgentVersion = TestAgent.Version, SpecialRelays = named }), string.Join(' ', named))!;

            Assert.That(error.Message, Does.Contain($"{ipv4} through").And.Contain($"write it as {ipv4}").And.Contain("dd_url").And.Not.Contain("\n"));
        }
    }

    [TestCase("dd_url: https://127.0.0.1:8443\n", "127.0.0.1", "127.0.0.1")]
    [TestCase("statsd_forward_host: localhost\nstatsd_forward_port: 8125\n", "localhost", "localhost")]
    [TestCase("statsd_forward_host: LocalHost\nstatsd_forward_port: 8125\n", "localhost", "localhost")]
    [TestCase("dd_url: \"https://[2001:db8::1]:8443\"\n", "2001:db8::1", "[2001:db8::1]")]
    [TestCase("dd_url: \"https://[::1]:8443\"\n", "0:0:0:0:0:0:0:1", "[::1]")]
    [TestCase("dd_url: \"https://[2001:db8::1]:8443\"\n", "[2001:DB8:0::1]", "[2001:db8::1]")]
    [TestCase("statsd_forward_host: localhost\nstatsd_forward_port: 8125\n", "LOCALHOST.", "localhost")]
    [TestCase("dd_url: \"https://[64:ff9b::808:808]:8443\"\n", "64:ff9b::808:808", "[64:ff9b::808:808]")]
    [TestCase("dd_url: \"https://[2002:808:808::1]:8443\"\n", "[2002:808:808::1]", "[2002:808:808::1]")]
    public async Task SpecialHost_NamedAsASpecialRelay_IsPlanned(string yaml, string named, string planned)
    {
        using var files = new TempFiles();
        string config = files.Write("datadog.yaml", yaml);

        AgentPlan plan = await AgentConfiguration.ReadAsync(new AgentConfigurationSources { ConfigFile = config, AgentVersion = TestAgent.Version, SpecialRelays = [named] });

        Assert.That(plan.Destinations.Select(d => d.HostName), Has.Member(planned));
    }

    private static string Value(HostShape shape, string host) => shape switch
    {
        HostShape.Url => $"\"https://{host}:8443\"",
        HostShape.UrlMap => $"{{\"https://{host}\": [\"k\"]}}",
        HostShape.HostList => $"[{{api_key: k, Host: \"{host.Trim('[', ']')}\", Port: 443}}]",
        HostShape.DomainMap => $"{{\"{host}\": [\"k\"]}}",
        HostShape.Domain => host,
        _ => $"\"{host.Trim('[', ']')}\"",
    };

    private static string Yaml(string key, string value)
    {
        string[] parts = key.Split('.');
        return string.Concat(parts.Select((part, i) => new string(' ', 2 * i) + part + ":" + (i == parts.Length - 1 ? $" {value}\n" : "\n")));
    }
}
